"""The resumable upload protocol of videos.insert ("YouTube Data API: Resumable Uploads").

1. ``POST https://www.googleapis.com/upload/youtube/v3/videos?uploadType=resumable&part=...``
   with the video resource as JSON and ``X-Upload-Content-Length``/``-Type``: the answer's
   ``Location`` header is the session URI. No video exists yet, so a lost answer is harmless.
2. ``PUT`` the bytes to the session URI in chunks whose size is a multiple of 256 KiB (the
   last one excepted), each with ``Content-Range: bytes first-last/total``. YouTube answers
   ``308 Resume Incomplete`` with ``Range: bytes=0-last`` (what it holds) until the last
   chunk, which answers 200/201 with the video resource.
3. After an interrupted chunk (no answer, 5xx), ``PUT`` an empty body with ``Content-Range:
   bytes */total``: 308 and its ``Range`` say where to go on from (no ``Range``: from 0),
   200/201 that the upload was complete after all. A 404 means the session expired.

Only the last chunk creates the video: a timeout there is OutcomeUnknown (the publishing
engine then looks the video up). Every other chunk may be sent again safely.
"""

from __future__ import annotations

from pathlib import Path

from networks.base import Credentials, MediaItem, PermanentError, TransientError

UPLOAD_ROOT = "https://www.googleapis.com/upload/youtube/v3"
QUANTUM = 256 * 1024  # chunk sizes must be multiples of this
DEFAULT_CHUNK = 32 * QUANTUM  # 8 MiB
MAX_RESUMES = 5  # interrupted chunks resumed in one upload before giving up


class ChunkSource:
    """The video's bytes by range: from memory, or read from the file chunk by chunk (a video
    of several GB never sits in memory whole)."""

    def __init__(self, *, data: bytes | None = None, path: str | None = None):
        self.data = data
        self.path = path
        self.size = len(data) if data is not None else Path(path or "").stat().st_size

    @classmethod
    def of(cls, adapter, item: MediaItem) -> ChunkSource:
        if item.data is None and item.path:
            return cls(path=item.path)
        return cls(data=adapter.media_bytes(item))

    def read(self, start: int, end: int) -> bytes:
        """Bytes ``start`` to ``end`` inclusive."""
        if self.data is not None:
            return self.data[start : end + 1]
        with open(self.path or "", "rb") as handle:
            handle.seek(start)
            return handle.read(end - start + 1)


def start_session(adapter, creds: Credentials, resource: dict, *, size: int, mime: str) -> str:
    response = adapter.request(
        "POST",
        f"{UPLOAD_ROOT}/videos",
        params={"uploadType": "resumable", "part": "snippet,status"},
        headers={
            **adapter.auth(creds),
            "Content-Type": "application/json; charset=UTF-8",
            "X-Upload-Content-Length": str(size),
            "X-Upload-Content-Type": mime,
        },
        json=resource,
        idempotent=True,  # a session without bytes creates nothing
    )
    location = response.headers.get("location")
    if not location:
        raise TransientError("YouTube opened no upload session", network=adapter.network)
    return location


def upload(adapter, creds: Credentials, session: str, source: ChunkSource, mime: str) -> dict:
    """Send every chunk to ``session``, resuming after interruptions; the video resource."""
    total = source.size
    if total <= 0:
        raise PermanentError("the video file is empty", code="empty_video", network=adapter.network)
    chunk = max(QUANTUM, adapter.upload_chunk_size // QUANTUM * QUANTUM)
    offset, resumes = 0, 0
    # A server that keeps answering 308 without taking bytes must not hold us forever.
    for _ in range(3 * (total // chunk + 1) + MAX_RESUMES):
        last = min(offset + chunk, total) - 1
        final = last == total - 1
        try:
            response = adapter.request(
                "PUT",
                session,
                headers={
                    **adapter.auth(creds),
                    "Content-Type": mime,
                    "Content-Range": f"bytes {offset}-{last}/{total}",
                },
                content=source.read(offset, last),
                # Only the final chunk makes the video: its timeout is OutcomeUnknown.
                idempotent=not final,
            )
        except TransientError:
            resumes += 1
            if resumes > MAX_RESUMES:
                raise
            adapter.sleep(adapter.poll_interval * resumes)
            state = session_status(adapter, creds, session, total)
            if isinstance(state, dict):
                return state  # the server had it all: the video exists
            offset = state
            continue
        if response.status_code in (200, 201):
            return response.json()
        offset = received_up_to(response)
    raise TransientError("YouTube did not take the video's bytes", network=adapter.network)


def session_status(adapter, creds: Credentials, session: str, total: int) -> int | dict:
    """How many bytes the session holds (the offset to go on from), or the video resource
    when the upload is complete."""
    try:
        response = adapter.request(
            "PUT",
            session,
            headers={**adapter.auth(creds), "Content-Range": f"bytes */{total}"},
            content=b"",
            idempotent=True,  # a question, it changes nothing
        )
    except PermanentError as exc:
        if exc.code in ("404", "notFound"):
            # The session expired (they last about a week): the next attempt starts anew.
            raise TransientError(
                "the YouTube upload session expired", network=adapter.network
            ) from exc
        raise
    if response.status_code in (200, 201):
        return response.json()
    return received_up_to(response)


def received_up_to(response) -> int:
    """The offset after what a 308 says the server holds (``Range: bytes=0-N``)."""
    held = response.headers.get("range", "")
    try:
        return int(held.rsplit("-", 1)[1]) + 1 if held else 0
    except (IndexError, ValueError):
        return 0
