"""How long a video lasts and how large its picture is, read from the file with hachoir.

The networks' media rules need both (a TikTok video of 3 s to 10 min, a YouTube one under 12
hours, a vertical format for Reels): they are read once, at upload, and stored with the media.
hachoir (pure Python, docs/decisions.md) reads the container's headers — MP4/MOV ``mvhd`` and
``tkhd``, WebM/Matroska ``Info`` and ``Tracks`` — without decoding anything.

Nothing here ever raises: a file whose metadata cannot be read (or reads as nonsense) gives
None for what is unknown, and the rules that need it are then not checked. The caller has
already checked the container's structure (core.containers).
"""

from __future__ import annotations

import contextlib
import logging
import math
from dataclasses import dataclass

import hachoir.core.config as hachoir_config
from hachoir.metadata import extractMetadata
from hachoir.parser import guessParser
from hachoir.stream import InputIOStream

hachoir_config.quiet = True  # hachoir prints its parsing warnings to stderr otherwise

logger = logging.getLogger("core.video_metadata")

MAX_SECONDS = 7 * 24 * 3600.0  # a week: beyond it the header is wrong, not the video long
MAX_SIDE = 16_384  # 16K video; a larger number is a broken header


@dataclass(frozen=True)
class VideoMetadata:
    duration_seconds: float | None = None
    width: int | None = None
    height: int | None = None


UNKNOWN = VideoMetadata()


def read_video_metadata(f) -> VideoMetadata:
    """The duration (seconds) and displayed size of the video in the open file ``f`` (read
    from the start; its position is left at 0). Unknown parts are None."""
    try:
        f.seek(0)
        parser = guessParser(InputIOStream(f, source="upload", tags=[]))
        if parser is None:
            return UNKNOWN
        # Not closed: closing hachoir's stream would close the caller's upload.
        metadata = extractMetadata(parser)
        if metadata is None:
            return UNKNOWN
        duration = _seconds(metadata.get("duration", None))
        width = _side(metadata.get("width", None))
        height = _side(metadata.get("height", None))
        if width and height and _turned(parser):
            width, height = height, width
        return VideoMetadata(duration, width, height)
    except Exception:  # noqa: BLE001 - a parser's failure on a user's file is "unknown"
        logger.info("video metadata unreadable", exc_info=True)
        return UNKNOWN
    finally:
        with contextlib.suppress(Exception):  # a closed file: nothing to rewind
            f.seek(0)


def _seconds(value) -> float | None:
    seconds = value.total_seconds() if hasattr(value, "total_seconds") else None
    if seconds is None or not math.isfinite(seconds) or not 0 < seconds <= MAX_SECONDS:
        return None
    return round(seconds, 3)


def _side(value) -> int | None:
    try:
        side = int(value)
    except (TypeError, ValueError):
        return None
    return side if 0 < side <= MAX_SIDE else None


def _turned(parser) -> bool:
    """Whether an MP4/MOV video track is shown turned a quarter (a phone's portrait video is
    stored landscape, with a 90° matrix in its ``tkhd``): then its shown width is the stored
    height. hachoir's metadata gives the stored size only."""
    for atom in parser:
        if "movie" not in atom:
            continue
        for field in atom["movie"]:
            if "track" not in field:
                continue
            for box in field["track"]:
                if "track_hdr" not in box:
                    continue
                header = box["track_hdr"]
                if not header["frame_size_width"].value:
                    continue  # an audio track
                a, b = header["geom_a"].value, header["geom_b"].value
                return a == 0 and b != 0
    return False
