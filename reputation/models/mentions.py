"""What was found: mentions, their authors, the queries they matched, corrections, rollups.

Every table carries ``agency`` and every index and unique constraint leads with it. A mention
belongs to one brand: a story that matches the queries of two brands is stored once per brand.
"""

from django.conf import settings
from django.db import models
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


class AbuseLabel(models.TextChoices):
    """The labels of ``reputation.abuse`` (same values), named for people."""

    INSULT = "insult", _("Insult")
    HATE = "hate", _("Hate")
    SEXUAL = "sexual", _("Sexual content")
    THREAT = "threat", _("Threat")
    SPAM = "spam", _("Spam")
    SCAM = "scam", _("Scam")


class SentimentLabel(models.TextChoices):
    POSITIVE = "positive", _("Positive")
    NEUTRAL = "neutral", _("Neutral")
    NEGATIVE = "negative", _("Negative")


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
        "reputation.Source",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="mentions",
    )
    queries = models.ManyToManyField(
        "reputation.ListeningQuery", through="MentionMatch", related_name="mentions", blank=True
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
    # {label: score} of the abuse labels given at ingest (reputation.abuse); {} = clean.
    abuse_labels = models.JSONField(_("abuse labels"), default=dict, blank=True)
    author = models.ForeignKey(
        Author, null=True, blank=True, on_delete=models.SET_NULL, related_name="mentions"
    )
    published_at = models.DateTimeField(_("published"))
    # Where it was said (reputation.places: a site, a forum, a subreddit, an account), for the
    # community census; "" for mentions stored before it existed and not yet backfilled.
    place = models.CharField(_("place"), max_length=200, blank=True, default="")
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
            # The census: a brand's places over a period.
            models.Index(
                fields=["agency", "brand", "place", "published_at"], name="mention_brand_place"
            ),
        ]

    def __str__(self) -> str:
        return self.title or self.text[:80]


class MentionMatch(TenantModel):
    """Which of its brand's queries a mention matched (one row per mention and query)."""

    mention = models.ForeignKey(Mention, on_delete=models.CASCADE, related_name="matches")
    query = models.ForeignKey(
        "reputation.ListeningQuery", on_delete=models.CASCADE, related_name="matches"
    )

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
