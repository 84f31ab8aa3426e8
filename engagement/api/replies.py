"""Saved replies and replies awaiting approval through the API.

/saved-replies/: the brands' saved replies (read by the inbox's readers, managed by the team;
a bad variable is a 400 naming the known ones). /reply-approvals/: the replies that wait for a
manager (the team reads them; approving and rejecting are for managers, admins and owners).
"""

from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from agency import permissions
from agency.api.base import TenantViewSet
from agency.api.pagination import CursorPagination
from clients.models import Brand
from engagement.api.serializers import OutboundActionSerializer
from engagement.models import ReplyApproval, SavedReply
from engagement.models.replies import MAX_REASON_CHARS, ApprovalState
from engagement.services.actions import seen_marker
from engagement.services.approvals import approval_approve, approval_reject
from engagement.services.saved_replies import saved_reply_delete, saved_reply_save


class SavedReplySerializer(serializers.ModelSerializer):
    brand = serializers.PrimaryKeyRelatedField(queryset=Brand.objects.none())

    class Meta:
        model = SavedReply
        fields = ["id", "brand", "language", "title", "body", "created_at", "updated_at"]
        read_only_fields = ["id", "created_at", "updated_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        actor = getattr(request, "actor", None)
        if actor is not None:
            self.fields["brand"].queryset = Brand.objects.visible_to(actor)


class SavedReplyPagination(CursorPagination):
    ordering = ("title", "id")


class SavedReplyViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, TenantViewSet):
    model = SavedReply
    serializer_class = SavedReplySerializer
    pagination_class = SavedReplyPagination
    filter_backends: list = []
    required_actions = {
        "list": permissions.INBOX_VIEW,
        "retrieve": permissions.INBOX_VIEW,
        "create": permissions.INBOX_MANAGE,
        "partial_update": permissions.INBOX_MANAGE,
        "destroy": permissions.INBOX_MANAGE,
    }

    def _save(self, reply: SavedReply) -> SavedReply:
        # A bad variable is the service's ValidationError: a 400 (agency/api/errors.py).
        return saved_reply_save(actor=self.request.actor, reply=reply)

    def create(self, request):
        data = self.get_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        reply = self._save(SavedReply(**data.validated_data))
        return Response(self.get_serializer(reply).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        reply = self.get_object()
        data = self.get_serializer(reply, data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        for name, value in data.validated_data.items():
            setattr(reply, name, value)
        reply = self._save(reply)
        return Response(self.get_serializer(reply).data)

    def destroy(self, request, pk=None):
        saved_reply_delete(actor=request.actor, reply=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


class ReplyApprovalSerializer(serializers.ModelSerializer):
    conversation = serializers.IntegerField(source="conversation_id", read_only=True)
    action = OutboundActionSerializer(read_only=True, allow_null=True)

    class Meta:
        model = ReplyApproval
        fields = [
            "id",
            "conversation",
            "state",
            "text",
            "requested_label",
            "rule_label",
            "decided_label",
            "reason",
            "action",
            "created_at",
            "decided_at",
        ]
        read_only_fields = fields


class ApproveInput(serializers.Serializer):
    seen = serializers.CharField(
        max_length=200,
        required=False,
        help_text="the conversation's marker when you read it (detail's `seen`); a thread that "
        "changed since refuses the approval",
    )


class RejectInput(serializers.Serializer):
    reason = serializers.CharField(max_length=MAX_REASON_CHARS)


class ReplyApprovalPagination(CursorPagination):
    ordering = ("-created_at", "-id")


class ReplyApprovalViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, TenantViewSet):
    """Replies waiting for a manager (``?state=`` awaiting, approved, rejected)."""

    model = ReplyApproval
    serializer_class = ReplyApprovalSerializer
    pagination_class = ReplyApprovalPagination
    filter_backends: list = []
    required_actions = {
        "list": permissions.INBOX_MANAGE,
        "retrieve": permissions.INBOX_MANAGE,
        "approve": permissions.INBOX_APPROVE_REPLIES,
        "reject": permissions.INBOX_APPROVE_REPLIES,
    }

    def scope_queryset(self, queryset):
        queryset = queryset.select_related("action")
        state = self.request.query_params.get("state", "")
        if self.action == "list" and state:
            if state not in ApprovalState.values:
                raise exceptions.ValidationError({"state": ["Unknown state."]})
            queryset = queryset.filter(state=state)
        return queryset

    def _decided(self, approval):
        fresh = self.get_queryset().get(pk=approval.pk)
        return Response(ReplyApprovalSerializer(fresh).data)

    @extend_schema(request=ApproveInput, responses=ReplyApprovalSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        approval = self.get_object()
        data = ApproveInput(data=request.data)
        data.is_valid(raise_exception=True)
        seen = data.validated_data.get("seen") or seen_marker(approval.conversation)
        approval = approval_approve(actor=request.actor, approval=approval, seen=seen)
        return self._decided(approval)

    @extend_schema(request=RejectInput, responses=ReplyApprovalSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        approval = self.get_object()
        data = RejectInput(data=request.data)
        data.is_valid(raise_exception=True)
        approval = approval_reject(
            actor=request.actor, approval=approval, reason=data.validated_data["reason"]
        )
        return self._decided(approval)
