"""The network rules watch (docs/networks.md, "Network rules watch"): what the networks' answers
said about their API going away, and which retirement warnings each agency was sent."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agency.tenancy import TenantModel
from networks.registry import NETWORK_CHOICES


class DeprecationKind(models.TextChoices):
    """networks.deprecation's kinds, in words."""

    DEPRECATION = "deprecation", _("Deprecation header")
    SUNSET = "sunset", _("Sunset header")
    VERSION_UPGRADED = "version_upgraded", _("Answered with a newer API version")
    VERSION_REFUSED = "version_refused", _("API version refused")
    NETWORK_WARNING = "network_warning", _("Network's own warning")


class ApiDeprecationNotice(models.Model):
    """One deprecation signal a network's answers carried, however often (decision: not per
    agency, because the API version is the deployment's and the signal says nothing about the
    account it came with)."""

    network = models.CharField(max_length=20, choices=NETWORK_CHOICES)
    api_version = models.CharField(max_length=30, blank=True)
    kind = models.CharField(max_length=20, choices=DeprecationKind.choices)
    message = models.CharField(_("message"), max_length=500)
    sunset = models.DateField(_("stops answering on"), null=True, blank=True)
    first_seen = models.DateTimeField(default=timezone.now)
    last_seen = models.DateTimeField(default=timezone.now)
    count = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("API deprecation notice")
        verbose_name_plural = _("API deprecation notices")
        constraints = [
            models.UniqueConstraint(
                fields=["network", "api_version", "kind", "message"],
                name="api_deprecation_notice_once",
            )
        ]
        indexes = [models.Index(fields=["-last_seen"], name="api_deprecation_latest")]

    def __str__(self) -> str:
        return f"{self.network} {self.api_version} {self.kind}: {self.message[:60]}"


class ApiRetirementWarning(TenantModel):
    """One warning sent to an agency's admins: a network's API version retires within
    ``threshold_days``. The unique constraint is what makes it once per threshold, whichever
    worker or rerun gets there first."""

    network = models.CharField(max_length=20, choices=NETWORK_CHOICES)
    api_version = models.CharField(max_length=30)
    threshold_days = models.PositiveSmallIntegerField()
    retires_on = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("API retirement warning")
        verbose_name_plural = _("API retirement warnings")
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "network", "api_version", "threshold_days"],
                name="api_retirement_warning_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.network} {self.api_version}: {self.threshold_days} days"
