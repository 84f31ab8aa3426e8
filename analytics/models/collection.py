"""When each post and each account is read next, and how the last collection went.

``PostMetricsTracker``: one row per published variant, its next reading on the age ladder
(analytics.ladder); ``next_due_at`` empty once the ladder is done (day 90) or the network gives
nothing for the post. ``AccountCollection``: one row per connected account, the unit the
dispatcher claims (a lease: one collection of an account at a time, all its due posts in one
task), its daily account reading, its wait after a rate limit or a failure, and what people see
of the last collection on the account page.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from agency.tenancy import TenantModel


class PostMetricsTracker(TenantModel):
    post_variant = models.ForeignKey(
        "campaigns.PostVariant", on_delete=models.CASCADE, related_name="+"
    )
    social_account = models.ForeignKey(
        "clients.SocialAccount", on_delete=models.CASCADE, related_name="+"
    )
    published_at = models.DateTimeField()
    next_due_at = models.DateTimeField(null=True, blank=True)
    last_collected_at = models.DateTimeField(null=True, blank=True)
    collections = models.PositiveIntegerField(default=0)
    last_error = models.CharField(max_length=1000, blank=True)

    class Meta:
        verbose_name = _("post metrics schedule")
        verbose_name_plural = _("post metrics schedules")
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "post_variant"], name="post_metrics_tracker_one_per_variant"
            )
        ]
        indexes = [
            # The dispatcher's question, across agencies: which accounts have a post due.
            models.Index(
                fields=["social_account", "next_due_at"],
                name="post_metrics_due",
                condition=Q(next_due_at__isnull=False),
            )
        ]

    def __str__(self) -> str:
        return f"metrics of variant {self.post_variant_id}, next {self.next_due_at}"


class AccountCollection(TenantModel):
    social_account = models.ForeignKey(
        "clients.SocialAccount", on_delete=models.CASCADE, related_name="+"
    )
    # The account's own daily reading (followers, reach...).
    next_due_at = models.DateTimeField()
    lease_until = models.DateTimeField(null=True, blank=True)
    # Not called before this (the network's Retry-After, or back-off after failures).
    wait_until = models.DateTimeField(null=True, blank=True)
    failures = models.PositiveSmallIntegerField(default=0)
    last_collected_at = models.DateTimeField(_("metrics last collected"), null=True, blank=True)
    last_error = models.CharField(_("last collection error"), max_length=1000, blank=True)
    last_error_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("account metrics collection")
        verbose_name_plural = _("account metrics collections")
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "social_account"], name="account_collection_one_per_account"
            )
        ]
        indexes = [models.Index(fields=["next_due_at"], name="account_collection_due")]

    def __str__(self) -> str:
        return f"metrics collection of account {self.social_account_id}"
