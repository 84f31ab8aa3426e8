"""The one check every uploaded image and video passes before anything is stored.

Used by the media library (campaigns), brand logos (clients) and agency logos (agency). What a
file is comes from its bytes, never its name or declared type. The order matters:

1. the byte size, from the upload's metadata (nothing read);
2. the image header, which gives format and dimensions without decoding: the pixel budget is
   checked here, so a 17 KB PNG that declares 12,000 × 12,000 pixels is refused before a
   single row is inflated;
3. only then a full decode, which finds truncated and corrupt files (Pillow's lazy `open` and
   `verify` do not decode, so they let a truncated PNG through) and yields the thumbnail from
   the same decode.

Videos are probed by their container structure (core.containers), then their duration and
size are read from their headers (core.video_metadata). A caller stores the file
only after this returns, under `random_name()`, never the uploader's file name.
"""

from __future__ import annotations

import io
import secrets
import struct
import warnings
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.containers import ContainerError, probe_video
from core.video_metadata import read_video_metadata

IMAGE_TYPES = {
    "JPEG": ("image/jpeg", ".jpg"),
    "PNG": ("image/png", ".png"),
    "WEBP": ("image/webp", ".webp"),
    "GIF": ("image/gif", ".gif"),
}


@dataclass(frozen=True)
class ImageRules:
    """What one kind of upload accepts. `max_pixels` bounds the memory of the decode: four
    bytes a pixel, so 36 megapixels cost at most ~150 MB for the moment of the check."""

    formats: frozenset[str]
    max_bytes: int
    max_pixels: int
    min_side: int = 1
    max_side: int = 12_000


# LinkedIn, the strictest of the networks we publish to, takes at most 36,152,320 pixels.
MEDIA_IMAGE_RULES = ImageRules(
    formats=frozenset(IMAGE_TYPES),
    max_bytes=20 * 1024 * 1024,
    max_pixels=36_152_320,
    min_side=32,
    max_side=12_000,
)
LOGO_RULES = ImageRules(
    formats=frozenset(IMAGE_TYPES),
    max_bytes=2 * 1024 * 1024,
    max_pixels=4096 * 4096,
    max_side=4096,
)
MAX_VIDEO_BYTES = 512 * 1024 * 1024


@dataclass(frozen=True)
class CheckedImage:
    format: str
    mime: str
    extension: str
    width: int
    height: int
    animated: bool
    thumbnail: bytes | None = None  # JPEG, when asked for


@dataclass(frozen=True)
class CheckedVideo:
    mime: str
    extension: str
    # From the file's headers (core.video_metadata); None when they do not say.
    duration_seconds: float | None = None
    width: int | None = None
    height: int | None = None


def random_name(extension: str) -> str:
    """A storage name nobody can guess or enumerate (the uploader's name is kept elsewhere)."""
    return secrets.token_urlsafe(18) + extension


def _mb(size: int) -> str:
    return f"{size / 2**20:.1f}"


def _formats_text(formats) -> str:
    names = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WebP", "GIF": "GIF"}
    return ", ".join(names.get(f, f) for f in sorted(formats, key=list(IMAGE_TYPES).index))


def _not_readable(rules: ImageRules) -> ValidationError:
    return ValidationError(
        _("This file is not an image that can be read (use %(formats)s).")
        % {"formats": _formats_text(rules.formats)},
        code="unreadable",  # callers that accept more than images say so in their own words
    )


def _check_header(image, rules: ImageRules) -> None:
    """Format, pixel budget and sides, from the header alone (nothing decoded yet)."""
    if image.format not in rules.formats:
        raise ValidationError(
            _("%(format)s images are not accepted; use %(formats)s.")
            % {"format": image.format, "formats": _formats_text(rules.formats)}
        )
    width, height = image.size
    if width * height > rules.max_pixels:
        raise ValidationError(
            _(
                "This image has %(pixels)s megapixels (%(w)s×%(h)s); the limit is %(max)s "
                "megapixels. Resize it and upload it again."
            )
            % {
                "pixels": f"{width * height / 1e6:.1f}",
                "w": width,
                "h": height,
                "max": f"{rules.max_pixels / 1e6:.1f}",
            }
        )
    if min(width, height) < rules.min_side or max(width, height) > rules.max_side:
        raise ValidationError(
            _(
                "Images must measure between %(min)s and %(max)s pixels per side; this one "
                "is %(w)s×%(h)s."
            )
            % {"min": rules.min_side, "max": rules.max_side, "w": width, "h": height}
        )


