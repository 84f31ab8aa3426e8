"""Campaigns, ideas, posts with one variant per account, media, revisions, comments, links.

The state machines of posts and variants (their allowed moves) live in campaigns/states.py; the
publishing engine's own tables (kill switch, backoff, metric snapshots) live in publishing/.
Times are stored in UTC; a post's scheduled time is entered and shown in its brand's time zone.
"""

import uuid
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agency.tenancy import TenantModel

currency_validator = RegexValidator(r"^[A-Z]{3}$", _("Use a three-letter ISO currency code."))


# --- Per-brand publishing policy ---------------------------------------------------------------


class ApprovalMode(models.TextChoices):
    NONE = "none", _("No approval")
    INTERNAL = "internal", _("Internal approval")
    INTERNAL_THEN_CLIENT = "internal_client", _("Internal, then the client")


class PublishingPolicy(TenantModel):
    """How a brand's posts are approved (and, for the publishing engine, paused)."""

    brand = models.OneToOneField(
        "clients.Brand", on_delete=models.CASCADE, related_name="publishing_policy"
    )
    approval_mode = models.CharField(
        _("approval"),
        max_length=20,
        choices=ApprovalMode.choices,
        default=ApprovalMode.INTERNAL_THEN_CLIENT,
    )
    duplicate_window_hours = models.PositiveSmallIntegerField(
        _("flag duplicates posted within (hours)"), default=72
    )
    publishing_paused = models.BooleanField(_("publishing paused"), default=False)
    last_reminder_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("publishing policy")
        verbose_name_plural = _("publishing policies")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(approval_mode__in=ApprovalMode.values),
                name="publishing_policy_mode_known",
            )
        ]

    def __str__(self) -> str:
        return f"Policy of brand {self.brand_id}"


# --- Campaigns and ideas -------------------------------------------------------------------


class Objective(models.TextChoices):
    AWARENESS = "awareness", _("Awareness")
    ENGAGEMENT = "engagement", _("Engagement")
    TRAFFIC = "traffic", _("Traffic")
    LEADS = "leads", _("Leads")
    COMMUNITY_RECRUITMENT = "community_recruitment", _("Community recruitment")


class RecruitmentChannel(models.TextChoices):
    PARTNERSHIPS = "partnerships", _("Partnerships")
    REFERRAL = "referral", _("Referral")
    EMAILING = "emailing", _("E-mailing")


class CampaignStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    ACTIVE = "active", _("Active")
    PAUSED = "paused", _("Paused")
    COMPLETED = "completed", _("Completed")
    ARCHIVED = "archived", _("Archived")


KPI_KEYS = ("reach", "engagement_rate", "followers_gained", "leads", "clicks")


def validate_kpi_targets(value) -> None:
    if not isinstance(value, dict):
        raise ValidationError(_("KPI targets map a KPI to a number."))
    unknown = sorted(set(value) - set(KPI_KEYS))
    if unknown:
        raise ValidationError(
            _("Unknown KPI(s): %(kpis)s. Use: %(known)s."),
            params={"kpis": ", ".join(unknown), "known": ", ".join(KPI_KEYS)},
        )
    for number in value.values():
        if not isinstance(number, int | float) or isinstance(number, bool) or number < 0:
            raise ValidationError(_("Each KPI target must be a positive number."))


def validate_tags(value) -> None:
    if not isinstance(value, list) or not all(
        isinstance(t, str) and 0 < len(t) <= 50 for t in value
    ):
        raise ValidationError(_("Tags must be a list of words of at most 50 characters."))
    if len(value) > 30:
        raise ValidationError(_("At most 30 tags."))


