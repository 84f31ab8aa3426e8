"""Listening data: what to look for (queries), where (sources), and what was found (mentions).

Every table carries ``agency`` and every index and unique constraint leads with it. A mention
belongs to one brand: a story that matches the queries of two brands is stored once per brand.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agency.tenancy import TenantModel

MAX_TITLE_CHARS = 300
MAX_TEXT_CHARS = 5000


class MentionLanguage(models.TextChoices):
    FRENCH = "fr", _("French")
    ENGLISH = "en", _("English")
    ARABIC = "ar", _("Arabic")
    DARIJA = "ary", _("Darija (Arabic script)")
    DARIJA_LATIN = "ary-Latn", _("Darija (Latin script)")
    UNKNOWN = "und", _("Unknown")


QUERY_LANGUAGES = [c for c in MentionLanguage.values if c != MentionLanguage.UNKNOWN]


class SentimentLabel(models.TextChoices):
    POSITIVE = "positive", _("Positive")
    NEUTRAL = "neutral", _("Neutral")
    NEGATIVE = "negative", _("Negative")


def validate_query_languages(value) -> None:
    if not isinstance(value, list) or not all(isinstance(code, str) for code in value):
        raise ValidationError(_("Languages must be a list of language codes."))
    unknown = sorted(set(value) - set(QUERY_LANGUAGES))
    if unknown:
        raise ValidationError(
            _("Unknown language code(s): %(codes)s. Use fr, en, ar, ary or ary-Latn."),
            params={"codes": ", ".join(unknown)},
        )


def validate_word_list(value) -> None:
    if not isinstance(value, list) or not all(isinstance(w, str) for w in value):
        raise ValidationError(_("Excluded words must be a list of words."))


class ListeningQuery(TenantModel):
    """What to look for about a brand (or, with ``is_competitor``, about one of its rivals).

    ``expression`` is keywords, "exact phrases", AND / OR / NOT and parentheses; see
    reputation.expressions for the grammar. Changing any query changes ``updated_at``, which is
    what tells every worker to rebuild its matcher.
    """

    brand = models.ForeignKey(
        "clients.Brand", on_delete=models.CASCADE, related_name="listening_queries"
    )
    name = models.CharField(_("name"), max_length=120)
    expression = models.TextField(_("expression"), max_length=2000)
    excluded_words = models.JSONField(
        _("excluded words"), default=list, blank=True, validators=[validate_word_list]
    )
    languages = models.JSONField(
        _("languages"),
        default=list,
        blank=True,
        validators=[validate_query_languages],
        help_text=_("Leave empty for every language."),
    )
    is_competitor = models.BooleanField(_("competitor"), default=False)
    competitor_name = models.CharField(_("competitor name"), max_length=120, blank=True)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("listening query")
        verbose_name_plural = _("listening queries")
        constraints = [
            models.UniqueConstraint(
                "agency", "brand", Lower("name"), name="listening_query_name_unique_per_brand"
            ),
        ]
        indexes = [
            models.Index(fields=["agency", "active", "updated_at"], name="lq_agency_active"),
            models.Index(fields=["agency", "brand", "name"], name="lq_agency_brand"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def voice(self) -> str:
        """Whose voice a match counts for: "" for the brand itself, else the competitor."""
        return (self.competitor_name or self.name) if self.is_competitor else ""


class SourceKind(models.TextChoices):
    RSS = "rss", _("RSS/Atom feed")
    NETWORK_SEARCH = "network_search", _("Network search")
    OWNED_COMMENTS = "owned_comments", _("Comments on the brand's accounts")


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
    consecutive_failures = models.PositiveIntegerField(default=0)
    last_error = models.TextField(_("last error"), blank=True, max_length=2000)
    last_error_at = models.DateTimeField(null=True, blank=True)
    last_polled_at = models.DateTimeField(_("last polled"), null=True, blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    mentions_found = models.PositiveIntegerField(default=0)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

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


class Author(TenantModel):
    """Someone who wrote mentions, agency-wide per network and handle."""

    network = models.CharField(_("network"), max_length=20)
    handle = models.CharField(_("handle"), max_length=200)
    name = models.CharField(_("name"), max_length=200, blank=True)
    followers = models.PositiveBigIntegerField(_("followers"), null=True, blank=True)
    url = models.URLField(_("address"), max_length=1000, blank=True)
    first_seen_at = models.DateTimeField(default=timezone.now)
    last_seen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("author")
        verbose_name_plural = _("authors")
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "network", "handle"], name="author_unique_per_network"
            ),
        ]

    def __str__(self) -> str:
        return self.name or self.handle


class Mention(TenantModel):
    """One thing said about one brand (or one of its competitors), found by its queries.

    ``text`` and ``title`` are plain text, already stripped of markup and capped; they are still
    untrusted and always escaped when shown. ``matched_terms`` are the folded query terms found,
    used to highlight them. ``voice`` is "" when the mention is about the brand itself, else the
    competitor's name (share of voice).
    """

    brand = models.ForeignKey("clients.Brand", on_delete=models.CASCADE, related_name="mentions")
    source = models.ForeignKey(
        Source, null=True, blank=True, on_delete=models.SET_NULL, related_name="mentions"
    )
    queries = models.ManyToManyField(
        ListeningQuery, through="MentionMatch", related_name="mentions", blank=True
    )
    external_id = models.CharField(max_length=500)
    fingerprint = models.CharField(max_length=40)
    url = models.URLField(_("address"), max_length=1000, blank=True)
    title = models.CharField(_("title"), max_length=MAX_TITLE_CHARS, blank=True)
    text = models.TextField(_("text"), max_length=MAX_TEXT_CHARS)
    language = models.CharField(
        _("language"), max_length=10, choices=MentionLanguage.choices, default="und"
    )
    sentiment_score = models.FloatField(_("sentiment score"), default=0.0)
    sentiment_label = models.CharField(
        _("sentiment"), max_length=10, choices=SentimentLabel.choices, default="neutral"
    )
    sentiment_corrected = models.BooleanField(_("sentiment corrected"), default=False)
    author = models.ForeignKey(
        Author, null=True, blank=True, on_delete=models.SET_NULL, related_name="mentions"
    )
    published_at = models.DateTimeField(_("published"))
    collected_at = models.DateTimeField(_("collected"), default=timezone.now)
    reach = models.PositiveBigIntegerField(_("reach"), default=0)
    engagement = models.PositiveBigIntegerField(_("engagement"), default=0)
    voice = models.CharField(_("voice"), max_length=120, blank=True)
    matched_terms = models.JSONField(default=list, blank=True)
    tags = models.JSONField(_("tags"), default=list, blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("assigned to"),
    )
    reviewed = models.BooleanField(_("reviewed"), default=False)

    class Meta:
        verbose_name = _("mention")
        verbose_name_plural = _("mentions")
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "brand", "external_id"], name="mention_unique_external_id"
            ),
            models.UniqueConstraint(
                fields=["agency", "brand", "fingerprint"], name="mention_unique_story"
            ),
            models.CheckConstraint(
                condition=models.Q(sentiment_score__gte=-1, sentiment_score__lte=1),
                name="mention_sentiment_in_range",
            ),
        ]
        indexes = [
            models.Index(fields=["agency", "brand", "-published_at"], name="mention_brand_recent"),
            models.Index(fields=["agency", "-published_at", "-id"], name="mention_recent"),
            models.Index(fields=["agency", "author"], name="mention_author"),
            models.Index(fields=["agency", "source"], name="mention_source"),
        ]

    def __str__(self) -> str:
        return self.title or self.text[:80]


class MentionMatch(TenantModel):
    """Which of its brand's queries a mention matched (one row per mention and query)."""

    mention = models.ForeignKey(Mention, on_delete=models.CASCADE, related_name="matches")
    query = models.ForeignKey(ListeningQuery, on_delete=models.CASCADE, related_name="matches")

    class Meta:
        verbose_name = _("mention match")
        verbose_name_plural = _("mention matches")
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "mention", "query"], name="mention_match_unique"
            ),
        ]
        indexes = [models.Index(fields=["agency", "query"], name="mention_match_query")]


