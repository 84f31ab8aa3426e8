"""Report schedules (when a brand's report is sent, to whom) and runs (one generation of a
report: its period, its progress, its PDF, who asked for it).

A schedule fires at an hour of the brand's own clock, weekly or monthly, and each firing covers
the period just over (the previous Monday-to-Sunday week, the previous month). The next firing
is stored in UTC (``next_run_at``) so that the beat dispatcher finds due schedules in one
indexed query; reports.scheduling computes it, in the brand's time zone, across clock changes.

A run of a schedule is unique per (schedule, first day of the period): a schedule fires at
most once per period whatever the beat, a retried task or two overlapping dispatchers do.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, validate_email
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agency.tenancy import TenantModel
from reports.states import RunState, RunStep

MAX_EXTRA_RECIPIENTS = 20


class Frequency(models.TextChoices):
    WEEKLY = "weekly", _("Weekly")
    MONTHLY = "monthly", _("Monthly")


class ContactRecipients(models.TextChoices):
    ALL = "all", _("All the brand's client contacts")
    APPROVERS = "approvers", _("The brand's client approvers only")
    NONE = "none", _("No client contact")


class RunTrigger(models.TextChoices):
    SCHEDULE = "schedule", _("Schedule")
    PERSON = "person", _("A person")
    API = "api", _("The API")


def normalise_emails(value) -> list[str]:
    """The e-mail addresses of a list or of text separated by commas, spaces or lines: trimmed,
    lower-cased, each once, every one checked (the error names the first bad one)."""
    if isinstance(value, str):
        items = value.replace(";", ",").replace("\n", ",").replace(" ", ",").split(",")
    elif isinstance(value, list | tuple):
        items = [item if isinstance(item, str) else "" for item in value]
        if any(not isinstance(item, str) for item in value):
            raise ValidationError(_("Give the addresses as text."), code="recipients_type")
    else:
        raise ValidationError(_("Give the addresses as text."), code="recipients_type")
    emails: list[str] = []
    for item in items:
        email = item.strip().lower()
        if not email or email in emails:
            continue
        try:
            validate_email(email)
        except ValidationError:
            raise ValidationError(
                _("“%(email)s” is not an e-mail address."),
                code="recipients_invalid",
                params={"email": email[:80]},
            ) from None
        emails.append(email)
    if len(emails) > MAX_EXTRA_RECIPIENTS:
        raise ValidationError(
            _("At most %(max)d extra addresses."),
            code="recipients_too_many",
            params={"max": MAX_EXTRA_RECIPIENTS},
        )
    return emails


def validate_recipients(value) -> None:
    normalise_emails(value)


class ReportSchedule(TenantModel):
    brand = models.ForeignKey(
        "clients.Brand", on_delete=models.CASCADE, related_name="report_schedules"
    )
    template = models.ForeignKey(
        "reports.ReportTemplate", on_delete=models.CASCADE, related_name="schedules"
    )
    frequency = models.CharField(
        _("frequency"), max_length=10, choices=Frequency.choices, default=Frequency.MONTHLY
    )
    # Weekly: the day of the week (0 Monday … 6 Sunday). Monthly: the day of the month; a day
    # past the month's end (31 in April) is the month's last day.
    weekday = models.PositiveSmallIntegerField(
        _("day of the week"), null=True, blank=True, validators=[MaxValueValidator(6)]
    )
    day_of_month = models.PositiveSmallIntegerField(
        _("day of the month"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(31)],
    )
    hour = models.PositiveSmallIntegerField(
        _("hour (brand's time)"), default=9, validators=[MaxValueValidator(23)]
    )
    contacts = models.CharField(
        _("client contacts"),
        max_length=10,
        choices=ContactRecipients.choices,
        default=ContactRecipients.ALL,
    )
    extra_recipients = models.JSONField(
        _("other addresses"), default=list, blank=True, validators=[validate_recipients]
    )
    active = models.BooleanField(_("active"), default=True)
    # When it fires next, in UTC (None while paused). Written by reports.services.schedules.
    next_run_at = models.DateTimeField(_("next report"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("report schedule")
        verbose_name_plural = _("report schedules")
        ordering = ["brand_id", "id"]
        indexes = [
            # The dispatcher's one query across agencies: active schedules that are due.
            models.Index(
                fields=["next_run_at"],
                name="report_schedule_due",
                condition=models.Q(active=True, next_run_at__isnull=False),
            ),
            models.Index(fields=["agency", "brand"], name="report_schedule_brand"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(frequency__in=Frequency.values),
                name="report_schedule_frequency_known",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(
                        frequency=Frequency.WEEKLY,
                        weekday__gte=0,
                        weekday__lte=6,
                        day_of_month=None,
                    )
                    | models.Q(
                        frequency=Frequency.MONTHLY,
                        day_of_month__gte=1,
                        day_of_month__lte=31,
                        weekday=None,
                    )
                ),
                name="report_schedule_day_given",
            ),
            models.CheckConstraint(
                condition=models.Q(hour__gte=0, hour__lte=23), name="report_schedule_hour"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.template} · {self.brand} ({self.get_frequency_display()})"

    def clean(self) -> None:
        super().clean()
        if self.frequency == Frequency.WEEKLY:
            if self.weekday is None:
                raise ValidationError({"weekday": _("Choose the day of the week.")})
            self.day_of_month = None
        elif self.frequency == Frequency.MONTHLY:
            if self.day_of_month is None:
                raise ValidationError({"day_of_month": _("Choose the day of the month.")})
            self.weekday = None


class ReportRun(TenantModel):
    brand = models.ForeignKey("clients.Brand", on_delete=models.CASCADE, related_name="+")
    # The history outlives a deleted template or schedule: its name is kept on the run.
    template = models.ForeignKey(
        "reports.ReportTemplate",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="runs",
    )
    template_name = models.CharField(_("template"), max_length=120)
    schedule = models.ForeignKey(
        ReportSchedule, null=True, blank=True, on_delete=models.SET_NULL, related_name="runs"
    )
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    language = models.CharField(_("language"), max_length=5)
    state = models.CharField(
        _("state"), max_length=12, choices=RunState.choices, default=RunState.QUEUED
    )
    progress = models.PositiveSmallIntegerField(
        _("progress"), default=0, validators=[MaxValueValidator(100)]
    )
    step = models.CharField(_("step"), max_length=20, choices=RunStep.choices, default="waiting")
    error = models.TextField(_("error"), blank=True)
    pdf = models.FileField(_("PDF"), upload_to="reports/%Y/%m/", blank=True, max_length=255)
    # Made with the PDF from the same figures, so that the web version and the data exports
    # say what the e-mailed PDF says even when the figures are collected again later.
    web_html = models.FileField(
        _("web version"), upload_to="reports/%Y/%m/", blank=True, max_length=255
    )
    data_csv = models.FileField(
        _("CSV data"), upload_to="reports/%Y/%m/", blank=True, max_length=255
    )
    data_xlsx = models.FileField(
        _("XLSX data"), upload_to="reports/%Y/%m/", blank=True, max_length=255
    )
    triggered_by = models.CharField(
        _("started by"), max_length=10, choices=RunTrigger.choices, default=RunTrigger.PERSON
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Who the e-mail went to (a scheduled run; a "run now" sends none unless asked).
    send_email = models.BooleanField(_("e-mail the recipients"), default=False)
    recipients = models.JSONField(_("recipients"), default=list, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    # A rendering run's worker holds it until then; past it, the sweep queues it again.
    lease_until = models.DateTimeField(null=True, blank=True)
    # The web version's signed link works until then.
    link_expires_at = models.DateTimeField(_("link valid until"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("report run")
        verbose_name_plural = _("report runs")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["agency", "brand", "-created_at"], name="report_run_brand"),
            models.Index(fields=["agency", "-created_at"], name="report_run_recent"),
            # The sweep's read: runs that wait or whose worker's lease ran out.
            models.Index(
                fields=["created_at"],
                name="report_run_unfinished",
                condition=models.Q(state__in=["queued", "rendering"]),
            ),
        ]
        constraints = [
            # Once per period: whatever fires a schedule twice, the second run cannot exist.
            models.UniqueConstraint(
                fields=["agency", "schedule", "period_start"],
                name="report_run_once_per_period",
                condition=models.Q(schedule__isnull=False),
            ),
            models.CheckConstraint(
                condition=models.Q(state__in=RunState.values), name="report_run_state_known"
            ),
            models.CheckConstraint(
                condition=models.Q(progress__gte=0, progress__lte=100),
                name="report_run_progress_range",
            ),
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="report_run_period_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.template_name} · {self.period_start} – {self.period_end}"

    @property
    def in_progress(self) -> bool:
        return self.state in (RunState.QUEUED, RunState.RENDERING)
