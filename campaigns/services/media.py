"""The brands' media libraries: checked uploads, alt texts, deletes."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from agency import permissions
from agency.services.audit import audit_record
from campaigns.models import MediaAsset, MediaKind, Post, PostState
from campaigns.services.access import Actor, require, require_brand, user_of
from clients.models import Brand
from core.uploads import MEDIA_IMAGE_RULES, check_image, check_video

THUMBNAIL_SIDE = 400


@dataclass
class _Sniffed:
    kind: str
    mime: str
    extension: str
    width: int | None = None
    height: int | None = None
    thumbnail: bytes | None = None
    duration_seconds: float | None = None  # videos, when their headers say


def media_check_upload(upload, *, thumbnail: bool = False) -> _Sniffed:
    """What the file really is (its bytes, not its name or declared type), or a ValidationError
    that says why it is refused. The checks are core.uploads' (pixel budget from the header
    before any decode, full decode, container probe for videos); nothing is stored here."""
    try:
        video = check_video(upload)
        if video is not None:
            return _Sniffed(
                MediaKind.VIDEO,
                video.mime,
                video.extension,
                width=video.width,
                height=video.height,
                duration_seconds=video.duration_seconds,
            )
        image = check_image(
            upload,
            rules=MEDIA_IMAGE_RULES,
            thumbnail_side=THUMBNAIL_SIDE if thumbnail else None,
        )
    except ValidationError as exc:
        if exc.error_list[0].code == "unreadable":
            raise ValidationError(
                {
                    "file": _(
                        "This file is not an image or video we accept. Upload JPEG, PNG, WebP "
                        "or GIF images, or MP4, MOV or WebM videos."
                    )
                }
            ) from None
        raise ValidationError({"file": exc.messages}) from None
    kind = MediaKind.GIF if image.format == "GIF" and image.animated else MediaKind.IMAGE
    return _Sniffed(kind, image.mime, image.extension, image.width, image.height, image.thumbnail)


def media_asset_upload(*, actor: Actor, brand: Brand, upload, alt_text: str = "") -> MediaAsset:
    """Store a verified image or video in the brand's library under a random name.

    Every check (and the thumbnail) runs before anything is written to storage; when the
    database write fails after that, the stored files are removed, so a refused or failed
    upload leaves no file behind."""
    require(actor, permissions.POSTS_WRITE)
    require_brand(actor, brand)
    sniffed = media_check_upload(upload, thumbnail=True)
    original = (getattr(upload, "name", "") or "media").rsplit("/", 1)[-1][:255]
    asset = MediaAsset(
        agency_id=brand.agency_id,
        brand=brand,
        original_name=original,
        kind=sniffed.kind,
        mime_type=sniffed.mime,
        extension=sniffed.extension,
        size=upload.size,
        width=sniffed.width,
        height=sniffed.height,
        duration_seconds=sniffed.duration_seconds,
        alt_text=alt_text.strip()[:1500],
        uploaded_by=user_of(actor),
    )
    try:
        with transaction.atomic():
            upload.seek(0)
            asset.file.save("upload" + sniffed.extension, upload, save=False)
            if sniffed.thumbnail:
                asset.thumbnail.save("thumb.jpg", ContentFile(sniffed.thumbnail), save=False)
            asset.save()
            audit_record(
                agency=brand.agency,
                actor=actor,
                verb="media.uploaded",
                target=asset,
                data={"kind": asset.kind, "size": asset.size},
            )
    except BaseException:
        for stored in (asset.file, asset.thumbnail):
            if stored.name:
                stored.storage.delete(stored.name)
        raise
    return asset


@transaction.atomic
def media_asset_update(*, actor: Actor, media_asset: MediaAsset, alt_text: str) -> MediaAsset:
    """Change the media's alt text (trimmed, capped at 1,500 characters)."""
    require(actor, permissions.POSTS_WRITE)
    require_brand(actor, media_asset.brand)
    media_asset.alt_text = alt_text.strip()[:1500]
    media_asset.save(update_fields=["alt_text"])
    return media_asset


@transaction.atomic
def media_asset_delete(*, actor: Actor, media_asset: MediaAsset) -> None:
    """Delete a media file, unless a post that is not yet published or cancelled uses it."""
    require(actor, permissions.POSTS_WRITE)
    require_brand(actor, media_asset.brand)
    in_use = [
        post.pk
        for post in Post.objects.filter(
            agency_id=media_asset.agency_id, brand_id=media_asset.brand_id
        )
        .exclude(state__in=[PostState.PUBLISHED, PostState.CANCELLED])
        .only("media_ids")
        if media_asset.pk in (post.media_ids or [])
    ]
    if in_use:
        raise ValidationError(
            _(
                "This media is used by %(count)s post(s) not yet published; "
                "remove it from them first."
            )
            % {"count": len(in_use)}
        )
    audit_record(
        agency=media_asset.brand.agency, actor=actor, verb="media.deleted", target=media_asset
    )
    media_asset.file.delete(save=False)
    if media_asset.thumbnail:
        media_asset.thumbnail.delete(save=False)
    media_asset.delete()