class Campaign(TenantModel):
    brand = models.ForeignKey("clients.Brand", on_delete=models.CASCADE, related_name="campaigns")
    name = models.CharField(_("name"), max_length=150)
    objective = models.CharField(_("objective"), max_length=30, choices=Objective.choices)
    recruitment_channel = models.CharField(
        _("recruitment channel"),
        max_length=20,
        choices=RecruitmentChannel.choices,
        blank=True,
        help_text=_("For community recruitment: partnerships, referral or e-mailing."),
    )
    starts_on = models.DateField(_("start"))
    ends_on = models.DateField(_("end"))
    budget = models.DecimalField(
        _("budget"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    currency = models.CharField(
        _("currency"), max_length=3, default="MAD", validators=[currency_validator]
    )
    kpi_targets = models.JSONField(
        _("KPI targets"), default=dict, blank=True, validators=[validate_kpi_targets]
    )
    personas = models.ManyToManyField(
        "clients.Persona",
        blank=True,
        related_name="campaigns",
        verbose_name=_("audiences"),
        through="CampaignPersona",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=CampaignStatus.choices, default=CampaignStatus.PLANNED
    )
    tags = models.JSONField(_("tags"), default=list, blank=True, validators=[validate_tags])
    utm_enabled = models.BooleanField(_("add UTM parameters to links"), default=True)
    utm_source = models.CharField(
        _("utm_source"),
        max_length=100,
        default="{network}",
        help_text=_("{network} is replaced by the network of each variant."),
    )
    utm_medium = models.CharField(_("utm_medium"), max_length=100, default="social")
    utm_campaign = models.CharField(
        _("utm_campaign"),
        max_length=100,
        blank=True,
        help_text=_("Empty: derived from the campaign's name."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="campaign_ends_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(objective__in=Objective.values), name="campaign_objective_known"
            ),
        ]
        indexes = [models.Index(fields=["agency", "brand", "-starts_on"], name="campaign_brand")]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors = {}
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            errors["ends_on"] = _("The campaign must end on or after its start.")
        if self.recruitment_channel and self.objective != Objective.COMMUNITY_RECRUITMENT:
            errors["recruitment_channel"] = _(
                "A recruitment channel applies to community recruitment campaigns only."
            )
        if errors:
            raise ValidationError(errors)


class CampaignPersona(TenantModel):
    """A campaign's target audience (the link table carries agency_id like every tenant row)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+")
    persona = models.ForeignKey("clients.Persona", on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("campaign audience")
        verbose_name_plural = _("campaign audiences")
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "campaign", "persona"], name="campaign_persona_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id} → {self.persona_id}"


class IdeaKind(models.TextChoices):
    DEBATE = "debate", _("Debate topic")
    UGC = "ugc", _("User-generated content prompt")
    CONTEST = "contest", _("Contest")
    OTHER = "other", _("Other")


class IdeaStatus(models.TextChoices):
    OPEN = "open", _("Open")
    USED = "used", _("Turned into a post")
    DROPPED = "dropped", _("Dropped")


class Idea(TenantModel):
    """A brand's backlog entry, turned into a draft post when its time comes."""

    brand = models.ForeignKey("clients.Brand", on_delete=models.CASCADE, related_name="ideas")
    campaign = models.ForeignKey(
        Campaign, null=True, blank=True, on_delete=models.SET_NULL, related_name="ideas"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=IdeaKind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True, max_length=5000)
    status = models.CharField(
        _("status"), max_length=20, choices=IdeaStatus.choices, default=IdeaStatus.OPEN
    )
    post = models.ForeignKey(
        "campaigns.Post", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("idea")
        verbose_name_plural = _("ideas")
        indexes = [models.Index(fields=["agency", "brand", "status"], name="idea_backlog")]

    def __str__(self) -> str:
        return self.title


# --- Media library -------------------------------------------------------------------------


class MediaKind(models.TextChoices):
    IMAGE = "image", _("Image")
    GIF = "gif", _("GIF")
    VIDEO = "video", _("Video")


def media_upload_to(instance, filename: str) -> str:
    # Never the uploader's name on disk: a random name with the extension we verified.
    return f"media/{instance.agency_id}/{instance.brand_id}/{uuid.uuid4().hex}{instance.extension}"


def thumbnail_upload_to(instance, filename: str) -> str:
    return f"media/{instance.agency_id}/{instance.brand_id}/thumbs/{uuid.uuid4().hex}.jpg"


class MediaAsset(TenantModel):
    brand = models.ForeignKey("clients.Brand", on_delete=models.CASCADE, related_name="media")
    file = models.FileField(_("file"), upload_to=media_upload_to, max_length=300)
    original_name = models.CharField(_("original name"), max_length=255)
    kind = models.CharField(_("kind"), max_length=10, choices=MediaKind.choices)
    mime_type = models.CharField(_("type"), max_length=100)
    extension = models.CharField(max_length=10)
    size = models.PositiveBigIntegerField(_("size"))
    width = models.PositiveIntegerField(_("width"), null=True, blank=True)
    height = models.PositiveIntegerField(_("height"), null=True, blank=True)
    alt_text = models.CharField(_("alt text"), max_length=1500, blank=True)
    thumbnail = models.ImageField(_("thumbnail"), upload_to=thumbnail_upload_to, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("media")
        verbose_name_plural = _("media")
        indexes = [models.Index(fields=["agency", "brand", "-created_at"], name="media_library")]

    def __str__(self) -> str:
        return self.original_name


# --- Posts -----------------------------------------------------------------------------------


class PostState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    APPROVED = "approved", _("Approved")
    SCHEDULED = "scheduled", _("Scheduled")
    PUBLISHING = "publishing", _("Publishing")
    PUBLISHED = "published", _("Published")
    PARTLY_PUBLISHED = "partly_published", _("Partly published")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")


class ReviewStage(models.TextChoices):
    INTERNAL = "internal", _("Internal review")
    CLIENT = "client", _("Client review")


class Post(TenantModel):
    brand = models.ForeignKey("clients.Brand", on_delete=models.CASCADE, related_name="posts")
    campaign = models.ForeignKey(
        Campaign, null=True, blank=True, on_delete=models.SET_NULL, related_name="posts"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    title = models.CharField(_("internal title"), max_length=200, blank=True)
    text = models.TextField(_("text"), blank=True, max_length=70_000)
    link = models.URLField(_("link"), blank=True, max_length=2000)
    first_comment = models.TextField(_("first comment"), blank=True, max_length=10_000)
    labels = models.JSONField(_("labels"), default=list, blank=True, validators=[validate_tags])
    # Ordered ids of MediaAsset rows of the same brand (checked by the services).
    media_ids = models.JSONField(default=list, blank=True)
    # Media given by address (CSV import); fetched by the publishing engine.
    media_urls = models.JSONField(default=list, blank=True)
    scheduled_at = models.DateTimeField(_("scheduled for"), null=True, blank=True)
    state = models.CharField(
        _("state"), max_length=20, choices=PostState.choices, default=PostState.DRAFT
    )
    review_stage = models.CharField(
        _("review stage"), max_length=10, choices=ReviewStage.choices, blank=True
    )
    version = models.PositiveIntegerField(default=1)
    reviewed_version = models.PositiveIntegerField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by_label = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state__in=PostState.values), name="post_state_known"
            ),
        ]
        indexes = [
            models.Index(fields=["agency", "brand", "scheduled_at"], name="post_calendar"),
            models.Index(fields=["agency", "state", "review_stage"], name="post_review_queue"),
        ]

    def __str__(self) -> str:
        return self.title or (self.text[:60] if self.text else f"Post {self.pk}")

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.brand.time_zone)

    @property
    def local_scheduled_at(self):
        return self.scheduled_at.astimezone(self.tz) if self.scheduled_at else None

    @property
    def wall_clock(self):
        """The scheduled time on the brand's clock, naive: templates must not convert it to the
        dashboard's zone (they convert aware datetimes)."""
        local = self.local_scheduled_at
        return local.replace(tzinfo=None) if local else None

    @property
    def is_editable(self) -> bool:
        from campaigns.states import EDITABLE_STATES  # states.py imports this module

        return self.state in EDITABLE_STATES


class VariantState(models.TextChoices):
    PENDING = "pending", _("Not scheduled")
    SCHEDULED = "scheduled", _("Scheduled")
    PUBLISHING = "publishing", _("Publishing")
    PUBLISHED = "published", _("Published")
    FAILED = "failed", _("Failed")
    NEEDS_ATTENTION = "needs_attention", _("Needs attention")
    CANCELLED = "cancelled", _("Cancelled")


class PostVariant(TenantModel):
    """The post as it goes to one account. Publishes on its own: one failing network never
    blocks or republishes another. The publishing engine claims rows with a conditional update
    on (state='scheduled', due_at <= now), sets lease_until and attempt, and derives its
    idempotency key from `idempotency_key` and `attempt`."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="variants")
    social_account = models.ForeignKey(
        "clients.SocialAccount", on_delete=models.CASCADE, related_name="post_variants"
    )
    text_override = models.TextField(_("text for this account"), blank=True, max_length=70_000)
    # None: the post's media; a list (possibly empty): these media instead.
    media_override_ids = models.JSONField(null=True, blank=True)
    state = models.CharField(
        _("publishing state"),
        max_length=20,
        choices=VariantState.choices,
        default=VariantState.PENDING,
    )
    due_at = models.DateTimeField(null=True, blank=True)
    attempt = models.PositiveIntegerField(default=0)
    lease_until = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    idempotency_key = models.UUIDField(default=uuid.uuid4, editable=False)
    external_id = models.CharField(max_length=255, blank=True)
    external_url = models.URLField(max_length=1000, blank=True)
    last_error = models.TextField(blank=True, max_length=2000)
    published_at = models.DateTimeField(null=True, blank=True)
    # Set (by a conditional update) just before the network is called for this attempt: a
    # lease that runs out with it empty was never sent and may be claimed again safely; with
    # it set, the network is asked first (publishing.reaper.variant_reap).
    call_started_at = models.DateTimeField(null=True, blank=True)
    # Transient failures in a row (5xx, connection refused): retried with backoff up to a limit.
    transient_failures = models.PositiveSmallIntegerField(default=0)
    # A send whose outcome is unknown (a 5xx, a timeout, a dropped connection, a worker that
    # died mid-call) may have created the post: the next attempt asks the network first (posts
    # created after `unsettled_since`, minus a clock-skew margin) and resends with the SAME
    # idempotency key (`sent_key`), never a new one. Cleared once the outcome is known.
    sent_key = models.CharField(max_length=80, blank=True)
    unsettled_since = models.DateTimeField(null=True, blank=True)
    first_comment_id = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("post variant")
        verbose_name_plural = _("post variants")
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "post", "social_account"], name="variant_one_per_account"
            ),
            models.UniqueConstraint(fields=["idempotency_key"], name="variant_idempotency_key"),
            models.CheckConstraint(
                condition=models.Q(state__in=VariantState.values), name="variant_state_known"
            ),
        ]
        indexes = [
            # The dispatcher's claim: due, scheduled variants (spans agencies by design).
            models.Index(fields=["state", "due_at"], name="variant_due"),
            models.Index(fields=["agency", "social_account", "published_at"], name="variant_acct"),
        ]

    def __str__(self) -> str:
        return f"{self.post} → {self.social_account}"

    @property
    def text(self) -> str:
        return self.text_override or self.post.text

    def idempotency_key_for_attempt(self) -> str:
        """The key this attempt's send carries: the key of an unsettled earlier send when there
        is one (a resend must carry the same key), else one per attempt."""
        return self.sent_key or f"{self.idempotency_key.hex}-{self.attempt}"


class PostRevision(TenantModel):
    """A snapshot of the post's content at one version: what the reviewer compares."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    version = models.PositiveIntegerField()
    snapshot = models.JSONField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    author_label = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("post revision")
        verbose_name_plural = _("post revisions")
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "post", "version"], name="revision_one_per_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.post_id} v{self.version}"


