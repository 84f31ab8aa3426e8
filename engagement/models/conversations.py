"""Conversations of the inbox and what they hold.

A conversation is one thread on one of a brand's social accounts: a comment on the brand's
post and the replies under it, a mention of the account, a direct-message thread, a review.
Its ``thread_key`` (the network's id of the thread's first item) is unique per account, and a
message's ``external_id`` is unique per account, so concurrent polls (and, later, webhooks)
store each item once. Times are the network's (when it was said), not when we read it.

``status`` is a state machine (engagement.states). ``language`` and ``sentiment`` repeat the
last inbound message's, so that the inbox filters on the conversation row alone.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from agency.tenancy import TenantModel
from reputation.models.mentions import MentionLanguage, SentimentLabel

MAX_MESSAGE_CHARS = 5000


class ConversationKind(models.TextChoices):
    COMMENT = "comment", _("Comment")
    REPLY = "reply", _("Reply")
    MENTION = "mention", _("Mention")
    DIRECT_MESSAGE = "direct_message", _("Direct message")
    REVIEW = "review", _("Review")


class ConversationStatus(models.TextChoices):
    NEW = "new", _("New")
    OPEN = "open", pgettext_lazy("conversation status", "Open")
    PENDING = "pending", _("Waiting for the author")
    CLOSED = "closed", _("Closed")


class Priority(models.IntegerChoices):
    LOW = 0, _("Low")
    NORMAL = 1, _("Normal")
    HIGH = 2, _("High")
    URGENT = 3, _("Urgent")


class Direction(models.TextChoices):
    INBOUND = "in", _("Received")
    OUTBOUND = "out", _("Sent by the brand")


class Label(TenantModel):
    """A label of the agency's own, put on conversations (e.g. "delivery", "to escalate")."""

    name = models.CharField(_("name"), max_length=60)
    colour = models.CharField(_("colour"), max_length=7, default="#6c757d")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("label")
        verbose_name_plural = _("labels")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "name"], name="engagement_label_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class Conversation(TenantModel):
    brand = models.ForeignKey(
        "clients.Brand", on_delete=models.CASCADE, related_name="conversations"
    )
    social_account = models.ForeignKey(
        "clients.SocialAccount", on_delete=models.CASCADE, related_name="conversations"
    )
    network = models.CharField(_("network"), max_length=20)
    kind = models.CharField(_("type"), max_length=20, choices=ConversationKind.choices)
    thread_key = models.CharField(max_length=500)
    # The post it is about, when known: the variant we published, else the network's post id.
    post_variant = models.ForeignKey(
        "campaigns.PostVariant",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="conversations",
    )
    post_external_id = models.CharField(max_length=500, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ConversationStatus.choices,
        default=ConversationStatus.NEW,
    )
    # Something arrived that nobody of the team has looked at yet (the sidebar's count).
    unread = models.BooleanField(_("unread"), default=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("assigned to"),
    )
    priority = models.PositiveSmallIntegerField(
        _("priority"), choices=Priority.choices, default=Priority.NORMAL
    )
    labels = models.ManyToManyField(
        Label, through="ConversationLabel", related_name="conversations", blank=True
    )
    author = models.ForeignKey(
        "reputation.Author",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="conversations",
    )
    author_label = models.CharField(_("author"), max_length=200, blank=True)
    preview = models.CharField(_("preview"), max_length=300, blank=True)
    language = models.CharField(
        _("language"), max_length=10, choices=MentionLanguage.choices, default="und"
    )
    sentiment = models.CharField(
        _("sentiment"), max_length=10, choices=SentimentLabel.choices, default="neutral"
    )
    message_count = models.PositiveIntegerField(default=0)
    last_message_at = models.DateTimeField(_("last message"))
    last_inbound_at = models.DateTimeField(null=True, blank=True)
    # The response-time clock (engagement.services.sla), in network time. First response:
    # from the first inbound message to the brand's first reply after it, once per
    # conversation. Resolution: from ``resolution_since`` (the first inbound message, or the
    # message that reopened a closed conversation) to its closing. The due times are in
    # business time, computed when the clock starts; the breach times are set once, by the
    # breach dispatcher's conditional update.
    first_inbound_at = models.DateTimeField(null=True, blank=True)
    first_response_at = models.DateTimeField(null=True, blank=True)
    first_response_due_at = models.DateTimeField(null=True, blank=True)
    first_response_breached_at = models.DateTimeField(null=True, blank=True)
    resolution_since = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolution_due_at = models.DateTimeField(null=True, blank=True)
    resolution_breached_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "social_account", "thread_key"],
                name="conversation_unique_thread",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=ConversationStatus.values),
                name="conversation_status_known",
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=ConversationKind.values),
                name="conversation_kind_known",
            ),
        ]
        indexes = [
            # The inbox's default order, agency-wide and per brand.
            models.Index(fields=["agency", "-last_message_at", "-id"], name="conversation_recent"),
            models.Index(
                fields=["agency", "brand", "-last_message_at"], name="conversation_brand_recent"
            ),
            models.Index(fields=["agency", "status", "assignee"], name="conversation_triage"),
            # The breach dispatcher's scans: only rows whose clock runs.
            models.Index(
                fields=["first_response_due_at"],
                name="conversation_response_due",
                condition=models.Q(
                    first_response_at__isnull=True, first_response_breached_at__isnull=True
                ),
            ),
            models.Index(
                fields=["resolution_due_at"],
                name="conversation_resolution_due",
                condition=models.Q(resolved_at__isnull=True, resolution_breached_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return self.preview[:80] or f"{self.get_kind_display()} {self.pk}"


class Message(TenantModel):
    """One item of a conversation, inbound (the author's) or outbound (the brand's)."""

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="messages"
    )
    social_account = models.ForeignKey(
        "clients.SocialAccount", on_delete=models.CASCADE, related_name="+"
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="replies"
    )
    kind = models.CharField(_("type"), max_length=20, choices=ConversationKind.choices)
    direction = models.CharField(
        _("direction"), max_length=3, choices=Direction.choices, default=Direction.INBOUND
    )
    external_id = models.CharField(max_length=500)
    parent_external_id = models.CharField(max_length=500, blank=True)
    author = models.ForeignKey(
        "reputation.Author", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    author_handle = models.CharField(_("handle"), max_length=200, blank=True)
    author_name = models.CharField(_("name"), max_length=200, blank=True)
    # The author's id on the network (a PSID, a DID...): whom a direct-message answer goes to.
    author_external_id = models.CharField(max_length=500, blank=True)
    sent_at = models.DateTimeField(_("sent"))  # the network's time
    received_at = models.DateTimeField(default=timezone.now)
    permalink = models.URLField(_("address"), max_length=1000, blank=True)
    text = models.TextField(_("text"), max_length=MAX_MESSAGE_CHARS)
    language = models.CharField(
        _("language"), max_length=10, choices=MentionLanguage.choices, default="und"
    )
    sentiment = models.CharField(
        _("sentiment"), max_length=10, choices=SentimentLabel.choices, default="neutral"
    )
    sentiment_score = models.FloatField(default=0.0)
    # reputation.abuse's labels with their score ({} = clean), computed when stored.
    abuse_labels = models.JSONField(_("abuse labels"), default=dict, blank=True)
    # The text has a link (engagement.services.moderation.conditions.has_link): the inbox's
    # "has a link" filter reads this column instead of matching every text.
    has_link = models.BooleanField(_("has a link"), default=False)
    raw = models.JSONField(null=True, blank=True)
    # What happened to it on the network since (Meta's webhooks: engagement.services
    # .network_changes). A removed message keeps its row and text: the thread's history.
    removed_at = models.DateTimeField(_("deleted on the network"), null=True, blank=True)
    hidden_on_network = models.BooleanField(_("hidden on the network"), default=False)
    edited_at = models.DateTimeField(_("edited on the network"), null=True, blank=True)
    # The earlier texts, oldest first: [{"text": ..., "until": ISO time of the edit}].
    edit_history = models.JSONField(_("earlier texts"), default=list, blank=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "social_account", "external_id"],
                name="message_unique_per_account",
            ),
            models.CheckConstraint(
                condition=models.Q(direction__in=Direction.values),
                name="message_direction_known",
            ),
        ]
        indexes = [
            models.Index(fields=["agency", "conversation", "sent_at"], name="message_thread"),
            models.Index(fields=["agency", "author", "-sent_at"], name="message_author"),
        ]

    def __str__(self) -> str:
        return self.text[:80]


class InternalNote(TenantModel):
    """The team's note on a conversation: never shown to client roles."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    author_label = models.CharField(max_length=200, blank=True)
    body = models.TextField(_("note"), max_length=5000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("internal note")
        verbose_name_plural = _("internal notes")
        indexes = [
            models.Index(fields=["agency", "conversation", "created_at"], name="note_thread")
        ]

    def __str__(self) -> str:
        return self.body[:80]


class ConversationLabel(TenantModel):
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="+")
    label = models.ForeignKey(Label, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("conversation label")
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "conversation", "label"], name="conversation_label_unique"
            ),
        ]
        indexes = [models.Index(fields=["agency", "label"], name="conversation_label_label")]
