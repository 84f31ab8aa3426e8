"""Signed public addresses of media-library files, for the networks that fetch a post's media
themselves (Instagram, Threads, Google Business Profile, Pinterest by URL...): they are given
an address, not the bytes, and cannot sign in.

The token names the file and its agency and carries its signing time; it opens that one file
for MEDIA_LINK_HOURS, long enough for a post scheduled now to be fetched at its time and for a
network's retries, and nothing else. A file in the library is not secret from the networks it
is about to be published on, but it stays private to everyone who was not given the address.
"""

from __future__ import annotations

import mimetypes

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils.text import slugify

from agency.tenancy import tenant_scope
from campaigns.models import MediaAsset

MEDIA_LINK_SALT = "campaigns.media-public"


def media_public_url(asset: MediaAsset) -> str:
    """An absolute address of the asset's file that works without signing in, for a while."""
    token = signing.dumps({"m": asset.pk, "a": asset.agency_id}, salt=MEDIA_LINK_SALT)
    # The name ends with the file's extension: some networks judge the type by the address.
    stem = slugify(asset.original_name.rsplit(".", 1)[0])[:60] or "media"
    path = reverse("media_public", kwargs={"token": token, "name": f"{stem}{asset.extension}"})
    return settings.SITE_URL.rstrip("/") + path


class MediaLinkUnusable(Exception):
    """Tampered with, or naming no file (404); or its time is over (410)."""

    def __init__(self, status: int):
        super().__init__(status)
        self.status = status


def media_from_token(token: str) -> MediaAsset:
    max_age = settings.MEDIA_LINK_HOURS * 3600
    try:
        payload = signing.loads(token, salt=MEDIA_LINK_SALT, max_age=max_age)
    except signing.SignatureExpired:
        raise MediaLinkUnusable(410) from None
    except signing.BadSignature:
        raise MediaLinkUnusable(404) from None
    agency_id = payload.get("a") if isinstance(payload, dict) else None
    asset_id = payload.get("m") if isinstance(payload, dict) else None
    if not isinstance(agency_id, int) or not isinstance(asset_id, int):
        raise MediaLinkUnusable(404)
    with tenant_scope(agency_id):
        asset = MediaAsset.objects.filter(pk=asset_id, agency_id=agency_id).first()
    if asset is None:
        raise MediaLinkUnusable(404)
    return asset


def content_type_of(asset: MediaAsset) -> str:
    return asset.mime_type or mimetypes.guess_type(asset.file.name)[0] or "application/octet-stream"
