"""One way to build and use an HTTP client for every network.

Fetches made on a user's behalf (feeds, webhooks, media URLs, Mastodon servers) do not use
:func:`make_client` directly: they go through the outbound guard, :mod:`networks.outbound`.

Guarantees:

* Every request has explicit timeouts and our User-Agent.
* Logs carry method, URL (secrets in the query string replaced by ``***``), status and time;
  never headers, bodies or tokens.
* Only safe requests (GET/HEAD) are retried, and only on connection errors and 5xx: a write
  is never replayed here, whatever happened.
* A write that was sent but got no answer raises :class:`OutcomeUnknown`; a write that never
  left (connection refused, DNS failure, pool timeout) raises :class:`TransientError`.
"""

from __future__ import annotations

import email.utils
import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import httpx

from .addresses import OutboundError
from .base import (
    AuthExpired,
    NetworkError,
    OutcomeUnknown,
    PermanentError,
    RateLimited,
    TransientError,
)
from .deprecation import DeprecationHook, DeprecationSignal, header_signals, report

logger = logging.getLogger("networks.http")

DEFAULT_USER_AGENT = "AgencySocial/1.0 (+https://example.invalid)"

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

# Query parameters that carry secrets on some networks (Meta puts tokens in the query string).
SECRET_PARAMS = frozenset(
    {
        "access_token",
        "client_secret",
        "code",
        "code_verifier",
        "fb_exchange_token",
        "input_token",
        "password",
        "refresh_token",
        "token",
    }
)

Classifier = Callable[[httpx.Response], NetworkError]
Inspector = Callable[[httpx.Response], list[DeprecationSignal]]


class _RedactURLs(logging.Filter):
    """httpx logs every request URL at INFO; Meta puts tokens in query strings."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(
                redact_url(arg) if isinstance(arg, httpx.URL) or _looks_like_url(arg) else arg
                for arg in record.args
            )
        return True


def _looks_like_url(value) -> bool:
    return isinstance(value, str) and value.startswith(("http://", "https://"))


@dataclass(frozen=True)
class HttpSettings:
    user_agent: str = DEFAULT_USER_AGENT
    connect_timeout: float = 5.0
    read_timeout: float = 30.0
    write_timeout: float = 60.0  # media uploads
    pool_timeout: float = 5.0
    get_retries: int = 2
    backoff: float = 0.5  # seconds; doubled at each retry
    # Where the deprecation signals of answers go (networks.deprecation); None: logged only.
    on_deprecation: DeprecationHook | None = field(default=None, compare=False)

    def timeout(self) -> httpx.Timeout:
        """The per-operation timeouts of every client built for the networks."""
        return httpx.Timeout(
            connect=self.connect_timeout,
            read=self.read_timeout,
            write=self.write_timeout,
            pool=self.pool_timeout,
        )


_httpx_filter = _RedactURLs()
for _name in ("httpx", "httpcore"):
    if _httpx_filter not in logging.getLogger(_name).filters:
        logging.getLogger(_name).addFilter(_httpx_filter)


def make_client(
    settings: HttpSettings | None = None,
    *,
    transport: httpx.BaseTransport | None = None,
    follow_redirects: bool = False,
    max_redirects: int = 5,
) -> httpx.Client:
    """Build the client every adapter uses. Redirects are off unless asked for."""
    settings = settings or HttpSettings()
    return httpx.Client(
        headers={"User-Agent": settings.user_agent},
        timeout=settings.timeout(),
        transport=transport,
        follow_redirects=follow_redirects,
        max_redirects=max_redirects,
    )


def redact_url(url: str | httpx.URL) -> str:
    """The URL with secret query values replaced, safe to log. Never raises."""
    try:
        parts = urlsplit(str(url))
    except ValueError:  # "http://[::1": unsplittable, so hide the whole query
        path, question, _ = str(url).partition("?")
        return path + ("?***" if question else "")
    if not parts.query:
        return str(url)
    query = [
        (k, "***" if k.lower() in SECRET_PARAMS else v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
    ]
    return urlunsplit(parts._replace(query=urlencode(query, safe="*(),:")))


def retry_after_seconds(value: str | None, *, now: datetime | None = None) -> float | None:
    """Parse a standard ``Retry-After`` value (seconds or HTTP date) into seconds."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    now = now or datetime.now(UTC)
    return max(0.0, (when - now).total_seconds())


def seconds_until_epoch(value: str | None, *, now: float | None = None) -> float | None:
    """For headers such as ``x-rate-limit-reset: 1735689600`` (epoch seconds)."""
    if not value:
        return None
    try:
        reset = float(value)
    except ValueError:
        return None
    now = time.time() if now is None else now
    return max(0.0, reset - now)