class SentimentCorrection(TenantModel):
    """A person's correction of a mention's sentiment, kept to measure the analyser."""

    mention = models.ForeignKey(Mention, on_delete=models.CASCADE, related_name="corrections")
    text = models.TextField(max_length=MAX_TEXT_CHARS)
    language = models.CharField(max_length=10, choices=MentionLanguage.choices)
    previous_label = models.CharField(max_length=10, choices=SentimentLabel.choices)
    previous_score = models.FloatField()
    label = models.CharField(max_length=10, choices=SentimentLabel.choices)
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("sentiment correction")
        verbose_name_plural = _("sentiment corrections")
        indexes = [models.Index(fields=["agency", "-created_at"], name="sentiment_corr_recent")]


class MentionRollup(TenantModel):
    """Hourly counts per brand and voice ("" = the brand, else a competitor), for charts.

    Recomputed from the mentions of the hours a batch touched, so it is idempotent and stays
    right after a sentiment correction.
    """

    brand = models.ForeignKey("clients.Brand", on_delete=models.CASCADE, related_name="+")
    hour = models.DateTimeField()
    voice = models.CharField(max_length=120, blank=True)
    volume = models.PositiveIntegerField(default=0)
    positive = models.PositiveIntegerField(default=0)
    neutral = models.PositiveIntegerField(default=0)
    negative = models.PositiveIntegerField(default=0)
    reach = models.PositiveBigIntegerField(default=0)
    sentiment_sum = models.FloatField(default=0.0)

    class Meta:
        verbose_name = _("hourly mention rollup")
        verbose_name_plural = _("hourly mention rollups")
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "brand", "hour", "voice"], name="mention_rollup_unique"
            ),
        ]


