"""Builders of real and hostile files for upload tests, written byte by byte (no fixtures on
disk, nothing downloaded)."""

from __future__ import annotations

import io
import struct
import zlib

from PIL import Image


def png(size=(64, 64), colour="#1f6feb") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "PNG")
    return out.getvalue()


def truncated_png(size=(800, 600)) -> bytes:
    """A PNG whose pixel data stops half way (what an interrupted upload leaves). Noise, so
    that the compressed data is long enough to cut inside it."""
    import random

    rng = random.Random(7)
    image = Image.frombytes(
        "RGB", size, bytes(rng.randrange(256) for _ in range(size[0] * size[1] * 3))
    )
    out = io.BytesIO()
    image.save(out, "PNG")
    data = out.getvalue()
    return data[: len(data) // 2]


def _chunk(kind: bytes, payload: bytes) -> bytes:
    return (
        struct.pack(">I", len(payload))
        + kind
        + payload
        + struct.pack(">I", zlib.crc32(kind + payload) & 0xFFFFFFFF)
    )


def png_bomb(width=12_000, height=12_000, *, with_pixels: bool = True) -> bytes:
    """A grey PNG of width × height pixels that compresses to a few kilobytes.

    With `with_pixels=False` the image data is a valid-looking IDAT that holds only a few rows:
    a checker that decoded before looking at the header would report a damaged file, not a
    too-large one, which is how the tests tell that the budget is checked from the header.
    """
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit greyscale
    compressor = zlib.compressobj(9)
    row = b"\x00" + b"\x80" * width
    rows = height if with_pixels else 2
    data = b"".join(compressor.compress(row) for _ in range(rows)) + compressor.flush()
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", data)
        + _chunk(b"IEND", b"")
    )


def _box(kind: bytes, payload: bytes = b"") -> bytes:
    return struct.pack(">I", 8 + len(payload)) + kind + payload


def _full_box(kind: bytes, payload: bytes, version: int = 0) -> bytes:
    return _box(kind, struct.pack(">I", version << 24) + payload)


def minimal_mp4(
    *,
    major_brand: bytes = b"isom",
    timescale: int = 1000,
    duration: int = 1000,
    width: int = 320,
    height: int = 240,
    rotated: bool = False,
) -> bytes:
    """The smallest structure of a real MP4: ftyp, moov (mvhd, one trak with tkhd and mdia),
    mdat. By default the values a one-second, one-track 320×240 file would carry; the movie's
    length is ``duration / timescale`` seconds, and ``rotated`` writes the track matrix a phone
    writes for a portrait video (90°: the frame stored landscape, shown portrait)."""
    ftyp = _box(b"ftyp", major_brand + struct.pack(">I", 512) + b"isomiso2mp41")
    matrix = struct.pack(">9I", 0x10000, 0, 0, 0, 0x10000, 0, 0, 0, 0x40000000)
    turned = struct.pack(">9I", 0, 0x10000, 0, 0xFFFF0000, 0, 0, 0, 0, 0x40000000)
    mvhd = _full_box(
        b"mvhd",
        struct.pack(">IIII", 0, 0, timescale, duration)  # created, modified, timescale, length
        + struct.pack(">IH", 0x10000, 0x100)  # rate 1.0, volume 1.0
        + b"\0" * 10
        + matrix
        + b"\0" * 24
        + struct.pack(">I", 2),  # next track id
    )
    tkhd = _full_box(
        b"tkhd",
        struct.pack(">IIIII", 0, 0, 1, 0, duration)
        + b"\0" * 8
        + struct.pack(">HHHH", 0, 0, 0, 0)
        + (turned if rotated else matrix)
        + struct.pack(">II", width << 16, height << 16),
    )
    mdhd = _full_box(b"mdhd", struct.pack(">IIIIHH", 0, 0, timescale, duration, 0x55C4, 0))
    hdlr = _full_box(b"hdlr", struct.pack(">I4s", 0, b"vide") + b"\0" * 12 + b"VideoHandler\0")
    mdia = _box(b"mdia", mdhd + hdlr + _box(b"minf", _full_box(b"vmhd", b"\0" * 8)))
    moov = _box(b"moov", mvhd + _box(b"trak", tkhd + mdia))
    mdat = _box(b"mdat", b"\0\0\0\x10" + b"\x65" * 12)
    return ftyp + moov + mdat


def fake_mp4(seed: int = 1) -> bytes:
    """Twelve bytes of `ftyp` and then noise: claims to be an MP4 and is not."""
    import random

    rng = random.Random(seed)
    return b"\x00\x00\x00\x18ftypmp42" + bytes(rng.randrange(256) for _ in range(4000))


def minimal_webm() -> bytes:
    """An EBML header with DocType webm followed by an (empty) Segment."""

    def element(element_id: bytes, payload: bytes) -> bytes:
        return element_id + bytes([0x80 | len(payload)]) + payload

    header = element(b"\x42\x82", b"webm") + element(b"\x42\x87", b"\x04")
    return element(b"\x1a\x45\xdf\xa3", header) + b"\x18\x53\x80\x67" + b"\x01" + b"\0" * 7
