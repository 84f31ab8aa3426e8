"""A brand's service levels: its business hours (weekly intervals and closed dates) and its
targets per priority, counted in business time (engagement.business_hours).

The hours are wall-clock times in the brand's own time zone (``Brand.time_zone``). Closed
dates are the user's to enter: Moroccan religious holidays follow the moon sighting.
"""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agency.tenancy import TenantModel
from engagement.models.conversations import Priority

# A target longer than a month of business time is a typing error, not a service level.
MAX_TARGET_MINUTES = 31 * 24 * 60


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class BusinessInterval(TenantModel):
    """One opening interval of a brand's week; 00:00 as an end means midnight."""

    brand = models.ForeignKey(
        "clients.Brand", on_delete=models.CASCADE, related_name="business_intervals"
    )
    weekday = models.PositiveSmallIntegerField(_("day"), choices=Weekday.choices)
    starts = models.TimeField(_("opens"))
    ends = models.TimeField(_("closes"))

    class Meta:
        verbose_name = _("business hours")
        verbose_name_plural = _("business hours")
        ordering = ["weekday", "starts"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(weekday__gte=0, weekday__lte=6), name="business_interval_weekday"
            ),
        ]

    def clean(self) -> None:
        midnight = self.ends is not None and self.ends.hour == 0 and self.ends.minute == 0
        known = self.starts is not None and self.ends is not None
        if known and not midnight and self.ends <= self.starts:
            raise ValidationError({"ends": _("The closing time must be after the opening time.")})


class ClosedDay(TenantModel):
    """A date the brand is closed all day (a holiday), whatever its week says."""

    brand = models.ForeignKey("clients.Brand", on_delete=models.CASCADE, related_name="closed_days")
    date = models.DateField(_("date"))
    name = models.CharField(_("name"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("closed day")
        verbose_name_plural = _("closed days")
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "brand", "date"], name="closed_day_unique_date"
            ),
        ]


class SlaTarget(TenantModel):
    """A brand's targets for one priority, in minutes of business time."""

    brand = models.ForeignKey("clients.Brand", on_delete=models.CASCADE, related_name="sla_targets")
    priority = models.PositiveSmallIntegerField(_("priority"), choices=Priority.choices)
    first_response_minutes = models.PositiveIntegerField(
        _("first response within (minutes)"),
        validators=[MinValueValidator(1), MaxValueValidator(MAX_TARGET_MINUTES)],
    )
    resolution_minutes = models.PositiveIntegerField(
        _("resolution within (minutes)"),
        validators=[MinValueValidator(1), MaxValueValidator(MAX_TARGET_MINUTES)],
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("response target")
        verbose_name_plural = _("response targets")
        ordering = ["-priority"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "brand", "priority"], name="sla_target_unique_priority"
            ),
            models.CheckConstraint(
                condition=models.Q(first_response_minutes__gt=0, resolution_minutes__gt=0),
                name="sla_target_positive",
            ),
        ]
