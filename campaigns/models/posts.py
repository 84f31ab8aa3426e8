"""Posts with one variant per account, their revisions and their comments.

The allowed moves of a post's and a variant's state are in campaigns/states.py. Times are stored
in UTC; a post's scheduled time is entered and shown in its brand's time zone.
"""

import uuid
import zoneinfo

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agency.tenancy import TenantModel
from campaigns.models.planning import Campaign, validate_tags


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
    # On hold: an approved post the client (or an approver) stopped until released. The
    # publishing engine claims no variant of a held post (publishing.dispatch, under the lock).
    held_at = models.DateTimeField(null=True, blank=True)
    held_by_label = models.CharField(max_length=200, blank=True)
    # When the post started waiting at its current review stage: the reminders' clock.
    awaiting_since = models.DateTimeField(null=True, blank=True)
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


class VariantReview(models.TextChoices):
    """A reviewer's decision on one network's variant (campaigns.states.VARIANT_REVIEW_MOVES).
    The publishing engine claims only approved variants."""

    PENDING = "pending", _("Awaiting a decision")
    APPROVED = "approved", _("Approved")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    REJECTED = "rejected", _("Rejected")


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
    # The network's own publishing options (campaigns.network_options): a Pinterest board,
    # a YouTube title and privacy... keyed by the names the network's adapter declares.
    network_options = models.JSONField(_("network options"), default=dict, blank=True)
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
    # The review decision on this network (per-network approval); who took it and when.
    review = models.CharField(
        _("decision"), max_length=20, choices=VariantReview.choices, default=VariantReview.PENDING
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by_label = models.CharField(max_length=200, blank=True)
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
            models.CheckConstraint(
                condition=models.Q(review__in=VariantReview.values), name="variant_review_known"
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
    HELD = "held", _("Put on hold")
    RELEASED = "released", _("Released")
    REJECTED = "rejected", _("Rejected")


class CommentVisibility(models.TextChoices):
    # Internal: the agency's team only. External: the team and the brand's client (client
    # roles, approval-link holders). Client roles and link holders only ever write external.
    INTERNAL = "internal", _("Internal (team only)")
    EXTERNAL = "external", _("Shared with the client")


class PostComment(TenantModel):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Who wrote it, as shown: a person's name, or "via approval link" for clients without login.
    author_label = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=CommentKind.choices, default=CommentKind.COMMENT)
    body = models.TextField(_("comment"), max_length=5000, blank=True)
    visibility = models.CharField(
        _("visibility"),
        max_length=10,
        choices=CommentVisibility.choices,
        default=CommentVisibility.INTERNAL,
    )
    version = models.PositiveIntegerField(default=1)
    # A decision on one network's variant (None: on the whole post, or a plain comment).
    variant = models.ForeignKey(
        PostVariant, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("post comment")
        verbose_name_plural = _("post comments")
        indexes = [models.Index(fields=["agency", "post", "created_at"], name="comment_thread")]

    def __str__(self) -> str:
        return f"{self.author_label}: {self.body[:40]}"
