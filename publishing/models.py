"""The publishing engine's own tables: the agency's kill switch, per-account backoff after a
rate limit, and the metric snapshots taken after a publication.

They were created by campaigns (tables `campaigns_*`, kept as they are: the models moved, the
data did not). Posts and their variants, which the engine moves, stay campaigns' models; the
per-brand switch is campaigns' ``PublishingPolicy.publishing_paused``.
"""

import datetime as dt

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


class MetricWindow(models.TextChoices):
    HOUR = "1h", _("1 hour")
    DAY = "24h", _("24 hours")
    WEEK = "7d", _("7 days")


METRIC_WINDOWS = {
    MetricWindow.HOUR: dt.timedelta(hours=1),
    MetricWindow.DAY: dt.timedelta(hours=24),
    MetricWindow.WEEK: dt.timedelta(days=7),
}


class PostMetricSnapshot(TenantModel):
    """A published variant's counters at 1 h, 24 h and 7 days. Rows are created with the
    publication (``due_at``) and filled by the metrics collector (``taken_at``); a counter the
    network does not report stays empty."""

    post_variant = models.ForeignKey(
        "campaigns.PostVariant", on_delete=models.CASCADE, related_name="metric_snapshots"
    )
    window = models.CharField(_("after"), max_length=3, choices=MetricWindow.choices)
    due_at = models.DateTimeField()
    taken_at = models.DateTimeField(null=True, blank=True)
    impressions = models.PositiveBigIntegerField(null=True, blank=True)
    reach = models.PositiveBigIntegerField(null=True, blank=True)
    likes = models.PositiveBigIntegerField(null=True, blank=True)
    comments = models.PositiveBigIntegerField(null=True, blank=True)
    shares = models.PositiveBigIntegerField(null=True, blank=True)
    clicks = models.PositiveBigIntegerField(null=True, blank=True)
    saves = models.PositiveBigIntegerField(null=True, blank=True)
    video_views = models.PositiveBigIntegerField(null=True, blank=True)
    error = models.CharField(max_length=500, blank=True)

    class Meta:
        db_table = "campaigns_postmetricsnapshot"
        verbose_name = _("post metrics")
        verbose_name_plural = _("post metrics")
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "post_variant", "window"], name="metric_snapshot_one_per_window"
            )
        ]
        indexes = [
            # The collector spans agencies by design: due, not yet taken.
            models.Index(fields=["taken_at", "due_at"], name="metric_snapshot_due"),
        ]

    def __str__(self) -> str:
        return f"{self.post_variant_id} after {self.window}"


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
