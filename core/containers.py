"""Video container probes: is this file's structure really an MP4/MOV or a WebM?

A signature (`ftyp` at byte 4, the EBML magic) says what a file claims to be; twelve bytes of
`ftyp` followed by random data claim to be an MP4 too. These probes walk the container's
structure, reading only headers (never the media data), so that a file the networks would
refuse when the post is due is refused at upload instead.

A small pure-Python walker rather than a media library: ffprobe is a binary the machines may
lack, and the structure we check (ISO-BMFF boxes, EBML elements) is a few dozen lines. The
length and size of a sound file are read afterwards with hachoir (core/video_metadata.py),
which is lenient by design and so no judge of structure. See docs/decisions.md.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

# Bounds the work on a file made of millions of tiny boxes or elements.
MAX_BOXES = 100_000
FTYP_MAX_SIZE = 4096


class ContainerError(ValueError):
    """The file claims a container format but its structure is not one (reason in English,
    for logs; callers show their own translated message)."""


@dataclass(frozen=True)
class Container:
    mime: str
    extension: str


def _is_box_type(kind: bytes) -> bool:
    # Box types are four printable characters; QuickTime also uses © (0xA9) in metadata.
    return all(32 <= b < 127 or b == 0xA9 for b in kind)


class _Walker:
    def __init__(self, f, size: int):
        self.f = f
        self.size = size
        self.count = 0

    def boxes(self, start: int, end: int):
        """(type, payload start, box end) of each box between start and end, in order."""
        pos = start
        while pos < end:
            self.count += 1
            if self.count > MAX_BOXES:
                raise ContainerError("too many boxes")
            if end - pos < 8:
                raise ContainerError(f"{end - pos} trailing bytes at {pos}")
            self.f.seek(pos)
            header = self.f.read(8)
            if len(header) < 8:
                raise ContainerError(f"box header cut at {pos}")
            size, kind = struct.unpack(">I4s", header)
            header_len = 8
            if size == 1:
                large = self.f.read(8)
                if len(large) < 8:
                    raise ContainerError(f"large size cut at {pos}")
                (size,) = struct.unpack(">Q", large)
                header_len = 16
            elif size == 0:
                size = end - pos  # "extends to the end": only legal for the last box
            if not _is_box_type(kind):
                raise ContainerError(f"box type {kind!r} at {pos} is not a box type")
            if size < header_len or pos + size > end:
                raise ContainerError(f"box {kind!r} at {pos} has size {size}, outside its parent")
            yield kind, pos + header_len, pos + size
            pos += size


def probe_isobmff(f, size: int) -> Container:
    """MP4 or QuickTime: an `ftyp` box first with a sane size and brands, then boxes that tile
    the file exactly, one `moov` (holding `mvhd` and at least one `trak` with `tkhd` and `mdia`)
    and media data (`mdat`)."""
    walker = _Walker(f, size)
    top = list(walker.boxes(0, size))
    if not top or top[0][0] != b"ftyp":
        raise ContainerError("the first box is not ftyp")
    _, start, end = top[0]
    length = end - start
    if length < 8 or length > FTYP_MAX_SIZE or length % 4:
        raise ContainerError(f"ftyp of {length} bytes")
    f.seek(start)
    ftyp = f.read(length)
    brands = [ftyp[0:4]] + [ftyp[i : i + 4] for i in range(8, length, 4)]
    # Some encoders pad the compatible brands with zeros; the major brand must be a name.
    if not _is_box_type(brands[0]) or not all(
        _is_box_type(b) or b == b"\0\0\0\0" for b in brands[1:]
    ):
        raise ContainerError("ftyp brands are not brand names")
    kinds = [kind for kind, _, _ in top]
    if kinds.count(b"moov") != 1:
        raise ContainerError(f"{kinds.count(b'moov')} moov boxes")
    if b"mdat" not in kinds:
        raise ContainerError("no mdat box")
    _, moov_start, moov_end = top[kinds.index(b"moov")]
    moov = list(walker.boxes(moov_start, moov_end))
    moov_kinds = [kind for kind, _, _ in moov]
    if b"mvhd" not in moov_kinds:
        raise ContainerError("no mvhd in moov")
    tracks = [(s, e) for kind, s, e in moov if kind == b"trak"]
    if not tracks:
        raise ContainerError("no trak in moov")
    for track_start, track_end in tracks:
        inner = {kind for kind, _, _ in walker.boxes(track_start, track_end)}
        if not {b"tkhd", b"mdia"} <= inner:
            raise ContainerError("a trak without tkhd or mdia")
    if brands[0] == b"qt  ":
        return Container("video/quicktime", ".mov")
    return Container("video/mp4", ".mp4")


# --- EBML (WebM) ---------------------------------------------------------------------------

EBML_MAGIC = b"\x1a\x45\xdf\xa3"
EBML_DOCTYPE = 0x4282
MATROSKA_SEGMENT = 0x18538067


def _vint(f, *, keep_marker: bool) -> tuple[int, int]:
    """(value, length) of one EBML variable-length integer."""
    first = f.read(1)
    if not first:
        raise ContainerError("EBML cut")
    byte = first[0]
    length = 1
    mask = 0x80
    while length <= 8 and not byte & mask:
        length += 1
        mask >>= 1
    if length > 8:
        raise ContainerError("EBML number longer than 8 bytes")
    rest = f.read(length - 1)
    if len(rest) < length - 1:
        raise ContainerError("EBML cut")
    value = byte if keep_marker else byte & (mask - 1)
    for b in rest:
        value = (value << 8) | b
    return value, length


def probe_webm(f, size: int) -> Container:
    """WebM: an EBML header whose DocType is webm (or matroska), then a Segment element."""
    f.seek(0)
    element_id, id_len = _vint(f, keep_marker=True)
    header_size, size_len = _vint(f, keep_marker=False)
    start = id_len + size_len
    if element_id != 0x1A45DFA3 or header_size > 4096 or start + header_size > size:
        raise ContainerError("no sane EBML header")
    end = start + header_size
    doctype = b""
    pos = start
    while pos < end:
        f.seek(pos)
        child_id, a = _vint(f, keep_marker=True)
        child_size, b = _vint(f, keep_marker=False)
        if pos + a + b + child_size > end:
            raise ContainerError("EBML header element outside the header")
        if child_id == EBML_DOCTYPE:
            doctype = f.read(child_size).rstrip(b"\0")
        pos += a + b + child_size
    if doctype not in (b"webm", b"matroska"):
        raise ContainerError(f"DocType {doctype!r}")
    f.seek(end)
    segment_id, _ = _vint(f, keep_marker=True)
    if segment_id != MATROSKA_SEGMENT:
        raise ContainerError("no Segment after the EBML header")
    return Container("video/webm", ".webm")


def probe_video(f, size: int) -> Container | None:
    """The container of a file that claims to be a video, None when it claims no video format.
    Raises ContainerError when it claims one and its structure says otherwise."""
    f.seek(0)
    head = f.read(12)
    f.seek(0)
    try:
        if len(head) >= 8 and head[4:8] == b"ftyp":
            return probe_isobmff(f, size)
        if head.startswith(EBML_MAGIC):
            return probe_webm(f, size)
    finally:
        f.seek(0)
    return None
