"""Reads of campaigns, posts and media, narrowed to what the actor may see.

Client roles (approvers, viewers) see only the brands their BrandAccess rows name; every list
here goes through `_visible()`, and fetch-by-id helpers answer 404 for "missing" and "not
yours" alike.
"""

import datetime as dt
import zoneinfo

from django.core import signing
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from agency.models import CLIENT_ROLES, ApiKey, Membership, Role
from campaigns.models import (
    ApprovalMode,
    Campaign,
    Idea,
    IdeaStatus,
    MediaAsset,
    Post,
    PostComment,
    PostImport,
    PostRevision,
    PostState,
    PostVariant,
    PublishingPolicy,
    ReviewStage,
    ShareLink,
)

Actor = Membership | ApiKey
SHARE_LINK_SALT = "campaigns.share-link"


def _visible(model, actor: Actor, *, brand_id=None) -> QuerySet:
    queryset = model.objects.filter(agency_id=actor.agency_id)
    if isinstance(actor, Membership) and actor.is_client:
        queryset = queryset.filter(brand__accesses__membership=actor)
    if brand_id:
        queryset = queryset.filter(brand_id=brand_id)
    return queryset


def _get_or_404(queryset, pk):
    try:
        found = queryset.filter(pk=int(pk)).first()
    except (TypeError, ValueError):
        found = None
    if found is None:
        raise Http404
    return found


# --- Policy ----------------------------------------------------------------------------------


def policy_of(brand) -> PublishingPolicy:
    """The brand's policy, or an unsaved default (internal then client) when never set."""
    found = PublishingPolicy.unscoped.filter(agency_id=brand.agency_id, brand=brand).first()
    return found or PublishingPolicy(agency_id=brand.agency_id, brand=brand)


# --- Campaigns and ideas ---------------------------------------------------------------------


def campaigns_visible_to(actor: Actor, *, brand_id=None) -> QuerySet[Campaign]:
    return (
        _visible(Campaign, actor, brand_id=brand_id)
        .select_related("brand")
        .prefetch_related("personas")
        .annotate(post_count=Count("posts", distinct=True))
        .order_by("-starts_on", "-id")
    )


def campaign_get_for(*, actor: Actor, campaign_id) -> Campaign:
    return _get_or_404(campaigns_visible_to(actor), campaign_id)


def ideas_visible_to(actor: Actor, *, brand_id=None, status=None) -> QuerySet[Idea]:
    queryset = _visible(Idea, actor, brand_id=brand_id).select_related("brand", "campaign")
    if status:
        queryset = queryset.filter(status=status)
    return queryset.order_by("-created_at", "-id")


def idea_get_for(*, actor: Actor, idea_id) -> Idea:
    return _get_or_404(ideas_visible_to(actor), idea_id)


def open_ideas(actor: Actor, *, brand_id=None) -> QuerySet[Idea]:
    return ideas_visible_to(actor, brand_id=brand_id, status=IdeaStatus.OPEN)


# --- Media -----------------------------------------------------------------------------------


def media_visible_to(actor: Actor, *, brand_id=None) -> QuerySet[MediaAsset]:
    return _visible(MediaAsset, actor, brand_id=brand_id).order_by("-created_at", "-id")


def media_asset_get_for(*, actor: Actor, media_asset_id) -> MediaAsset:
    return _get_or_404(media_visible_to(actor).select_related("brand"), media_asset_id)


def media_by_ids(*, brand, ids: list[int]) -> list[MediaAsset]:
    """The brand's media with these ids, in the order given (unknown ids are skipped)."""
    found = {
        asset.pk: asset
        for asset in MediaAsset.unscoped.filter(agency_id=brand.agency_id, brand=brand, pk__in=ids)
    }
    return [found[i] for i in ids if i in found]


# --- Posts -----------------------------------------------------------------------------------


