"""Reads of the brands' media libraries."""

from django.db.models import QuerySet

from agency.visibility import get_visible_or_404
from campaigns.models import MediaAsset
from campaigns.selectors.access import Actor, brand_content_visible_to


def media_visible_to(actor: Actor, *, brand_id=None) -> QuerySet[MediaAsset]:
    return brand_content_visible_to(MediaAsset, actor, brand_id=brand_id).order_by(
        "-created_at", "-id"
    )


def media_asset_get_for(*, actor: Actor, media_asset_id) -> MediaAsset:
    return get_visible_or_404(
        media_visible_to(actor).select_related("brand"), media_asset_id, actor=actor
    )


def media_by_ids(*, brand, ids: list[int]) -> list[MediaAsset]:
    """The brand's media with these ids, in the order given (unknown ids are skipped)."""
    found = {
        asset.pk: asset
        for asset in MediaAsset.objects.filter(agency_id=brand.agency_id, brand=brand, pk__in=ids)
    }
    return [found[i] for i in ids if i in found]
