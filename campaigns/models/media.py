"""The media library: images, GIFs and videos of a brand, checked on upload."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from agency.tenancy import TenantModel


class MediaKind(models.TextChoices):
    IMAGE = "image", _("Image")
    GIF = "gif", _("GIF")
    VIDEO = "video", _("Video")


def media_upload_to(instance, filename: str) -> str:
    # Never the uploader's name on disk: a random name with the extension we verified.
    return f"media/{instance.agency_id}/{instance.brand_id}/{uuid.uuid4().hex}{instance.extension}"


def thumbnail_upload_to(instance, filename: str) -> str:
    return f"media/{instance.agency_id}/{instance.brand_id}/thumbs/{uuid.uuid4().hex}.jpg"


class MediaAsset(TenantModel):
    brand = models.ForeignKey("clients.Brand", on_delete=models.CASCADE, related_name="media")
    file = models.FileField(_("file"), upload_to=media_upload_to, max_length=300)
    original_name = models.CharField(_("original name"), max_length=255)
    kind = models.CharField(_("kind"), max_length=10, choices=MediaKind.choices)
    mime_type = models.CharField(_("type"), max_length=100)
    extension = models.CharField(max_length=10)
    size = models.PositiveBigIntegerField(_("size"))
    width = models.PositiveIntegerField(_("width"), null=True, blank=True)
    height = models.PositiveIntegerField(_("height"), null=True, blank=True)
    # Videos: read from the file's headers at upload (core.video_metadata); null when they do
    # not say, and then the networks' duration rules are not checked.
    duration_seconds = models.FloatField(_("duration (seconds)"), null=True, blank=True)
    alt_text = models.CharField(_("alt text"), max_length=1500, blank=True)
    thumbnail = models.ImageField(_("thumbnail"), upload_to=thumbnail_upload_to, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("media")
        verbose_name_plural = _("media")
        indexes = [models.Index(fields=["agency", "brand", "-created_at"], name="media_library")]

    def __str__(self) -> str:
        return self.original_name