# --- Crises (rules, incidents, their timeline; detection in reputation.crisis_stats) ----------


class CrisisRule(TenantModel):
    """A brand's crisis rule: each condition on or off, the thresholds that matter most.

    Defaults are the measured ones (docs/performance.md, "Crisis detection"); a brand without a
    saved rule uses them. ``params()`` turns the row into crisis_stats.RuleParams.
    """

    brand = models.ForeignKey("clients.Brand", on_delete=models.CASCADE, related_name="+")
    active = models.BooleanField(_("detect crises for this brand"), default=True)
    volume_enabled = models.BooleanField(_("surge of all mentions"), default=True)
    negative_volume_enabled = models.BooleanField(_("surge of negative mentions"), default=True)
    negative_share_enabled = models.BooleanField(_("share of negative mentions"), default=True)
    trigger_words_enabled = models.BooleanField(_("trigger words"), default=True)
    high_reach_enabled = models.BooleanField(
        _("negative mention by a large audience"), default=True
    )
    p_value = models.FloatField(_("significance (tail probability)"), default=1e-4)
    min_volume_short = models.PositiveIntegerField(
        _("minimum negative mentions in an hour"), default=6
    )
    share_floor = models.FloatField(_("negative share floor"), default=0.6)
    share_jump = models.FloatField(_("negative share jump"), default=0.1)
    trigger_min_mentions = models.PositiveIntegerField(
        _("negative mentions with a trigger word in an hour"), default=3
    )
    extra_trigger_words = models.JSONField(_("extra trigger words"), default=list, blank=True)
    high_reach_followers = models.PositiveBigIntegerField(
        _("large audience from (followers)"), default=100_000
    )
    cooldown_hours = models.PositiveIntegerField(_("cooldown (hours)"), default=6)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("crisis rule")
        verbose_name_plural = _("crisis rules")
        constraints = [
            models.UniqueConstraint(fields=["agency", "brand"], name="crisis_rule_one_per_brand")
        ]

    def params(self):
        from datetime import timedelta

        from reputation.crisis_stats import RuleParams

        return RuleParams(
            volume_enabled=self.volume_enabled,
            negative_volume_enabled=self.negative_volume_enabled,
            negative_share_enabled=self.negative_share_enabled,
            trigger_words_enabled=self.trigger_words_enabled,
            high_reach_enabled=self.high_reach_enabled,
            p_value=self.p_value,
            min_volume_short=self.min_volume_short,
            share_floor=self.share_floor,
            share_jump=self.share_jump,
            trigger_min_mentions=self.trigger_min_mentions,
            extra_trigger_words=tuple(self.extra_trigger_words or ()),
            high_reach_followers=self.high_reach_followers,
            cooldown=timedelta(hours=self.cooldown_hours),
        )


