"""A report template: what an agency's client report holds and which period it covers.

A template belongs to the agency, not to one brand: the same "Monthly report" is rendered for
each brand it is run for (reports.rendering), in that brand's language unless the template
names one. Its ``sections`` are an ordered list of keys of reports.section_keys.SectionKey,
each at most once; its period is a kind (last month, last week, the last N days) resolved on
the brand's calendar when the report is built, compared as analytics.periods.Compare says.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agency.tenancy import TenantModel
from analytics.periods import (
    MAX_PERIOD_DAYS,
    Compare,
    Period,
    Preset,
    comparison_of,
    period_of_preset,
)
from reports.section_keys import DEFAULT_SECTIONS, SectionKey

COMMENTARY_MAX_CHARS = 5000


def default_sections() -> list[str]:
    return list(DEFAULT_SECTIONS)


def validate_sections(value) -> None:
    """A non-empty list of known section keys, each at most once (the order is the report's)."""
    if not isinstance(value, list) or not all(isinstance(key, str) for key in value):
        raise ValidationError(_("Sections must be a list of section keys."), code="sections_type")
    if not value:
        raise ValidationError(_("Choose at least one section."), code="sections_empty")
    unknown = [key for key in value if key not in SectionKey.values]
    if unknown:
        raise ValidationError(
            _("Unknown section(s): %(keys)s."),
            code="sections_unknown",
            params={"keys": ", ".join(sorted(set(unknown)))[:200]},
        )
    repeated = sorted({key for key in value if value.count(key) > 1})
    if repeated:
        raise ValidationError(
            _("A section appears only once: %(keys)s."),
            code="sections_repeated",
            params={"keys": ", ".join(repeated)},
        )


class PeriodKind(models.TextChoices):
    LAST_MONTH = "last_month", _("Last month")
    LAST_WEEK = "last_week", _("Last week (Monday to Sunday)")
    LAST_DAYS = "last_days", _("The last N days")


class ReportLanguage(models.TextChoices):
    BRAND = "brand", _("The brand's language")
    FRENCH = "fr", _("French")
    ENGLISH = "en", _("English")


class ReportTemplate(TenantModel):
    name = models.CharField(_("name"), max_length=120)
    sections = models.JSONField(
        _("sections"), default=default_sections, validators=[validate_sections]
    )
    commentary = models.TextField(
        _("commentary"),
        blank=True,
        max_length=COMMENTARY_MAX_CHARS,
        help_text=_("The account manager's words, shown in the summary of every report."),
    )
    period_kind = models.CharField(
        _("period"), max_length=20, choices=PeriodKind.choices, default=PeriodKind.LAST_MONTH
    )
    # Only for PeriodKind.LAST_DAYS: how many days, ending the day before the report is built.
    period_days = models.PositiveSmallIntegerField(_("number of days"), null=True, blank=True)
    compare = models.CharField(
        _("comparison"), max_length=20, choices=Compare.choices, default=Compare.PREVIOUS
    )
    language = models.CharField(
        _("language"), max_length=5, choices=ReportLanguage.choices, default=ReportLanguage.BRAND
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("report template")
        verbose_name_plural = _("report templates")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                "agency",
                Lower("name"),
                name="report_template_name_unique",
                violation_error_code="name_taken",
                violation_error_message=_("The agency already has a report template of that name."),
            ),
            models.CheckConstraint(
                condition=models.Q(period_kind__in=PeriodKind.values),
                name="report_template_period_known",
            ),
            models.CheckConstraint(
                condition=models.Q(compare__in=Compare.values),
                name="report_template_compare_known",
            ),
            models.CheckConstraint(
                condition=models.Q(language__in=ReportLanguage.values),
                name="report_template_language_known",
            ),
            # The number of days is given exactly when the period is "the last N days".
            models.CheckConstraint(
                condition=(
                    models.Q(
                        period_kind=PeriodKind.LAST_DAYS,
                        period_days__gte=1,
                        period_days__lte=MAX_PERIOD_DAYS,
                    )
                    | (~models.Q(period_kind=PeriodKind.LAST_DAYS) & models.Q(period_days=None))
                ),
                name="report_template_period_days",
                violation_error_code="period_days",
                violation_error_message=_(
                    "Give a number of days (1 to 731) for “the last N days”, and only for it."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        if self.period_kind == PeriodKind.LAST_DAYS:
            if not self.period_days or not 1 <= self.period_days <= MAX_PERIOD_DAYS:
                raise ValidationError(
                    {
                        "period_days": _("Give a number of days between 1 and %(max)d.")
                        % {"max": MAX_PERIOD_DAYS}
                    }
                )
        else:
            self.period_days = None

    def period_on(self, today: dt.date) -> Period:
        """The period a report built on ``today`` (the brand's date) covers: always whole days
        that are over (last month, last Monday-to-Sunday week, or the N days ending
        yesterday)."""
        if self.period_kind == PeriodKind.LAST_WEEK:
            return Period.iso_week(today - dt.timedelta(days=7))
        if self.period_kind == PeriodKind.LAST_DAYS:
            yesterday = today - dt.timedelta(days=1)
            return Period(yesterday - dt.timedelta(days=(self.period_days or 30) - 1), yesterday)
        return period_of_preset(Preset.LAST_MONTH, today=today)

    def comparison_for(self, period: Period) -> Period | None:
        return comparison_of(period, self.compare)

    def language_for(self, brand) -> str:
        """The report's language for ``brand``: the template's, or the brand's first language
        the product speaks (French or English), or the agency's."""
        if self.language != ReportLanguage.BRAND:
            return self.language
        spoken = {code for code, _name in settings.LANGUAGES}
        for code in brand.languages or []:
            if code in spoken:
                return code
        return brand.agency.language
