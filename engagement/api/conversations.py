"""Conversations through the API: the inbox list, one conversation with its thread, the
actions of the conversation page (assign, status, labels, priority) and the team's notes."""

import zoneinfo

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from agency import permissions
from agency.api.base import TenantViewSet
from agency.api.fields import ObjectIdField
from agency.api.pagination import CursorPagination
from engagement.api.replies import ReplyApprovalSerializer
from engagement.api.serializers import (
    AssignInput,
    ConversationDetailSerializer,
    ConversationFilterInput,
    ConversationNoteSerializer,
    ConversationSerializer,
    LabelsInput,
    OutboundActionSerializer,
    PriorityInput,
    ReplyInput,
    StatusInput,
)
from engagement.models import ActionKind, Conversation, InternalNote, Message, ReplyApproval
from engagement.selectors.conversation import may_read_notes
from engagement.selectors.inbox import InboxFilters, conversations_list
from engagement.services import conversations as services
from engagement.services.actions import action_request, seen_marker
from engagement.services.approvals import reply_submit

MAX_API_KEY_CHARS = 64  # the stored key is "api:" + this, within the column


class ConversationPagination(CursorPagination):
    ordering = ("-last_message_at", "-id")  # the inbox's order: the latest message first


def _filters(params) -> InboxFilters:
    data = ConversationFilterInput(data=params)
    data.is_valid(raise_exception=True)
    c = data.validated_data
    return InboxFilters(
        view=c.get("view", ""),
        brand_id=c.get("brand"),
        account_id=c.get("account"),
        network=c.get("network", ""),
        kind=c.get("kind", ""),
        status=c.get("status", ""),
        assignee=c.get("assignee", ""),
        sentiment=c.get("sentiment", ""),
        language=c.get("language", ""),
        label_id=c.get("label"),
        priority=c.get("priority"),
        search=c.get("q", "").strip(),
        has_link=c.get("has_link", False),
        vip_author=c.get("vip_author", False),
        abuse=c.get("abuse", ""),
    )


_LIST_PARAMETERS = [
    OpenApiParameter(name, required=False, type=field_type)
    for name, field_type in [
        ("view", str),
        ("brand", int),
        ("account", int),
        ("network", str),
        ("kind", str),
        ("status", str),
        ("assignee", str),
        ("sentiment", str),
        ("language", str),
        ("label", int),
        ("priority", int),
        ("q", str),
        ("has_link", bool),
        ("vip_author", bool),
        ("abuse", str),
    ]
]


class MessageActionInput(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=[
            ActionKind.HIDE,
            ActionKind.UNHIDE,
            ActionKind.DELETE,
            ActionKind.LIKE,
            ActionKind.UNLIKE,
            ActionKind.PRIVATE_REPLY,
        ]
    )
    message = ObjectIdField(help_text="the author's message acted on")
    text = serializers.CharField(
        max_length=20000,
        required=False,
        default="",
        help_text="private_reply only: the private message to the comment's author",
    )


class ConversationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, TenantViewSet):
    """The inbox: what the actor may see (a client role, its brands' conversations)."""

    model = Conversation
    serializer_class = ConversationSerializer
    pagination_class = ConversationPagination
    filter_backends: list = []
    required_actions = {
        "list": permissions.INBOX_VIEW,
        "retrieve": permissions.INBOX_VIEW,
        "assign": permissions.INBOX_MANAGE,
        "set_status": permissions.INBOX_MANAGE,
        "labels": permissions.INBOX_MANAGE,
        "priority": permissions.INBOX_MANAGE,
        "notes": permissions.INBOX_VIEW,
        # A client role gets the 404 of /notes/ before any permission answer; the service
        # refuses the team's readers (inbox.manage).
        "note_add": permissions.INBOX_VIEW,
        # A client approver may reply when the brand allows it: the service decides.
        "reply": permissions.INBOX_VIEW,
        "message_action": permissions.INBOX_MANAGE,
    }

    def scope_queryset(self, queryset):
        if self.action == "list":
            actor = self.request.actor
            tz = zoneinfo.ZoneInfo(actor.agency.time_zone or "Africa/Casablanca")
            return conversations_list(actor, _filters(self.request.query_params), tz=tz)
        queryset = conversations_list(
            self.request.actor, InboxFilters(), tz=zoneinfo.ZoneInfo("UTC")
        )
        if self.action == "retrieve":
            thread = Message.objects.order_by("sent_at", "id")
            queryset = queryset.prefetch_related(Prefetch("messages", queryset=thread))
        return queryset

    def get_serializer_class(self):
        return (
            ConversationDetailSerializer
            if self.action == "retrieve"
            else super().get_serializer_class()
        )

    @extend_schema(parameters=_LIST_PARAMETERS)
    def list(self, request, *args, **kwargs):
        """Newest message first, filtered like the inbox page; cursor pagination."""
        return super().list(request, *args, **kwargs)

    def _answer(self, conversation):
        fresh = self.get_queryset().get(pk=conversation.pk)  # labels and all, as listed
        return Response(ConversationSerializer(fresh).data)

    @extend_schema(request=AssignInput, responses=ConversationSerializer)
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        """Give the conversation to a team member (they are alerted), or to nobody (null)."""
        conversation = self.get_object()
        data = AssignInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.conversation_assign(
            actor=request.actor,
            conversation=conversation,
            user_id=data.validated_data["assignee"],
        )
        return self._answer(conversation)

    @extend_schema(request=StatusInput, responses=ConversationSerializer)
    @action(detail=True, methods=["post"], url_path="status")
    def set_status(self, request, pk=None):
        """Open, wait for the author (pending), close or reopen; a move the conversation's
        state does not allow is a 400 saying why."""
        conversation = self.get_object()
        data = StatusInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.conversation_status_set(
            actor=request.actor, conversation=conversation, status=data.validated_data["status"]
        )
        return self._answer(conversation)

    @extend_schema(request=LabelsInput, responses=ConversationSerializer)
    @action(detail=True, methods=["post"])
    def labels(self, request, pk=None):
        """Set the conversation's labels by name (the list replaces the ones it had)."""
        conversation = self.get_object()
        data = LabelsInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.conversation_labels_set(
            actor=request.actor, conversation=conversation, names=data.validated_data["labels"]
        )
        return self._answer(conversation)

    @extend_schema(request=PriorityInput, responses=ConversationSerializer)
    @action(detail=True, methods=["post"])
    def priority(self, request, pk=None):
        """0 low, 1 normal, 2 high, 3 urgent."""
        conversation = self.get_object()
        data = PriorityInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.conversation_priority_set(
            actor=request.actor,
            conversation=conversation,
            priority=data.validated_data["priority"],
        )
        return self._answer(conversation)

    def _notes_conversation(self):
        # The team's notes do not exist for a client role: 404, like a missing address.
        if not may_read_notes(self.request.actor):
            raise exceptions.NotFound()
        return self.get_object()

    @extend_schema(responses=ConversationNoteSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None)
    def notes(self, request, pk=None):
        """The team's internal notes, oldest first. Never shown to client roles (404)."""
        conversation = self._notes_conversation()
        notes = InternalNote.objects.filter(conversation=conversation).order_by("created_at", "id")
        return Response(ConversationNoteSerializer(notes, many=True).data)

    @extend_schema(request=ConversationNoteSerializer, responses={201: ConversationNoteSerializer})
    @notes.mapping.post
    def note_add(self, request, pk=None):
        """Write an internal note (the team's only)."""
        conversation = self._notes_conversation()
        data = ConversationNoteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        note = services.conversation_note_add(
            actor=request.actor, conversation=conversation, body=data.validated_data["body"]
        )
        return Response(ConversationNoteSerializer(note).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=ReplyInput,
        responses={202: OutboundActionSerializer, 201: ReplyApprovalSerializer},
        parameters=[
            OpenApiParameter(
                "Idempotency-Key",
                str,
                OpenApiParameter.HEADER,
                required=False,
                description="the same key again returns the first request's reply (one reply)",
            )
        ],
    )
    @action(detail=True, methods=["post"])
    def reply(self, request, pk=None):
        """Queue a reply to the network (sent by the worker, once); its state is in the
        answer. A thread that changed since `seen` refuses the reply (400)."""
        conversation = self.get_object()
        data = ReplyInput(data=request.data)
        data.is_valid(raise_exception=True)
        key = request.headers.get("Idempotency-Key", "")
        if len(key) > MAX_API_KEY_CHARS or not key.isprintable():
            raise exceptions.ValidationError(
                {
                    "Idempotency-Key": [
                        _("At most %(n)d printable characters.") % {"n": MAX_API_KEY_CHARS}
                    ]
                }
            )
        c = data.validated_data
        target = None
        if "message" in c:
            target = Message.objects.filter(conversation=conversation, pk=c["message"]).first()
            if target is None:
                raise exceptions.ValidationError(
                    {"message": [_("Choose a message of this conversation.")]}
                )
        sent = reply_submit(
            conversation=conversation,
            message=target,
            actor=request.actor,
            text=c["text"],
            # Its own namespace: an API key can never equal a dashboard form's token.
            token=f"api:{key}" if key else "",
            seen=c.get("seen") or seen_marker(conversation),
        )
        if isinstance(sent, ReplyApproval):
            # Stored for a manager's approval (the brand's replies_need_approval).
            return Response(ReplyApprovalSerializer(sent).data, status=status.HTTP_201_CREATED)
        return Response(OutboundActionSerializer(sent).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(
        request=MessageActionInput,
        responses={202: OutboundActionSerializer},
        parameters=[
            OpenApiParameter(
                "Idempotency-Key",
                str,
                OpenApiParameter.HEADER,
                required=False,
                description="the same key again returns the first request's action (one call)",
            )
        ],
    )
    @action(detail=True, methods=["post"], url_path="actions")
    def message_action(self, request, pk=None):
        """Hide, unhide, delete, like or unlike one of the author's comments on the network, or
        send its author a private reply (``text``; once per comment, within the network's
        days), through the outbox (sent by the worker, once). A network that does not allow
        it, or a private reply refused, answers 400 with the reason."""
        conversation = self.get_object()
        data = MessageActionInput(data=request.data)
        data.is_valid(raise_exception=True)
        key = _idempotency_key(request)
        c = data.validated_data
        target = Message.objects.filter(conversation=conversation, pk=c["message"]).first()
        if target is None:
            raise exceptions.ValidationError(
                {"message": [_("Choose a message of this conversation.")]}
            )
        outbound = action_request(
            conversation=conversation,
            kind=c["kind"],
            message=target,
            actor=request.actor,
            text=c["text"] if c["kind"] == ActionKind.PRIVATE_REPLY else "",
            token=f"api:{c['kind']}:{key}" if key else "",
        )
        return Response(OutboundActionSerializer(outbound).data, status=status.HTTP_202_ACCEPTED)


def _idempotency_key(request) -> str:
    key = request.headers.get("Idempotency-Key", "")
    if len(key) > MAX_API_KEY_CHARS or not key.isprintable():
        raise exceptions.ValidationError(
            {
                "Idempotency-Key": [
                    _("At most %(n)d printable characters.") % {"n": MAX_API_KEY_CHARS}
                ]
            }
        )
    return key
