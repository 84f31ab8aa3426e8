"""The outbound guard.

Guarantees of the guard (:func:`fetch`, :class:`GuardedTransport`), which every fetch made on
a user's behalf goes through (feeds, webhook deliveries, media URLs, Mastodon servers):

* The host is resolved once and every address checked (:mod:`networks.addresses`); the
  connection goes to a checked address, while the Host header, TLS SNI and certificate
  verification keep the original name. Each redirect is a new connection, checked again.
* One overall deadline per fetch (connection, every read and write, every redirect), not only
  per read: a server dripping one byte a second is cut off.
* The body is read in chunks and decompressed here, counting decoded bytes, so neither a
  200 MB answer nor a gzip bomb is ever held in memory past ``max_bytes``.
* Failures are :class:`OutboundError` with a plain message that never tells a refused
  connection from a bad certificate or a timeout (that would map an internal network); the
  detail goes to the server log.
"""

from __future__ import annotations

import contextlib
import logging
import ssl
import time
import zlib
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpcore
import httpx

from .addresses import OutboundError, OutboundPolicy, allowed_addresses, host_problem
from .http import HttpSettings, redact_url

__all__ = [
    "Fetched",
    "GuardedTransport",
    "OutboundError",
    "OutboundPolicy",
    "check_url",
    "fetch",
    "guarded_client",
]

logger = logging.getLogger("networks.outbound")


CHUNK_BYTES = 64 * 1024
REDIRECT_CODES = frozenset({301, 302, 303, 307, 308})


class Deadline:
    """One end time for a whole fetch; every socket operation gets at most what is left.
    ``Deadline(None)`` is none at all (a long-lived client: per-operation timeouts only)."""

    def __init__(self, seconds: float | None):
        if seconds is None:
            self.seconds, self.ends = None, None
            return
        self.seconds = seconds
        self.ends = time.monotonic() + seconds

    def remaining(self) -> float:
        return self.ends - time.monotonic()

    def bound(self, timeout: float | None) -> float | None:
        if self.ends is None:
            return timeout
        left = self.remaining()
        if left <= 0:
            raise httpcore.ReadTimeout(f"deadline of {self.seconds:g} s passed")
        return left if timeout is None else min(timeout, left)


