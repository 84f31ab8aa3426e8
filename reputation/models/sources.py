"""Where mentions come from (sources and their polling bookkeeping), and OPML imports of feeds.

A source has no status field: whether it is due, leased or backing off follows from
``next_poll_at``, ``lease_until`` and ``consecutive_failures`` (reputation.services.polling).
An import's ``state`` is a state machine (reputation.states).
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agency.tenancy import TenantModel


class SourceKind(models.TextChoices):
    RSS = "rss", _("RSS/Atom feed")
    NETWORK_SEARCH = "network_search", _("Network search")
    OWNED_COMMENTS = "owned_comments", _("Comments on the brand's accounts")
    DISCOURSE = "discourse", _("Discourse forum")
    REDDIT = "reddit", _("Reddit search")


# What may change once a source is followed (its kind, brand and network stay): the service,
# the edit form's initial values and the API's partial update read this tuple.
SOURCE_EDITABLE_FIELDS = ("name", "url", "search_terms", "poll_interval_minutes", "active")


class Source(TenantModel):
    """Where mentions come from, and when to look next.

    A feed without a brand serves every brand of the agency (its entries are matched against
    every active query). Failures push ``next_poll_at`` back exponentially; ``last_error`` is
    what the user sees.
    """

    kind = models.CharField(_("kind"), max_length=20, choices=SourceKind.choices)
    brand = models.ForeignKey(
        "clients.Brand",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="listening_sources",
        help_text=_("Leave empty for a feed that may mention any brand."),
    )
    name = models.CharField(_("name"), max_length=200)
    url = models.URLField(_("address"), max_length=1000, blank=True)
    network = models.CharField(_("network"), max_length=20, blank=True)
    search_terms = models.CharField(_("search terms"), max_length=500, blank=True)
    poll_interval_minutes = models.PositiveIntegerField(_("poll every (minutes)"), default=15)
    next_poll_at = models.DateTimeField(_("next poll"), default=timezone.now)
    lease_until = models.DateTimeField(null=True, blank=True)
    etag = models.CharField(max_length=500, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)
    cursor = models.CharField(max_length=500, blank=True)
    # Owned-account sources: where the account's notifications (mentions, replies, quotes)
    # were read up to, in the network's own terms (Mastodon: a notification id; Bluesky: the
    # newest notification's indexedAt).
    notifications_cursor = models.CharField(max_length=500, blank=True, default="")
    # Owned-account sources: the newest of the account's own posts listed (ISO time); empty
    # until the first listing, which reads 30 days back (reputation.services.account_posts).
    posts_cursor = models.CharField(max_length=500, blank=True, default="")
    consecutive_failures = models.PositiveIntegerField(default=0)
    last_error = models.TextField(_("last error"), blank=True, max_length=2000)
    last_error_at = models.DateTimeField(null=True, blank=True)
    last_polled_at = models.DateTimeField(_("last polled"), null=True, blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    mentions_found = models.PositiveIntegerField(default=0)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    # Not stored: the page a feed was found on when the source was created or its address
    # changed (reputation.services.sources.feed_address_find), for the answer to the user.
    discovered_from: str = ""

    class Meta:
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "kind", "url", "network", "search_terms", "brand"],
                name="source_unique_per_agency",
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=SourceKind.values), name="source_kind_known"
            ),
        ]
        indexes = [
            # The dispatcher's scan: due, active sources across agencies.
            models.Index(fields=["active", "next_poll_at"], name="source_due"),
            models.Index(fields=["agency", "kind", "name"], name="source_agency_list"),
        ]

    def __str__(self) -> str:
        return self.name


class SourceImportState(models.TextChoices):
    QUEUED = "queued", _("Waiting to start")
    CHECKING = "checking", _("Checking the feeds")
    DONE = "done", _("Imported")
    FAILED = "failed", _("Nothing imported")


class SourceImport(TenantModel):
    """One OPML import, run by a task: every feed of the file is followed, or none is.

    The file is kept until the task has run (then emptied). ``processed`` of ``total`` feeds
    is the progress the status page shows; ``errors`` are the outlines that made the import
    fail, ``notes`` the ones passed over (already followed, no feed address).
    """

    brand = models.ForeignKey(
        "clients.Brand", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    requested_by = models.ForeignKey(
        "agency.Membership", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    file_name = models.CharField(_("file"), max_length=255)
    data = models.BinaryField(blank=True, default=b"")
    state = models.CharField(
        _("state"),
        max_length=10,
        choices=SourceImportState.choices,
        default=SourceImportState.QUEUED,
    )
    total = models.PositiveIntegerField(default=0)
    processed = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)
    error_count = models.PositiveIntegerField(default=0)
    notes = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("source import")
        indexes = [models.Index(fields=["agency", "-created_at"], name="source_import_recent")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state__in=SourceImportState.values),
                name="source_import_state_known",
            )
        ]

    @property
    def finished(self) -> bool:
        return self.state in (SourceImportState.DONE, SourceImportState.FAILED)

    @property
    def percent(self) -> int:
        return 100 if self.finished else int(100 * self.processed / max(self.total, 1))
