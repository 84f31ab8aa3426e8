"""Approvals, one small endpoint each, and a post's comment thread."""

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response

from agency import permissions
from agency.api.base import TenantAPIView
from agency.api.permissions import IsAgencyMember
from campaigns.api.serializers import (
    BulkApproveInput,
    BulkOutcomeSerializer,
    CommentSerializer,
    PostSerializer,
    ReviewInput,
    VariantDecisionInput,
)
from campaigns.models import Post
from campaigns.selectors.posts import post_comments, post_get_for
from campaigns.services.bulk import posts_bulk_approve
from campaigns.services.comments import post_comment_add
from campaigns.services.decisions import (
    post_approve,
    post_reject,
    post_request_changes,
    variant_decide,
)
from campaigns.services.holds import post_hold, post_release


class MayReview(IsAgencyMember):
    """Internal or client approvers; the service checks which one the post's stage needs."""

    def has_permission(self, request, view):
        if not super().has_permission(request, view):
            return False
        return permissions.can(request.actor, permissions.POSTS_APPROVE) or permissions.can(
            request.actor, permissions.POSTS_CLIENT_APPROVE
        )


class _ReviewView(TenantAPIView):
    model = Post
    permission_classes = [MayReview]
    service = None

    @extend_schema(request=ReviewInput, responses=PostSerializer)
    def post(self, request, id):
        post = post_get_for(actor=request.actor, post_id=id)
        data = ReviewInput(data=request.data)
        data.is_valid(raise_exception=True)
        type(self).service(
            actor=request.actor, post=post, comment=data.validated_data.get("comment", "")
        )
        return Response(PostSerializer(post_get_for(actor=request.actor, post_id=id)).data)


class PostApproveView(_ReviewView):
    """Approve a post at its current review stage (internal, or client for client approvers)."""

    service = post_approve


class PostRequestChangesView(_ReviewView):
    """Send the post back to its author; a comment saying what to change is required."""

    service = post_request_changes


class PostRejectView(_ReviewView):
    """Reject every network still waiting for a decision (comment optional); with none
    approved, the post is cancelled."""

    service = post_reject


class PostVariantDecisionView(TenantAPIView):
    """Decide on one network's variant of a post in review: approved, changes_requested (a
    comment is required) or rejected. Only that variant moves; the post follows once no network
    waits for a decision (docs/campaigns.md)."""

    model = Post
    permission_classes = [MayReview]

    @extend_schema(request=VariantDecisionInput, responses=PostSerializer)
    def post(self, request, id, post_variant_id):
        post = post_get_for(actor=request.actor, post_id=id)
        data = VariantDecisionInput(data=request.data)
        data.is_valid(raise_exception=True)
        variant_decide(
            actor=request.actor,
            post=post,
            variant_id=post_variant_id,
            decision=data.validated_data["decision"],
            comment=data.validated_data.get("comment", ""),
        )
        return Response(PostSerializer(post_get_for(actor=request.actor, post_id=id)).data)


class PostsBulkApproveView(TenantAPIView):
    """Approve several posts with one comment for all. Each post is checked and approved on its
    own; the answer lists, post by post, whether it was approved or why not (200 either way)."""

    model = Post
    permission_classes = [MayReview]

    @extend_schema(request=BulkApproveInput, responses=BulkOutcomeSerializer(many=True))
    def post(self, request):
        data = BulkApproveInput(data=request.data)
        data.is_valid(raise_exception=True)
        outcomes = posts_bulk_approve(
            actor=request.actor,
            post_ids=data.validated_data["posts"],
            comment=data.validated_data.get("comment", ""),
        )
        return Response({"results": BulkOutcomeSerializer(outcomes, many=True).data})


class PostHoldView(_ReviewView):
    """Put an approved or scheduled post on hold: it is not published until released."""

    service = post_hold


class PostReleaseView(_ReviewView):
    """Release a held post: it goes out at its time, or at once if that has passed."""

    service = post_release


class PostCommentsView(TenantAPIView):
    """The post's comment thread; POST adds a comment (@mentions notify)."""

    model = Post
    required_actions = {"get": permissions.CAMPAIGNS_VIEW, "post": permissions.POSTS_COMMENT}

    @extend_schema(responses=CommentSerializer(many=True))
    def get(self, request, id):
        post = post_get_for(actor=request.actor, post_id=id)
        comments = post_comments(post, actor=request.actor)
        return Response(CommentSerializer(comments, many=True).data)

    @extend_schema(request=CommentSerializer, responses={201: CommentSerializer})
    def post(self, request, id):
        post = post_get_for(actor=request.actor, post_id=id)
        data = CommentSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        comment = post_comment_add(
            actor=request.actor,
            post=post,
            body=data.validated_data.get("body", ""),
            visibility=data.validated_data.get("visibility", ""),
        )
        return Response(CommentSerializer(comment).data, status=status.HTTP_201_CREATED)
