"""The publishing engine's own tables: the agency's kill switch and per-account backoff after a
rate limit. (Post metrics are analytics': its collector reads every published variant.)

They were created by campaigns (tables `campaigns_*`, kept as they are: the models moved, the
data did not). Posts and their variants, which the engine moves, stay campaigns' models; the
per-brand switch is campaigns' ``PublishingPolicy.publishing_paused``.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from agency.tenancy import TenantModel


class AgencyPublishingPause(TenantModel):
    """The agency-wide kill switch: while ``paused``, nothing of the agency is published (one
    row per agency, created on first use)."""

    paused = models.BooleanField(_("publishing paused for the whole agency"), default=False)
    changed_at = models.DateTimeField(null=True, blank=True)
    changed_by_label = models.CharField(max_length=200, blank=True)

    class Meta:
        db_table = "campaigns_agencypublishingpause"
        verbose_name = _("agency publishing switch")
        verbose_name_plural = _("agency publishing switches")
        constraints = [
            models.UniqueConstraint(fields=["agency"], name="publishing_pause_one_per_agency")
        ]

    def __str__(self) -> str:
        return f"Publishing of agency {self.agency_id}: {'paused' if self.paused else 'on'}"


class AccountPublishingBackoff(TenantModel):
    """An account the network rate-limited: until `until`, the dispatcher claims none of its
    variants, so a limited account's other due posts wait without making requests."""

    social_account = models.OneToOneField(
        "clients.SocialAccount", on_delete=models.CASCADE, related_name="publishing_backoff"
    )
    until = models.DateTimeField()
    reason = models.CharField(max_length=300, blank=True)

    class Meta:
        db_table = "campaigns_accountpublishingbackoff"
        verbose_name = _("account publishing backoff")
        verbose_name_plural = _("account publishing backoffs")

    def __str__(self) -> str:
        return f"Account {self.social_account_id} waits until {self.until:%H:%M:%S}"