class CrisisCause(models.TextChoices):
    VOLUME = "volume", _("Surge of mentions")
    NEGATIVE = "negative", _("Negative surge")
    TRIGGER_WORDS = "trigger_words", _("Trigger words")
    HIGH_REACH = "high_reach", _("Negative mention with a large audience")


class CrisisSeverity(models.TextChoices):
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")
    CRITICAL = "critical", _("Critical")


class CrisisState(models.TextChoices):
    OPEN = "open", _("Open")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    RESOLVED = "resolved", _("Resolved")


# The state machine: the only transitions services may make (reputation.crisis).
CRISIS_TRANSITIONS = {
    CrisisState.OPEN: {CrisisState.ACKNOWLEDGED, CrisisState.RESOLVED},
    CrisisState.ACKNOWLEDGED: {CrisisState.RESOLVED},
    CrisisState.RESOLVED: set(),
}


class CrisisIncident(TenantModel):
    """A crisis of one brand, for one cause; updated as it grows, never duplicated while open."""

    brand = models.ForeignKey("clients.Brand", on_delete=models.CASCADE, related_name="+")
    cause = models.CharField(_("cause"), max_length=20, choices=CrisisCause.choices)
    severity = models.CharField(_("severity"), max_length=10, choices=CrisisSeverity.choices)
    state = models.CharField(
        _("state"), max_length=14, choices=CrisisState.choices, default=CrisisState.OPEN
    )
    stats = models.JSONField(_("statistics"), default=dict, blank=True)
    mention_count = models.PositiveIntegerField(_("mentions"), default=0)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("owner"),
    )
    summary = models.TextField(_("closing summary"), blank=True, max_length=5000)
    opened_at = models.DateTimeField(_("opened"), default=timezone.now)
    last_signal_at = models.DateTimeField(default=timezone.now)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    resolve_suggested_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("crisis incident")
        verbose_name_plural = _("crisis incidents")
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "brand", "cause"],
                condition=~models.Q(state="resolved"),
                name="crisis_one_open_per_brand_cause",
            ),
            models.CheckConstraint(
                condition=models.Q(state__in=["open", "acknowledged", "resolved"]),
                name="crisis_state_known",
            ),
        ]
        indexes = [
            models.Index(fields=["agency", "state", "-opened_at"], name="crisis_recent"),
            models.Index(fields=["agency", "brand", "-opened_at"], name="crisis_brand_recent"),
        ]

    def __str__(self) -> str:
        return f"{self.get_cause_display()} · {self.brand_id}"

    @property
    def is_open(self) -> bool:
        return self.state != CrisisState.RESOLVED


class CrisisIncidentMention(TenantModel):
    """A mention behind an incident (an explicit table, so that it carries ``agency``)."""

    incident = models.ForeignKey(
        CrisisIncident, on_delete=models.CASCADE, related_name="incident_mentions"
    )
    mention = models.ForeignKey(Mention, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "incident", "mention"], name="crisis_mention_unique"
            )
        ]


class IncidentEventKind(models.TextChoices):
    OPENED = "opened", _("Opened")
    UPDATED = "updated", _("Grew")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    ASSIGNED = "assigned", _("Assigned")
    NOTE = "note", _("Note")
    RESOLVE_SUGGESTED = "resolve_suggested", _("Back to normal")
    RESOLVED = "resolved", _("Resolved")


class IncidentEvent(TenantModel):
    """The incident's timeline: state changes, growth, notes. Written by services only."""

    incident = models.ForeignKey(CrisisIncident, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=IncidentEventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(blank=True, max_length=5000)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            models.Index(fields=["agency", "incident", "created_at"], name="incident_timeline")
        ]


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
