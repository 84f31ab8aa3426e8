"""Reads of share links: the brand's links, their signed tokens and public addresses, the link
behind a token, and what the approval page and the ICS feed show."""

import datetime as dt

from django.conf import settings
from django.core import signing
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from agency.tenancy import tenant_scope
from agency.visibility import get_visible_or_404
from campaigns.ics import FEED_STATES
from campaigns.models import Post, PostState, ReviewStage, ShareLink, ShareLinkKind
from campaigns.selectors.access import Actor, brand_content_visible_to

SHARE_LINK_SALT = "campaigns.share-link"
# How far back the ICS feed reaches: the client's calendar keeps the recent past visible.
ICS_PAST_DAYS = 90


def share_links_of(actor: Actor, *, brand_id=None) -> QuerySet[ShareLink]:
    return (
        brand_content_visible_to(ShareLink, actor, brand_id=brand_id)
        .select_related("brand", "created_by")
        .order_by("-created_at", "-id")
    )


def share_link_get_for(*, actor: Actor, share_link_id) -> ShareLink:
    return get_visible_or_404(share_links_of(actor), share_link_id, actor=actor)


def share_link_token(link: ShareLink) -> str:
    """The signed token of the link's public address (names the link, its agency and kind)."""
    return signing.dumps({"l": link.pk, "a": link.agency_id, "k": link.kind}, salt=SHARE_LINK_SALT)


def site_url(path: str) -> str:
    """The absolute address of a path on this site (SITE_URL)."""
    return settings.SITE_URL.rstrip("/") + path


def share_link_url(link: ShareLink) -> str:
    """The public address of the link: the approval page, or the ICS feed."""
    name = "campaigns:approval_link" if link.kind == ShareLinkKind.APPROVAL else "campaigns:ics"
    return site_url(reverse(name, kwargs={"token": share_link_token(link)}))


class LinkUnusable(Exception):
    """The link is tampered with, unknown, revoked or expired; `reason` says which."""

    def __init__(self, reason: str, status: int = 404):
        super().__init__(reason)
        self.reason = reason
        self.status = status


def share_link_from_token(token: str, *, kind: str) -> ShareLink:
    """The link behind a token in a URL, read in the agency the signed token names.

    A tampered or unknown token is 404; a revoked or expired link is 410 with the reason.
    """
    try:
        payload = signing.loads(token, salt=SHARE_LINK_SALT)
    except signing.BadSignature:
        raise LinkUnusable(_("This link is not valid.")) from None
    if not isinstance(payload, dict) or payload.get("k") != kind:
        raise LinkUnusable(_("This link is not valid."))
    agency_id, link_id = payload.get("a"), payload.get("l")
    if not isinstance(agency_id, int) or not isinstance(link_id, int):
        raise LinkUnusable(_("This link is not valid."))
    with tenant_scope(agency_id):
        link = (
            ShareLink.objects.select_related("brand", "agency")
            .filter(pk=link_id, kind=kind)
            .first()
        )
    if link is None:
        raise LinkUnusable(_("This link is not valid."))
    if link.revoked_at is not None:
        raise LinkUnusable(_("This link was withdrawn by the agency."), 410)
    if link.expires_at is not None and link.expires_at <= timezone.now():
        raise LinkUnusable(_("This link has expired. Ask the agency for a new one."), 410)
    return link


def approval_link_posts(link: ShareLink) -> QuerySet[Post]:
    """What the approval page shows: the brand's posts awaiting the client's decision."""
    return (
        Post.objects.filter(
            brand=link.brand, state=PostState.IN_REVIEW, review_stage=ReviewStage.CLIENT
        )
        .select_related("brand", "campaign")
        .prefetch_related("variants__social_account")
        .order_by("scheduled_at", "id")
    )


def approval_link_post(link: ShareLink, post_id) -> Post | None:
    """One post of the link's brand, as named in the approval page's form (None if not)."""
    try:
        post_id = int(post_id or 0)
    except (TypeError, ValueError):
        return None
    return Post.objects.filter(brand=link.brand, pk=post_id).select_related("brand").first()


def ics_feed_posts(link: ShareLink) -> QuerySet[Post]:
    """What the ICS feed lists: the brand's planned posts from the recent past on."""
    since = timezone.now() - dt.timedelta(days=ICS_PAST_DAYS)
    return (
        Post.objects.filter(brand=link.brand, scheduled_at__gte=since, state__in=FEED_STATES)
        .select_related("brand", "campaign")
        .prefetch_related("variants__social_account")
        .order_by("scheduled_at", "id")
    )
