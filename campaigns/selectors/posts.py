"""Reads of posts: lists with their joins, the approval queue, revisions and what changed
between them, comment threads, CSV imports."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from agency import permissions
from agency.models import Membership, Role
from agency.visibility import get_visible_or_404
from campaigns.models import (
    CommentVisibility,
    Post,
    PostComment,
    PostImport,
    PostRevision,
    PostState,
    PostVariant,
    ReviewStage,
    ShareLink,
    ShareLinkKind,
)
from campaigns.selectors.access import Actor, brand_content_visible_to
from clients.models import AccountStatus, SocialAccount


def posts_visible_to(actor: Actor, *, brand_id=None) -> QuerySet[Post]:
    """Posts with what lists and calendars draw: brand, campaign, author, variants, accounts."""
    return (
        brand_content_visible_to(Post, actor, brand_id=brand_id)
        .select_related("brand", "campaign", "author")
        .prefetch_related(
            Prefetch(
                "variants",
                queryset=PostVariant.objects.filter(agency_id=actor.agency_id)
                .select_related("social_account")
                .order_by("social_account__network", "id"),
            )
        )
    )


def post_get_for(*, actor: Actor, post_id) -> Post:
    return get_visible_or_404(posts_visible_to(actor), post_id, actor=actor)


def posts_filtered(
    actor: Actor,
    *,
    brand_id=None,
    campaign_id=None,
    network=None,
    state=None,
    author_id=None,
    start: dt.datetime | None = None,
    end: dt.datetime | None = None,
) -> QuerySet[Post]:
    """The calendar's and list's posts: filters by campaign, network, state, author, range."""
    queryset = posts_visible_to(actor, brand_id=brand_id)
    if campaign_id:
        queryset = queryset.filter(campaign_id=campaign_id)
    if network:
        queryset = queryset.filter(variants__social_account__network=network).distinct()
    if state:
        queryset = queryset.filter(state=state)
    if author_id:
        queryset = queryset.filter(author_id=author_id)
    if start is not None:
        queryset = queryset.filter(scheduled_at__gte=start)
    if end is not None:
        queryset = queryset.filter(scheduled_at__lt=end)
    return queryset


def posts_awaiting(actor: Actor) -> QuerySet[Post]:
    """Posts waiting for this actor's decision: internal reviews for internal approvers, client
    reviews of their own brands for client approvers."""
    queryset = posts_visible_to(actor).filter(state=PostState.IN_REVIEW)
    stages = []
    if permissions.can(actor, permissions.POSTS_APPROVE):
        stages.append(ReviewStage.INTERNAL)
    if permissions.can(actor, permissions.POSTS_CLIENT_APPROVE):
        stages.append(ReviewStage.CLIENT)
    return queryset.filter(review_stage__in=stages).order_by("scheduled_at", "id")


@dataclass(frozen=True)
class WaitingForTheClient:
    """A post approved by the team that waits for the client's decision."""

    post: Post
    since: dt.datetime
    approvers: list[str]  # the brand's client approvers, by name
    links: list[str]  # the brand's active approval links, by whom they are for


def posts_awaiting_the_client(actor: Actor) -> list[WaitingForTheClient]:
    """For the agency's team: the posts in client review of the brands it sees, longest
    waiting first, each with who may decide (client approvers, approval links) and since when
    (the team's approval that handed it over). Client roles get nothing here: what waits for
    them is `posts_awaiting`. Three queries whatever the number of posts."""
    if isinstance(actor, Membership) and actor.is_client:
        return []
    posts = list(
        posts_visible_to(actor)
        .filter(state=PostState.IN_REVIEW, review_stage=ReviewStage.CLIENT)
        .order_by("awaiting_since", "id")
    )
    if not posts:
        return []
    brand_ids = {post.brand_id for post in posts}
    approvers: dict[int, list[str]] = {}
    for brand_id, full_name, email in (
        Membership.objects.filter(
            agency_id=actor.agency_id,
            role=Role.CLIENT_APPROVER,
            brand_accesses__brand_id__in=brand_ids,
        )
        .values_list("brand_accesses__brand_id", "user__full_name", "user__email")
        .distinct()
    ):
        approvers.setdefault(brand_id, []).append(full_name or email)
    links: dict[int, list[str]] = {}
    now = timezone.now()
    for brand_id, label in (
        ShareLink.objects.filter(
            agency_id=actor.agency_id,
            brand_id__in=brand_ids,
            kind=ShareLinkKind.APPROVAL,
            revoked_at=None,
        )
        .filter(Q(expires_at=None) | Q(expires_at__gt=now))
        .order_by("label", "id")
        .values_list("brand_id", "label")
    ):
        links.setdefault(brand_id, []).append(label)
    return [
        WaitingForTheClient(
            post=post,
            since=post.awaiting_since or post.submitted_at or post.updated_at,
            approvers=sorted(approvers.get(post.brand_id, []), key=str.casefold),
            links=links.get(post.brand_id, []),
        )
        for post in posts
    ]


def post_can_be_reviewed_by(post: Post, actor: Actor) -> bool:
    """Whether the post awaits a decision this actor may take at its current stage."""
    if post.state != PostState.IN_REVIEW:
        return False
    if post.review_stage == ReviewStage.INTERNAL:
        return permissions.can(actor, permissions.POSTS_APPROVE)
    if post.review_stage == ReviewStage.CLIENT:
        return permissions.can(actor, permissions.POSTS_CLIENT_APPROVE)
    return False


def post_revisions(post: Post) -> QuerySet[PostRevision]:
    return PostRevision.objects.filter(agency_id=post.agency_id, post=post).order_by("version")


def post_comments(post: Post, *, actor: Actor | None) -> QuerySet[PostComment]:
    """The post's comment thread, oldest first, as `actor` may read it: a client role, or the
    holder of an approval link (``actor=None``), reads only the comments shared with the client
    (``external``); the team reads every one."""
    comments = PostComment.objects.filter(agency_id=post.agency_id, post=post)
    if actor is None or (isinstance(actor, Membership) and actor.is_client):
        comments = comments.filter(visibility=CommentVisibility.EXTERNAL)
    return comments.select_related("author").order_by("created_at", "id")


def post_import_get_for(*, actor: Actor, post_import_id) -> PostImport:
    return get_visible_or_404(
        brand_content_visible_to(PostImport, actor).select_related("brand"),
        post_import_id,
        actor=actor,
    )


def composer_accounts_of(brand) -> QuerySet[SocialAccount]:
    """The brand's accounts the composer offers: every one not revoked (a disconnected one is
    offered, and the post's checks say it needs reconnecting)."""
    return (
        SocialAccount.objects.filter(brand=brand)
        .exclude(status=AccountStatus.REVOKED)
        .order_by("network", "handle")
    )


def post_decision_rows(post: Post) -> list[tuple[PostVariant, object]]:
    """Each network's variant of the post with its preview (campaigns.composer's check: the
    text as it will be sent, its length, its rule errors), for the per-network decisions."""
    from campaigns.composer import check_composition, composition_of

    checks = {
        getattr(check.account, "pk", None): check
        for check in check_composition(composition_of(post))
    }
    return [(variant, checks.get(variant.social_account_id)) for variant in post.variants.all()]
