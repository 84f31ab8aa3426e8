"""The inbox's API shapes: each field declared once (the detail adds the thread, and nothing
else); inputs of the actions are small serializers of their own."""

from rest_framework import serializers

from agency.api.fields import ObjectIdField
from engagement.models import (
    Conversation,
    ConversationKind,
    ConversationStatus,
    InternalNote,
    Label,
    Message,
    OutboundAction,
    Priority,
)
from engagement.models.outbound import MAX_REPLY_CHARS
from engagement.selectors.inbox import ABUSE_ANY, ASSIGNEE_NONE, SAVED_VIEWS
from engagement.services.actions import seen_marker
from engagement.services.conversations import MAX_LABEL_CHARS, MAX_LABELS, MAX_NOTE_CHARS
from engagement.services.sla import SLA_FIELDS
from reputation.models.mentions import AbuseLabel, MentionLanguage, SentimentLabel


class LabelSerializer(serializers.ModelSerializer):
    class Meta:
        model = Label
        fields = ["id", "name", "colour"]
        read_only_fields = ["id"]
        # The name's uniqueness is the service's check (case-insensitive), not a query here.
        extra_kwargs = {"name": {"validators": []}}


class MessageSerializer(serializers.ModelSerializer):
    parent = serializers.IntegerField(source="parent_id", read_only=True, allow_null=True)

    class Meta:
        model = Message
        fields = [
            "id",
            "external_id",
            "parent",
            "kind",
            "direction",
            "author_handle",
            "author_name",
            "sent_at",
            "permalink",
            "text",
            "language",
            "sentiment",
            "sentiment_score",
            "removed_at",
            "hidden_on_network",
            "edited_at",
            "edit_history",
        ]
        read_only_fields = fields


class ConversationSerializer(serializers.ModelSerializer):
    brand = serializers.IntegerField(source="brand_id", read_only=True)
    social_account = serializers.IntegerField(source="social_account_id", read_only=True)
    assignee = serializers.IntegerField(source="assignee_id", read_only=True, allow_null=True)
    author = serializers.IntegerField(source="author_id", read_only=True, allow_null=True)
    post_variant = serializers.IntegerField(
        source="post_variant_id", read_only=True, allow_null=True
    )
    labels = LabelSerializer(many=True, read_only=True)

    class Meta:
        model = Conversation
        fields = [
            "id",
            "brand",
            "social_account",
            "network",
            "kind",
            "status",
            "priority",
            "unread",
            "assignee",
            "labels",
            "author",
            "author_label",
            "preview",
            "language",
            "sentiment",
            "message_count",
            "post_variant",
            "post_external_id",
            "last_message_at",
            "last_inbound_at",
            # The response-time clock (docs/inbox.md "Response times").
            *SLA_FIELDS,
            "created_at",
        ]
        read_only_fields = fields


class ConversationDetailSerializer(ConversationSerializer):
    """A conversation with its thread, oldest first. The team's notes are not here: they are
    at /notes/, which client roles cannot reach."""

    messages = MessageSerializer(many=True, read_only=True)
    seen = serializers.SerializerMethodField(
        help_text="what this read saw (newest message, note, reply ids); send it with a reply"
    )

    class Meta(ConversationSerializer.Meta):
        fields = [*ConversationSerializer.Meta.fields, "messages", "seen"]
        read_only_fields = fields

    def get_seen(self, conversation) -> str:
        return seen_marker(conversation)


class ConversationNoteSerializer(serializers.ModelSerializer):
    author = serializers.IntegerField(source="author_id", read_only=True, allow_null=True)

    class Meta:
        model = InternalNote
        fields = ["id", "author", "author_label", "body", "created_at"]
        read_only_fields = ["id", "author", "author_label", "created_at"]
        extra_kwargs = {"body": {"max_length": MAX_NOTE_CHARS}}


class ConversationFilterInput(serializers.Serializer):
    """The list's query string, as the inbox page's filters; a value outside the choices is a
    400 naming the parameter."""

    view = serializers.ChoiceField(choices=SAVED_VIEWS, required=False)
    brand = ObjectIdField(required=False)
    account = ObjectIdField(required=False)
    network = serializers.CharField(max_length=20, required=False)
    kind = serializers.ChoiceField(choices=ConversationKind.choices, required=False)
    status = serializers.ChoiceField(choices=ConversationStatus.choices, required=False)
    assignee = serializers.RegexField(
        rf"^([0-9]{{1,18}}|{ASSIGNEE_NONE})$",
        required=False,
        help_text="a user id, or 'none' for unassigned",
    )
    sentiment = serializers.ChoiceField(choices=SentimentLabel.choices, required=False)
    language = serializers.ChoiceField(choices=MentionLanguage.choices, required=False)
    label = ObjectIdField(required=False)
    priority = serializers.ChoiceField(choices=Priority.choices, required=False)
    q = serializers.CharField(max_length=200, required=False, help_text="words in a message")
    has_link = serializers.BooleanField(
        required=False, default=False, help_text="an author's message has a link"
    )
    vip_author = serializers.BooleanField(
        required=False, default=False, help_text="an author on the brand's VIP list wrote"
    )
    abuse = serializers.ChoiceField(
        choices=[ABUSE_ANY, *AbuseLabel.values],
        required=False,
        help_text="an author's message has this abuse label ('any': one of them)",
    )


class AssignInput(serializers.Serializer):
    assignee = ObjectIdField(allow_null=True, help_text="a team member's user id, or null")


class StatusInput(serializers.Serializer):
    status = serializers.ChoiceField(choices=ConversationStatus.choices)


class LabelsInput(serializers.Serializer):
    labels = serializers.ListField(
        child=serializers.CharField(max_length=MAX_LABEL_CHARS),
        max_length=MAX_LABELS,
        help_text="the label names the conversation has from now on (new names are created)",
    )


class PriorityInput(serializers.Serializer):
    priority = serializers.ChoiceField(choices=Priority.choices)


class ReplyInput(serializers.Serializer):
    text = serializers.CharField(max_length=MAX_REPLY_CHARS)
    message = ObjectIdField(
        required=False, help_text="the message answered (default: the author's latest)"
    )
    seen = serializers.RegexField(
        r"^[0-9]{1,19}\.[0-9]{1,19}\.[0-9]{1,19}$",
        required=False,
        help_text="the detail's `seen`: refused (400) if the thread changed since",
    )


class OutboundActionSerializer(serializers.ModelSerializer):
    conversation = serializers.IntegerField(source="conversation_id", read_only=True)
    message = serializers.IntegerField(source="message_id", read_only=True, allow_null=True)

    class Meta:
        model = OutboundAction
        fields = ["id", "conversation", "kind", "state", "text", "external_id", "message", "error"]
        read_only_fields = fields