class CommentKind(models.TextChoices):
    COMMENT = "comment", _("Comment")
    APPROVED = "approved", _("Approved")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")


class PostComment(TenantModel):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Who wrote it, as shown: a person's name, or "via approval link" for clients without login.
    author_label = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=CommentKind.choices, default=CommentKind.COMMENT)
    body = models.TextField(_("comment"), max_length=5000, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("post comment")
        verbose_name_plural = _("post comments")
        indexes = [models.Index(fields=["agency", "post", "created_at"], name="comment_thread")]

    def __str__(self) -> str:
        return f"{self.author_label}: {self.body[:40]}"


# --- Links for people without an account ----------------------------------------------------


class ShareLinkKind(models.TextChoices):
    APPROVAL = "approval", _("Approval link")
    CALENDAR = "calendar", _("Calendar feed (ICS)")


class ShareLink(TenantModel):
    """A revocable link to one brand: the approval page for clients who do not log in, or the
    brand's ICS feed. The URL carries a signed token of this row's id (django.core.signing);
    the row says whether it is still valid (expiry, revocation)."""

    brand = models.ForeignKey("clients.Brand", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=20, choices=ShareLinkKind.choices)
    label = models.CharField(_("for whom"), max_length=120, blank=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("share link")
        verbose_name_plural = _("share links")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.label}".strip()

    @property
    def is_active(self) -> bool:
        if self.revoked_at:
            return False
        return self.expires_at is None or self.expires_at > timezone.now()


# --- CSV import -----------------------------------------------------------------------------


class PostImportStatus(models.TextChoices):
    PREVIEW = "preview", _("Previewed")
    IMPORTED = "imported", _("Imported")


class PostImport(TenantModel):
    """An uploaded CSV of posts, checked row by row; nothing is created until confirmed."""

    brand = models.ForeignKey("clients.Brand", on_delete=models.CASCADE, related_name="+")
    file_name = models.CharField(max_length=255)
    rows = models.JSONField(default=list)  # [{"line": n, "data": {...}, "errors": [...]}]
    status = models.CharField(
        max_length=20, choices=PostImportStatus.choices, default=PostImportStatus.PREVIEW
    )
    created_post_ids = models.JSONField(default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("post import")
        verbose_name_plural = _("post imports")

    def __str__(self) -> str:
        return self.file_name

    @property
    def error_rows(self) -> list[dict]:
        return [row for row in self.rows if row["errors"]]

    @property
    def valid_rows(self) -> list[dict]:
        return [row for row in self.rows if not row["errors"]]
