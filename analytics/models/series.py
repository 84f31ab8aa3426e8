"""The daily time series of metrics, one row per entity, metric and day, and the raw readings
they were taken from.

A metric the network does not give has no row: "not available" is the absence of a row (shown
as such), never a 0. Days are UTC dates. A post's value for a day is its lifetime counter at
the last reading that day (a later reading the same day replaces it); an account's is the
network's figure for that day (followers: the count at the reading).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from agency.tenancy import TenantModel


class Metric(models.TextChoices):
    """The one vocabulary (networks.metrics.VOCABULARY, the same names)."""

    IMPRESSIONS = "impressions", _("Impressions")
    REACH = "reach", _("Reach")
    VIEWS = "views", _("Views")
    LIKES = "likes", _("Likes and reactions")
    COMMENTS = "comments", _("Comments")
    SHARES = "shares", _("Shares")
    SAVES = "saves", _("Saves")
    CLICKS = "clicks", _("Clicks")
    VIDEO_VIEWS = "video_views", _("Video views")
    WATCH_TIME = "watch_time", _("Watch time (seconds)")
    FOLLOWERS = "followers", _("Followers")
    FOLLOWER_GROWTH = "follower_growth", _("Follower growth")
    PROFILE_VIEWS = "profile_views", _("Profile views")


class PostMetricDay(TenantModel):
    """One published variant's value of one metric on one day."""

    post_variant = models.ForeignKey(
        "campaigns.PostVariant", on_delete=models.CASCADE, related_name="+"
    )
    # The variant's account, kept here so that an account's and a brand's series are read
    # without joining the variants.
    social_account = models.ForeignKey(
        "clients.SocialAccount", on_delete=models.CASCADE, related_name="+"
    )
    metric = models.CharField(_("metric"), max_length=20, choices=Metric.choices)
    day = models.DateField(_("day"))
    value = models.BigIntegerField(_("value"))
    collected_at = models.DateTimeField(_("collected"))

    class Meta:
        verbose_name = _("post metric")
        verbose_name_plural = _("post metrics")
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "post_variant", "metric", "day"], name="post_metric_one_per_day"
            ),
            models.CheckConstraint(
                condition=models.Q(metric__in=Metric.values), name="post_metric_known"
            ),
        ]
        indexes = [
            models.Index(fields=["agency", "social_account", "day"], name="post_metric_account_day")
        ]

    def __str__(self) -> str:
        return f"variant {self.post_variant_id} {self.metric} {self.day}: {self.value}"


class AccountMetricDay(TenantModel):
    """One connected account's value of one metric on one day."""

    social_account = models.ForeignKey(
        "clients.SocialAccount", on_delete=models.CASCADE, related_name="+"
    )
    metric = models.CharField(_("metric"), max_length=20, choices=Metric.choices)
    day = models.DateField(_("day"))
    value = models.BigIntegerField(_("value"))
    collected_at = models.DateTimeField(_("collected"))

    class Meta:
        verbose_name = _("account metric")
        verbose_name_plural = _("account metrics")
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "social_account", "metric", "day"],
                name="account_metric_one_per_day",
            ),
            models.CheckConstraint(
                condition=models.Q(metric__in=Metric.values), name="account_metric_known"
            ),
        ]

    def __str__(self) -> str:
        return f"account {self.social_account_id} {self.metric} {self.day}: {self.value}"


class MetricReading(TenantModel):
    """What the network answered at one collection (of a post, or of the account when
    ``post_variant`` is empty), kept as it came: the series can be rebuilt, a changed API
    diagnosed."""

    social_account = models.ForeignKey(
        "clients.SocialAccount", on_delete=models.CASCADE, related_name="+"
    )
    post_variant = models.ForeignKey(
        "campaigns.PostVariant", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    taken_at = models.DateTimeField(_("taken"))
    raw = models.JSONField(_("answer"), null=True, blank=True)

    class Meta:
        verbose_name = _("metric reading")
        verbose_name_plural = _("metric readings")
        indexes = [
            models.Index(
                fields=["agency", "social_account", "taken_at"], name="metric_reading_account"
            ),
            models.Index(fields=["agency", "post_variant", "taken_at"], name="metric_reading_post"),
        ]

    def __str__(self) -> str:
        return f"reading of account {self.social_account_id} at {self.taken_at:%Y-%m-%d %H:%M}"