def posts_visible_to(actor: Actor, *, brand_id=None) -> QuerySet[Post]:
    """Posts with what lists and calendars draw: brand, campaign, author, variants, accounts."""
    return (
        _visible(Post, actor, brand_id=brand_id)
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
    return _get_or_404(posts_visible_to(actor), post_id)


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
    from agency import permissions

    queryset = posts_visible_to(actor).filter(state=PostState.IN_REVIEW)
    stages = []
    if permissions.can(actor, permissions.POSTS_APPROVE):
        stages.append(ReviewStage.INTERNAL)
    if permissions.can(actor, permissions.POSTS_CLIENT_APPROVE):
        stages.append(ReviewStage.CLIENT)
    return queryset.filter(review_stage__in=stages).order_by("scheduled_at", "id")


def post_revisions(post: Post) -> QuerySet[PostRevision]:
    return PostRevision.objects.filter(agency_id=post.agency_id, post=post).order_by("version")


def post_comments(post: Post, *, actor: Actor | None) -> QuerySet[PostComment]:
    """The post's comment thread, oldest first, as `actor` may read it.

    Team comments are internal: a client role, or the holder of an approval link
    (``actor=None``), sees only what clients wrote (their comments and decisions, by login or
    through a link), not the agency's own discussion. The client portal will give comments an
    internal/external visibility; until then, authorship decides.
    """
    comments = PostComment.objects.filter(agency_id=post.agency_id, post=post)
    if actor is None or (isinstance(actor, Membership) and actor.is_client):
        client_members = Membership.objects.filter(
            agency_id=post.agency_id, role__in=CLIENT_ROLES
        ).values("user_id")
        # No author: written through an approval link (no account).
        comments = comments.filter(Q(author__isnull=True) | Q(author_id__in=client_members))
    return comments.select_related("author").order_by("created_at", "id")


def variant_get_for_post(*, post: Post, variant_id) -> PostVariant:
    return _get_or_404(PostVariant.objects.filter(agency_id=post.agency_id, post=post), variant_id)


# --- Links -----------------------------------------------------------------------------------


def share_links_of(actor: Actor, *, brand_id=None) -> QuerySet[ShareLink]:
    return (
        _visible(ShareLink, actor, brand_id=brand_id)
        .select_related("brand", "created_by")
        .order_by("-created_at", "-id")
    )


def share_link_get_for(*, actor: Actor, share_link_id) -> ShareLink:
    return _get_or_404(share_links_of(actor), share_link_id)


def share_link_token(link: ShareLink) -> str:
    return signing.dumps({"l": link.pk, "a": link.agency_id, "k": link.kind}, salt=SHARE_LINK_SALT)


class LinkUnusable(Exception):
    """The link is tampered with, unknown, revoked or expired; `reason` says which."""

    def __init__(self, reason: str, status: int = 404):
        super().__init__(reason)
        self.reason = reason
        self.status = status


def share_link_from_token(token: str, *, kind: str) -> ShareLink:
    """The link behind a token in a URL. Spans agencies by design: the token names the agency.

    A tampered or unknown token is 404; a revoked or expired link is 410 with the reason.
    """
    from django.utils import timezone
    from django.utils.translation import gettext as _

    try:
        payload = signing.loads(token, salt=SHARE_LINK_SALT)
    except signing.BadSignature:
        raise LinkUnusable(_("This link is not valid.")) from None
    if not isinstance(payload, dict) or payload.get("k") != kind:
        raise LinkUnusable(_("This link is not valid."))
    link = (
        ShareLink.unscoped.select_related("brand", "agency")
        .filter(pk=payload.get("l"), agency_id=payload.get("a"), kind=kind)
        .first()
    )
    if link is None:
        raise LinkUnusable(_("This link is not valid."))
    if link.revoked_at is not None:
        raise LinkUnusable(_("This link was withdrawn by the agency."), 410)
    if link.expires_at is not None and link.expires_at <= timezone.now():
        raise LinkUnusable(_("This link has expired. Ask the agency for a new one."), 410)
    return link


# --- Imports ---------------------------------------------------------------------------------


def post_import_get_for(*, actor: Actor, post_import_id) -> PostImport:
    return _get_or_404(_visible(PostImport, actor).select_related("brand"), post_import_id)


# --- Reminders -------------------------------------------------------------------------------


def brands_with_pending_reviews_unscoped() -> list[int]:
    """Agencies with a post in review. Spans agencies on purpose (the reminder dispatcher)."""
    return sorted(
        set(Post.unscoped.filter(state=PostState.IN_REVIEW).values_list("agency_id", flat=True))
    )


def approver_user_ids(*, brand, stage: str) -> list[int]:
    """Who decides at this stage: internal approvers, or the brand's client approvers."""
    if stage == ReviewStage.CLIENT:
        return list(
            Membership.unscoped.filter(
                agency_id=brand.agency_id,
                role=Role.CLIENT_APPROVER,
                brand_accesses__brand=brand,
            ).values_list("user_id", flat=True)
        )
    return list(
        Membership.unscoped.filter(
            agency_id=brand.agency_id, role__in=[Role.OWNER, Role.ADMIN, Role.MANAGER]
        ).values_list("user_id", flat=True)
    )


def approval_required(brand) -> bool:
    return policy_of(brand).approval_mode != ApprovalMode.NONE


def local_range(day: dt.date, days: int, tz_name: str) -> tuple[dt.datetime, dt.datetime]:
    """[start, end) in UTC of `days` local days from `day` in the given zone."""
    tz = zoneinfo.ZoneInfo(tz_name)
    start = dt.datetime.combine(day, dt.time.min, tzinfo=tz)
    end = dt.datetime.combine(day + dt.timedelta(days=days), dt.time.min, tzinfo=tz)
    return start.astimezone(dt.UTC), end.astimezone(dt.UTC)


def search_posts(queryset, q: str):
    if not q:
        return queryset
    return queryset.filter(Q(title__icontains=q) | Q(text__icontains=q))