def send(
    client: httpx.Client,
    method: str,
    url: str,
    *,
    network: str,
    classify: Classifier,
    idempotent: bool | None = None,
    settings: HttpSettings | None = None,
    sleep: Callable[[float], None] = time.sleep,
    inspect: Inspector | None = None,
    api_version: str = "",
    **kwargs,
) -> httpx.Response:
    """Send one request and return a successful response, or raise a :class:`NetworkError`.

    ``idempotent`` says whether repeating the request is harmless (defaults to "safe method").
    It decides what a timeout means; it never turns on retries for writes.

    Every answer, successful or not, is read for deprecation signals (the ``Deprecation`` and
    ``Sunset`` headers, and what ``inspect`` finds in the network's own words), which go to
    ``settings.on_deprecation``.
    """
    method = method.upper()
    settings = settings or HttpSettings()
    safe = method in SAFE_METHODS
    if idempotent is None:
        idempotent = safe
    attempts = 1 + (settings.get_retries if safe else 0)
    shown = redact_url(url if not kwargs.get("params") else httpx.URL(url, params=kwargs["params"]))

    for attempt in range(1, attempts + 1):
        started = time.monotonic()
        try:
            response = client.request(method, url, **kwargs)
        except OutboundError as exc:
            # A guarded client (a server the user chose) refused the address: nothing was
            # sent, and asking again gives the same answer.
            _log(network, method, shown, None, started, attempt, error=exc.kind)
            raise PermanentError(str(exc), code="address_refused", network=network) from exc
        except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as exc:
            # The request never reached the network: nothing can have been created.
            _log(network, method, shown, None, started, attempt, error=type(exc).__name__)
            if attempt < attempts:
                sleep(settings.backoff * 2 ** (attempt - 1))
                continue
            raise TransientError(
                f"could not connect to {network} ({type(exc).__name__})", network=network
            ) from exc
        except (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError) as exc:
            _log(network, method, shown, None, started, attempt, error=type(exc).__name__)
            if not idempotent:
                raise OutcomeUnknown(
                    f"{network} did not answer after the request was sent "
                    f"({type(exc).__name__}); it may or may not have been applied",
                    network=network,
                ) from exc
            if attempt < attempts:
                sleep(settings.backoff * 2 ** (attempt - 1))
                continue
            raise TransientError(
                f"{network} did not answer in time ({type(exc).__name__})", network=network
            ) from exc

        _log(network, method, shown, response.status_code, started, attempt)
        signals = header_signals(response, network=network, api_version=api_version)
        if inspect is not None:
            try:
                signals += inspect(response)
            except Exception:  # noqa: BLE001 - reading a warning must not fail the call
                logger.exception("%s: reading the answer for deprecations failed", network)
        report(signals, settings.on_deprecation)
        if response.status_code >= 500 and attempt < attempts:
            sleep(settings.backoff * 2 ** (attempt - 1))
            continue
        if response.is_error:
            raise classify(response)
        return response
    raise AssertionError("unreachable")  # pragma: no cover


def _log(network, method, url, status, started, attempt, error=None) -> None:
    elapsed_ms = int((time.monotonic() - started) * 1000)
    level = logging.WARNING if (error or (status and status >= 500)) else logging.INFO
    logger.log(
        level,
        "%s %s %s -> %s in %dms (attempt %d)",
        network,
        method,
        url,
        error or status,
        elapsed_ms,
        attempt,
        extra={
            "network": network,
            "http_method": method,
            "url": url,
            "status": status,
            "error": error,
            "elapsed_ms": elapsed_ms,
            "attempt": attempt,
        },
    )


def json_or_none(response: httpx.Response):
    """The JSON body, or ``None`` when the body is empty or not JSON (error pages)."""
    try:
        return response.json()
    except ValueError:
        return None


def classify_status(
    response: httpx.Response,
    *,
    network: str,
    name: str,
    message: str,
    raw: Any,
    explanations: Mapping[Any, str],
    key: Any = None,
    code: str | int | None = None,
    auth_expired: bool = False,
    auth_text: str = "",
    rate_limited: bool = False,
    rate_text: str = "",
    retry_after: float | None = None,
) -> NetworkError:
    """The error an answer means, for the networks that speak plain HTTP statuses (Mastodon,
    Bluesky, LinkedIn, X), in one order: 401 (or the network's own ``auth_expired``) asks for
    a reconnection, 429 (or ``rate_limited``) is a rate limit, 5xx is temporary, and anything
    else is a refusal explained by ``explanations[key]`` (``key``: the status unless given),
    its ``code`` the key unless given. ``message`` is the network's own words."""
    status = response.status_code
    kwargs = {"network": network, "raw": raw}
    if auth_expired or status == 401:
        return AuthExpired(auth_text or f"{name} refused the token: {message}", **kwargs)
    if rate_limited or status == 429:
        return RateLimited(
            rate_text or f"{name} rate limit reached", retry_after=retry_after, **kwargs
        )
    if status >= 500:
        return TransientError(f"{name} server error {status}", **kwargs)
    key = status if key is None else key
    explanation = explanations.get(key, f"{name} refused the request (HTTP {status})")
    return PermanentError(f"{explanation}: {message}", code=key if code is None else code, **kwargs)
