"""The outbound guard's bounds: one deadline per fetch, bodies (and gzip) cut at the limit,
media downloaded through the guard."""

from __future__ import annotations

import gzip
import socket
import time
import tracemalloc
import zlib
from contextlib import contextmanager

import pytest

from networks.addresses import OutboundError
from networks.outbound import fetch
from networks.tests.outbound_servers import (
    SELF_HOSTED,
    STRICT,
    answer,
    tcp_server,
)

# --- Slow servers: one deadline for the whole fetch -------------------------------------------


def _drip_body(conn):
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n")
    for _ in range(1000):
        conn.sendall(b"x")
        time.sleep(0.1)


def _drip_headers(conn):
    for byte in b"HTTP/1.1 200 OK\r\nX-Slow: " + b"a" * 1000:
        conn.sendall(bytes([byte]))
        time.sleep(0.1)


@pytest.mark.parametrize("drip", [_drip_body, _drip_headers])
def test_a_slow_drip_server_is_cut_off_at_the_overall_deadline(drip):
    with tcp_server(drip) as base:
        started = time.monotonic()
        with pytest.raises(OutboundError) as error:
            # Every read answers well within the read timeout; only the deadline stops it.
            fetch("GET", f"{base}/", policy=SELF_HOSTED, deadline_seconds=1.0)
        assert time.monotonic() - started < 2.5
    assert error.value.kind == OutboundError.UNREACHABLE


def test_connection_failures_all_read_the_same_to_the_user():
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()  # nothing listens there: connection refused

    def garbage(conn):
        conn.sendall(b"\x16\x03\x01 not http at all\r\n\r\n")

    with tcp_server(garbage) as base:
        messages = set()
        tls = base.replace("http://", "https://")  # a TLS handshake with a non-TLS server
        for url in (f"http://127.0.0.1:{port}/", f"{base}/", f"{tls}/"):
            with pytest.raises(OutboundError) as error:
                fetch("GET", url, policy=SELF_HOSTED, deadline_seconds=2)
            text = str(error.value).replace("https://", "http://")
            messages.add(text.replace(str(port), "P").replace(base[17:], "P"))
    assert len(messages) == 1, messages


# --- Bounded bodies ---------------------------------------------------------------------------


def _endless(conn):
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 209715200\r\n\r\n")
    block = b"x" * 65536
    for _ in range(3200):  # 200 MB, if anybody read it
        conn.sendall(block)


def _bomb_body() -> bytes:
    squeeze = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    zeros = bytes(1024 * 1024)
    return b"".join(squeeze.compress(zeros) for _ in range(200)) + squeeze.flush()


@contextmanager
def peak_memory():
    tracemalloc.start()
    result = {}
    try:
        yield result
    finally:
        result["peak"] = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()


def test_a_huge_answer_is_refused_with_bounded_memory():
    with (
        tcp_server(_endless) as base,
        peak_memory() as memory,
        pytest.raises(OutboundError) as error,
    ):
        fetch("GET", f"{base}/", policy=SELF_HOSTED, max_bytes=2**20, truncate=False)
    assert error.value.kind == OutboundError.TOO_LARGE
    assert memory["peak"] < 8 * 2**20


def test_a_huge_answer_can_be_kept_truncated_and_the_rest_is_never_read():
    with tcp_server(_endless) as base, peak_memory() as memory:
        got = fetch("GET", f"{base}/", policy=SELF_HOSTED, max_bytes=2048, truncate=True)
    assert (len(got.content), got.truncated) == (2048, True)
    assert memory["peak"] < 4 * 2**20


def test_a_gzip_bomb_is_decoded_only_up_to_the_limit():
    bomb = _bomb_body()
    assert len(bomb) < 300_000  # 200 MB once decoded
    handle = answer(bomb, headers="Content-Encoding: gzip\r\n")
    with tcp_server(handle) as base:
        with peak_memory() as memory, pytest.raises(OutboundError) as error:
            fetch("GET", f"{base}/", policy=SELF_HOSTED, max_bytes=2**20)
        assert error.value.kind == OutboundError.TOO_LARGE
        got = fetch("GET", f"{base}/", policy=SELF_HOSTED, max_bytes=4096, truncate=True)
    assert memory["peak"] < 8 * 2**20
    assert got.content == bytes(4096) and got.truncated


def test_a_small_gzip_answer_is_decoded():
    handle = answer(gzip.compress(b"<rss>ok</rss>"), headers="Content-Encoding: gzip\r\n")
    with tcp_server(handle) as base:
        assert fetch("GET", f"{base}/", policy=SELF_HOSTED).content == b"<rss>ok</rss>"


# --- Callers: feeds and media downloads go through the guard --------------------------------


def test_a_feed_on_the_metadata_address_is_a_plain_feed_error():
    from networks.rss import FeedError, fetch_feed

    with pytest.raises(FeedError, match="private or internal network"):
        fetch_feed("http://169.254.169.254/latest/meta-data/", policy=STRICT)


def test_media_is_downloaded_through_the_guard():
    from networks.base import MediaItem, MediaKind, PermanentError
    from networks.registry import get_adapter

    adapter = get_adapter("mastodon")
    with tcp_server(answer(b"\x89PNG...")) as base:
        item = MediaItem(kind=MediaKind.IMAGE, mime_type="image/png", url=f"{base}/a.png")
        with pytest.raises(PermanentError, match="private or internal network"):
            adapter.media_bytes(item)
        adapter.outbound = SELF_HOSTED
        assert adapter.media_bytes(item) == b"\x89PNG..."
