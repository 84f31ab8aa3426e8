"""The brand's own posts that were not published through us (written on the network itself).

An owned-comments poll lists the account's recent posts (``list_recent_posts``): the posts the
publishing engine published are its variants already, the others are kept here so that their
comments are read like our own posts' (reputation.services.account_posts). Each row keeps what
the last listing said (text, link, time, comment count) and where its comments were read up to.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agency.tenancy import TenantModel

MAX_POST_TEXT = 5000


class ExternalPost(TenantModel):
    """A post on a brand's account that was published outside the product."""

    brand = models.ForeignKey("clients.Brand", on_delete=models.CASCADE, related_name="+")
    social_account = models.ForeignKey(
        "clients.SocialAccount", on_delete=models.CASCADE, related_name="external_posts"
    )
    external_id = models.CharField(_("network id"), max_length=500)
    permalink = models.URLField(_("link"), max_length=1000, blank=True)
    text = models.TextField(_("text"), blank=True, max_length=MAX_POST_TEXT)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    # What the last listing said, and what it said when the comments were last read: a
    # difference is what makes the poll read them again (None: the network does not count).
    comments_count = models.PositiveIntegerField(null=True, blank=True)
    comments_count_read = models.PositiveIntegerField(null=True, blank=True)
    comments_read_until = models.DateTimeField(null=True, blank=True)  # newest comment read
    comments_read_at = models.DateTimeField(null=True, blank=True)
    # Found by the account's first read (the 30-day backfill): its first comments are history.
    backfill = models.BooleanField(default=False)
    first_seen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("post not published through us")
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "social_account", "external_id"],
                name="external_post_unique_per_account",
            )
        ]
        indexes = [
            models.Index(
                fields=["agency", "social_account", "-published_at"], name="external_post_recent"
            )
        ]

    def __str__(self) -> str:
        return self.external_id
