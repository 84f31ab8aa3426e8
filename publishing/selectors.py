"""Reads of the publishing queue, narrowed to what the actor may see (their agency's brands,
and for client roles the brands they were given)."""

from __future__ import annotations

import datetime as dt

from agency.visibility import get_visible_or_404
from campaigns.models import PostVariant, VariantState
from clients.models import SocialAccount

V = VariantState
UPCOMING_LIMIT = 100


def variants_visible_to(actor):
    return (
        PostVariant.objects.visible_to(actor)
        .filter(post__brand__archived_at=None)
        .select_related("post__brand", "social_account")
        .order_by("due_at", "id")
    )


def published_post_ids(*, account: SocialAccount, since: dt.datetime, limit: int) -> list[str]:
    """The network ids of the posts published on the account since ``since``, newest first, at
    most ``limit`` (reputation reads their replies: reputation/owned_posts.py)."""
    return list(
        PostVariant.objects.filter(
            social_account=account, state=V.PUBLISHED, published_at__gte=since
        )
        .exclude(external_id="")
        .order_by("-published_at")
        .values_list("external_id", flat=True)[:limit]
    )


def published_among(*, account: SocialAccount, external_ids) -> set[str]:
    """Which of these network ids are posts the engine published on the account (any time, any
    state past the network call: a variant waiting for a person's check may be live), for
    reputation's reading of the account's other posts (reputation/owned_posts.py)."""
    return set(
        PostVariant.objects.filter(social_account=account, external_id__in=set(external_ids))
        .exclude(external_id="")
        .values_list("external_id", flat=True)
    )


def variant_get_for(*, actor, post_variant_id: int) -> PostVariant:
    """One variant the actor may see; 404 for one that does not exist or is not theirs."""
    return get_visible_or_404(variants_visible_to(actor), post_variant_id, actor=actor)


def queue_sections(*, actor, now: dt.datetime, brand_id: int | None = None) -> dict:
    """The queue page's lists: needs a check, failed, being sent, due within 7 days, and
    published in the last 24 hours (with the notes the engine left, e.g. the reaper found the
    post on the network). ``brand_id``: that brand's only (the top bar's choice)."""
    variants = variants_visible_to(actor)
    if brand_id:
        variants = variants.filter(post__brand_id=brand_id)
    return {
        "needs_attention": variants.filter(state=V.NEEDS_ATTENTION),
        "failed": variants.filter(state=V.FAILED).order_by("-due_at")[:100],
        "publishing": variants.filter(state=V.PUBLISHING),
        "upcoming": variants.filter(state=V.SCHEDULED, due_at__lte=now + dt.timedelta(days=7))[
            :UPCOMING_LIMIT
        ],
        "published": variants.filter(
            state=V.PUBLISHED, published_at__gte=now - dt.timedelta(hours=24)
        ).order_by("-published_at")[:50],
    }
