"""Approvals, one small endpoint each, and a post's comment thread."""

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response

from agency import permissions
from agency.api.base import TenantAPIView
from agency.api.permissions import IsAgencyMember
from campaigns.api.serializers import CommentSerializer, PostSerializer, ReviewInput
from campaigns.models import Post
from campaigns.selectors.posts import post_comments, post_get_for
from campaigns.services.comments import post_comment_add
from campaigns.services.holds import post_hold, post_release
from campaigns.services.workflow import post_approve, post_request_changes


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