def _thumbnail(image, side: int) -> bytes:
    # Shrink first, convert after: converting the full-size image would copy every pixel.
    if image.mode not in ("RGB", "RGBA", "L"):
        image = image.convert("RGBA")
    image.thumbnail((side, side))
    out = io.BytesIO()
    image.convert("RGB").save(out, "JPEG", quality=82)
    return out.getvalue()


def _opened(upload, rules: ImageRules):
    """Pillow's lazy open (header only). Its own bomb check would speak before ours, with a
    warning up to twice its limit and an error past that: the first is silenced here because
    our budget (stricter) is checked right after; the second becomes our refusal."""
    from PIL import Image

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            return Image.open(upload)
    except Image.DecompressionBombError:
        raise ValidationError(
            _("This image has more than %(max)s megapixels. Resize it and upload it again.")
            % {"max": f"{rules.max_pixels / 1e6:.1f}"}
        ) from None


def check_image(upload, *, rules: ImageRules, thumbnail_side: int | None = None) -> CheckedImage:
    """The image's format and size, after a full decode within `rules`; or a ValidationError
    whose message says why it is refused. Reads the upload, writes nothing anywhere."""
    from PIL import Image, UnidentifiedImageError

    size = getattr(upload, "size", None) or 0
    if size == 0:
        raise ValidationError(_("The file is empty."))
    if size > rules.max_bytes:
        raise ValidationError(
            _("Images may have at most %(max)s MB; this one has %(size)s MB.")
            % {"max": rules.max_bytes // 2**20, "size": _mb(size)}
        )
    upload.seek(0)
    try:
        with _opened(upload, rules) as image:
            _check_header(image, rules)  # lazy open: only the header has been read
            image.verify()  # chunk structure and checksums, still no decode
        upload.seek(0)
        with _opened(upload, rules) as image:
            _check_header(image, rules)
            animated = bool(getattr(image, "is_animated", False))
            image.seek(0)
            # Pillow's own bomb warning is an error here, as a second line behind our budget.
            with warnings.catch_warnings():
                warnings.simplefilter("error", Image.DecompressionBombWarning)
                image.load()  # the decode: a truncated or corrupt file fails here
            (width, height), image_format = image.size, image.format
            thumbnail = _thumbnail(image, thumbnail_side) if thumbnail_side else None
            checked = CheckedImage(
                format=image_format,
                mime=IMAGE_TYPES[image_format][0],
                extension=IMAGE_TYPES[image_format][1],
                width=width,
                height=height,
                animated=animated,
                thumbnail=thumbnail,
            )
    except ValidationError:
        raise
    except (
        UnidentifiedImageError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
        OSError,
        SyntaxError,
        ValueError,
        EOFError,
        struct.error,
        IndexError,
        KeyError,
        TypeError,
    ):
        # Pillow raises any of these for a damaged file; the person needs one sentence.
        raise _not_readable(rules) from None
    finally:
        upload.seek(0)
    return checked


def check_video(upload, *, max_bytes: int = MAX_VIDEO_BYTES) -> CheckedVideo | None:
    """The container of a video upload, None when the file does not claim to be a video, or a
    ValidationError when it claims to be one and is not (or is too large)."""
    size = getattr(upload, "size", None) or 0
    try:
        container = probe_video(upload, size)
    except ContainerError:
        raise ValidationError(
            _(
                "This file calls itself a video, but its structure is not a valid MP4, MOV or "
                "WebM file. Export it again from your video editor."
            )
        ) from None
    finally:
        upload.seek(0)
    if container is None:
        return None
    if size > max_bytes:
        raise ValidationError(
            _("Videos may have at most %(max)s MB; this one has %(size)s MB.")
            % {"max": max_bytes // 2**20, "size": _mb(size)}
        )
    # Read only once the structure is known sound; unreadable metadata is unknown, never an
    # error (the rules that need it are then not checked).
    metadata = read_video_metadata(upload)
    return CheckedVideo(
        mime=container.mime,
        extension=container.extension,
        duration_seconds=metadata.duration_seconds,
        width=metadata.width,
        height=metadata.height,
    )