class _DeadlineStream(httpcore.NetworkStream):
    def __init__(self, stream: httpcore.NetworkStream, deadline: Deadline):
        self._stream, self._deadline = stream, deadline

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._stream.read(max_bytes, self._deadline.bound(timeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._stream.write(buffer, self._deadline.bound(timeout))

    def close(self) -> None:
        self._stream.close()

    def start_tls(self, ssl_context, server_hostname=None, timeout=None):
        # server_hostname is the URL's host name: SNI and certificate checks use the name.
        tls = self._stream.start_tls(ssl_context, server_hostname, self._deadline.bound(timeout))
        return _DeadlineStream(tls, self._deadline)

    def get_extra_info(self, info: str):
        return self._stream.get_extra_info(info)


class _GuardedBackend(httpcore.NetworkBackend):
    """Resolves and checks the host itself, then connects to a checked address: no second
    lookup that DNS could answer differently."""

    def __init__(self, policy: OutboundPolicy, deadline: Deadline):
        self._policy, self._deadline = policy, deadline
        self._inner = httpcore.SyncBackend()

    def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        addresses = allowed_addresses(host, port, self._policy)
        error: Exception | None = None
        for address in addresses[:4]:
            try:
                stream = self._inner.connect_tcp(
                    address,
                    port,
                    timeout=self._deadline.bound(timeout),
                    local_address=local_address,
                    socket_options=socket_options,
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                error = exc
                continue
            return _DeadlineStream(stream, self._deadline)
        raise error or httpcore.ConnectError("no address")

    def connect_unix_socket(self, *args, **kwargs):  # pragma: no cover - never for users' URLs
        raise httpcore.ConnectError("unix sockets are not allowed")

    def sleep(self, seconds: float) -> None:  # pragma: no cover - used by httpcore retries
        time.sleep(seconds)


_ssl_context: ssl.SSLContext | None = None


def _shared_ssl_context() -> ssl.SSLContext:
    global _ssl_context  # noqa: PLW0603 - built once per process, read-only afterwards
    if _ssl_context is None:
        _ssl_context = httpx.create_ssl_context()
    return _ssl_context


class GuardedTransport(httpx.HTTPTransport):
    """An httpx transport whose every connection passes the outbound guard. No proxy from the
    environment (the guard would check the proxy, not the destination)."""

    def __init__(self, policy: OutboundPolicy, *, deadline: Deadline, verify=None):
        # One TLS context for every fetch: building one costs more CPU than a feed download.
        super().__init__(verify=verify or _shared_ssl_context(), trust_env=False)
        self._pool = httpcore.ConnectionPool(
            ssl_context=self._pool._ssl_context,
            max_connections=4,
            # A kept-alive connection skips the next check: only within one fetch's deadline.
            max_keepalive_connections=0 if deadline.ends is None else 4,
            network_backend=_GuardedBackend(policy, deadline),
        )


def guarded_client(policy: OutboundPolicy, settings: HttpSettings | None = None) -> httpx.Client:
    """A client for an adapter that talks to a server the user chose (a Mastodon instance, a
    Bluesky PDS): every connection passes the guard (no kept-alive connection skips it), with
    the usual per-operation timeouts; redirects are not followed."""
    settings = settings or HttpSettings()
    return httpx.Client(
        headers={"User-Agent": settings.user_agent},
        timeout=settings.timeout(),
        transport=GuardedTransport(policy, deadline=Deadline(None)),
        follow_redirects=False,
        trust_env=False,
    )


@dataclass
class Fetched:
    status_code: int
    headers: httpx.Headers
    url: str  # where the answer really came from, after redirects
    content: bytes
    truncated: bool = False  # more was sent than max_bytes (only with truncate=True)

    @property
    def is_error(self) -> bool:
        return self.status_code >= 400


def check_url(url: str, policy: OutboundPolicy, *, resolve: bool = False) -> httpx.URL:
    """The URL parsed, if the guard could fetch it: http(s), a host, and (with ``resolve``)
    every address it resolves to allowed. Raises :class:`OutboundError`."""
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, TypeError, ValueError):
        # httpx refuses some spellings resolvers accept (0177.0.0.1): say what they mean.
        with contextlib.suppress(ValueError, TypeError):
            host_problem(urlsplit(url).hostname or "", policy, url=url)
        raise OutboundError(OutboundError.BAD_URL, "the address is not valid", url=url) from None
    if parsed.scheme not in ("http", "https") or not parsed.host:
        raise OutboundError(
            OutboundError.BAD_URL, "the address must start with https:// or http://", url=url
        )
    host_problem(parsed.host, policy, url=url)
    if resolve:
        allowed_addresses(parsed.host, parsed.port or 443, policy, url=url)
    return parsed


def fetch(
    method: str,
    url: str,
    *,
    policy: OutboundPolicy,
    headers: dict[str, str] | None = None,
    content: bytes | None = None,
    deadline_seconds: float = 30.0,
    max_bytes: int = 5 * 1024 * 1024,
    truncate: bool = False,
    max_redirects: int = 0,
    settings: HttpSettings | None = None,
) -> Fetched:
    """One request on a user's behalf, through the guard, read whole within one deadline.

    ``max_redirects`` redirects are followed (0: none, the 3xx is returned), each checked
    again. A body over ``max_bytes`` (decoded) raises ``too_large``, or with ``truncate`` is
    cut there and the rest never read. Raises :class:`OutboundError`, never an httpx error.
    """
    settings = settings or HttpSettings()
    deadline = Deadline(deadline_seconds)
    sent = {"User-Agent": settings.user_agent, **(headers or {})}
    sent["Accept-Encoding"] = "gzip, deflate"  # what _Decoder bounds
    timeout = httpx.Timeout(
        settings.read_timeout, connect=settings.connect_timeout, pool=settings.pool_timeout
    )
    transport = GuardedTransport(policy, deadline=deadline)
    current, method = url, method.upper()
    with httpx.Client(transport=transport, timeout=timeout, trust_env=False) as client:
        for _hop in range(max_redirects + 1):
            target = check_url(current, policy)
            shown = redact_url(current)
            try:
                response = client.send(
                    client.build_request(method, target, headers=sent, content=content),
                    stream=True,
                )
                try:
                    location = response.headers.get("location")
                    if max_redirects and response.status_code in REDIRECT_CODES and location:
                        following = str(target.join(location))
                        if httpx.URL(following).host != target.host:
                            sent.pop("Authorization", None)
                            sent.pop("Cookie", None)
                        if response.status_code == 303 or (
                            response.status_code in (301, 302) and method == "POST"
                        ):
                            method, content = "GET", None
                        current = following
                        continue
                    body, truncated = _read_bounded(response, deadline, max_bytes, truncate)
                finally:
                    response.close()
            except OutboundError as exc:
                exc.url = exc.url or url
                _log_refusal(method, shown, exc)
                raise
            except (httpx.HTTPError, httpcore.TimeoutException, zlib.error) as exc:
                error = OutboundError(
                    OutboundError.UNREACHABLE,
                    f"no answer from {_origin(target)}: "
                    "could not reach it, or it did not answer in time",
                    url=url,
                    detail=f"{type(exc).__name__}: {exc}",
                )
                _log_refusal(method, shown, error)
                raise error from None
            return Fetched(
                status_code=response.status_code,
                headers=response.headers,
                url=str(target),
                content=body,
                truncated=truncated,
            )
    raise OutboundError(
        OutboundError.REDIRECTS, f"more than {max_redirects} redirects from {redact_url(url)}"
    )


def _origin(url: httpx.URL) -> str:
    return f"{url.scheme}://{url.netloc.decode('ascii', 'replace')}"


def _log_refusal(method: str, shown: str, error: OutboundError) -> None:
    logger.warning(
        "outbound %s %s refused or failed: %s (%s)",
        method,
        shown,
        error.kind,
        error.detail or error,
        extra={"url": shown, "error": error.kind},
    )


class _Decoder:
    """Content-Encoding undone here, never producing more than asked for (gzip bombs)."""

    def __init__(self, encoding: str):
        codings = [
            c.strip() for c in encoding.lower().split(",") if c.strip() not in ("", "identity")
        ]
        if not codings:
            self._zlib = None
        elif codings in (["gzip"], ["x-gzip"]):
            self._zlib = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif codings == ["deflate"]:
            self._zlib = zlib.decompressobj(zlib.MAX_WBITS)
        else:
            raise OutboundError(
                OutboundError.UNREACHABLE,
                "the answer uses a compression we do not read",
                detail=f"Content-Encoding: {encoding}",
            )

    def decode(self, data: bytes, room: int) -> bytes:
        if self._zlib is None:
            return data[:room]
        return self._zlib.decompress(data, room)


def _read_bounded(response, deadline: Deadline, max_bytes: int, truncate: bool):
    declared = response.headers.get("content-length", "")
    encoded = response.headers.get("content-encoding", "")
    if not truncate and not encoded and declared.isdigit() and int(declared) > max_bytes:
        raise _too_large(max_bytes)
    decoder = _Decoder(encoded)
    chunks, total = [], 0
    for raw in response.iter_raw(CHUNK_BYTES):
        deadline.bound(None)  # also when the transport is not a socket (tests)
        piece = decoder.decode(raw, max_bytes + 1 - total)
        total += len(piece)
        if total > max_bytes:
            if not truncate:
                raise _too_large(max_bytes)
            chunks.append(piece[: len(piece) - (total - max_bytes)])
            return b"".join(chunks), True
        chunks.append(piece)
    return b"".join(chunks), False


def _too_large(max_bytes: int) -> OutboundError:
    return OutboundError(
        OutboundError.TOO_LARGE, f"the answer is larger than {max_bytes / (1024 * 1024):g} MiB"
    )
