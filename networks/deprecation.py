"""Deprecation signals in the networks' answers: read by ``http.send()``, never ignored.

An answer may say that what we call is going away:

* ``Deprecation`` (RFC 9745: a structured-field date, ``@1688169599``; earlier drafts sent
  ``true`` or an HTTP date) says the resource is, or will be, deprecated;
* ``Sunset`` (RFC 8594: an HTTP date) says when it stops answering;
* a network's own words (Meta answering with another Graph API version than the one asked,
  ``__debug__`` warnings; LinkedIn's HTTP 426 for a retired ``LinkedIn-Version``), read by the
  adapter's ``deprecation_signals(response)``.

``send()`` hands each :class:`DeprecationSignal` to ``HttpSettings.on_deprecation`` (the
Django side records them, clients.adapters); without a hook they are logged. A hook that fails
never fails the request it was called for.
"""

from __future__ import annotations

import email.utils
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime

import httpx

logger = logging.getLogger("networks.deprecation")

# What a signal is (the Django side words each kind).
DEPRECATION_HEADER = "deprecation"  # RFC 9745 Deprecation header
SUNSET_HEADER = "sunset"  # RFC 8594 Sunset header
VERSION_UPGRADED = "version_upgraded"  # the network answered with a newer version than asked
VERSION_REFUSED = "version_refused"  # the network refused the version asked (retired)
NETWORK_WARNING = "network_warning"  # the network's own deprecation warning in the body
KINDS = (DEPRECATION_HEADER, SUNSET_HEADER, VERSION_UPGRADED, VERSION_REFUSED, NETWORK_WARNING)

MAX_MESSAGE = 500


@dataclass(frozen=True)
class DeprecationSignal:
    """One thing an answer said about the API going away."""

    network: str
    kind: str
    message: str
    api_version: str = ""
    sunset: date | None = None  # the day it stops answering, where the network says

    def __post_init__(self) -> None:
        object.__setattr__(self, "message", " ".join(self.message.split())[:MAX_MESSAGE])


DeprecationHook = Callable[[DeprecationSignal], None]


def parse_http_date(value: str) -> date | None:
    """An RFC 9110 HTTP date (``Sun, 01 Nov 2026 00:00:00 GMT``) as a UTC day, or None."""
    try:
        when = email.utils.parsedate_to_datetime(value.strip())
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.astimezone(UTC).date()


def parse_deprecation(value: str) -> date | None:
    """RFC 9745's ``@<epoch seconds>``, or an HTTP date (earlier drafts); ``true`` has none."""
    value = value.strip()
    if value.startswith("@"):
        try:
            return datetime.fromtimestamp(int(value[1:]), tz=UTC).date()
        except (ValueError, OverflowError, OSError):
            return None
    return parse_http_date(value)


def header_signals(
    response: httpx.Response, *, network: str, api_version: str = ""
) -> list[DeprecationSignal]:
    """The standard headers' signals, for any network (none on most answers)."""
    signals = []
    url = response.request.url.path if response.request is not None else ""
    deprecation = response.headers.get("deprecation")
    if deprecation:
        when = parse_deprecation(deprecation)
        said = f"since {when.isoformat()}" if when else f"({deprecation.strip()[:60]})"
        signals.append(
            DeprecationSignal(
                network=network,
                kind=DEPRECATION_HEADER,
                message=f"{url} is marked deprecated {said}",
                api_version=api_version,
            )
        )
    sunset = response.headers.get("sunset")
    if sunset:
        when = parse_http_date(sunset)
        said = when.isoformat() if when else f"({sunset.strip()[:60]})"
        signals.append(
            DeprecationSignal(
                network=network,
                kind=SUNSET_HEADER,
                message=f"{url} stops answering on {said}",
                api_version=api_version,
                sunset=when,
            )
        )
    return signals


def report(signals: list[DeprecationSignal], hook: DeprecationHook | None) -> None:
    """Hand each signal to ``hook`` (or the log); a failing hook is logged, not raised."""
    for signal in signals:
        logger.warning(
            "%s deprecation signal (%s): %s",
            signal.network,
            signal.kind,
            signal.message,
            extra={"network": signal.network, "kind": signal.kind},
        )
        if hook is None:
            continue
        try:
            hook(signal)
        except Exception:  # noqa: BLE001 - recording a warning must not fail the call itself
            logger.exception("recording a %s deprecation signal failed", signal.network)
