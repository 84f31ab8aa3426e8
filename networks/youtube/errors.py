"""Google's error answers, read into the networks' taxonomy.

The Data API answers ``{"error": {"code", "message", "errors": [{"domain", "reason",
"message"}], "status"}}`` ("YouTube Data API - Errors"); the OAuth endpoints answer
``{"error": "invalid_grant", "error_description": ...}``. The ``reason`` decides:

* 401, ``authError``, ``invalidCredentials``: the token is dead (AuthExpired: refresh, then
  reconnect).
* ``quotaExceeded`` (403): the project's daily quota is spent; it comes back at midnight
  Pacific time, so RateLimited with the seconds until then.
* ``rateLimitExceeded``/``userRateLimitExceeded``: too fast; RateLimited without a delay.
* ``uploadLimitExceeded`` (400): the channel's own uploads in 24 hours are used up; YouTube
  says to try again in 24 hours.
* 5xx, ``backendError``, ``internalError``: temporary (TransientError).
* anything else (``forbidden``, ``invalidTitle``, ``videoNotFound``...): a refusal
  (PermanentError with the reason as its code).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx

from networks.base import (
    AuthExpired,
    NetworkError,
    PermanentError,
    RateLimited,
    TransientError,
)
from networks.http import json_or_none, retry_after_seconds

UPLOAD_LIMIT_WAIT = 24 * 3600.0

_AUTH = {"authError", "invalidCredentials", "unauthorized"}
_RATE = {"rateLimitExceeded", "userRateLimitExceeded", "concurrentLimitExceeded"}
_TRANSIENT = {"backendError", "internalError", "serviceUnavailable"}

# Plain English for the refusals a person can act on.
_EXPLANATIONS = {
    "forbidden": "YouTube does not allow this account or app to do that",
    "insufficientPermissions": "the connection lacks a YouTube permission: reconnect it",
    "invalidTitle": "YouTube refused the video's title (empty, too long or with < or >)",
    "invalidDescription": "YouTube refused the description (too long or with < or >)",
    "invalidCategoryId": "YouTube does not know that video category",
    "invalidVideoMetadata": "YouTube refused the video's details",
    "mediaBodyRequired": "the upload had no video in it",
    "youtubeSignupRequired": "this Google account has no YouTube channel yet",
    "videoNotFound": "YouTube cannot find that video",
    "commentNotFound": "YouTube cannot find that comment",
    "commentsDisabled": "comments are turned off on that video",
    "processingFailure": "YouTube could not process the request",
    "invalidImage": "YouTube refused the thumbnail image",
    "quotaExceeded": "the YouTube API daily quota of our Google project is used up",
    "uploadLimitExceeded": "this channel reached YouTube's limit of uploads for 24 hours",
}


def error_reason(body) -> tuple[str, str]:
    """(reason, message) of a Google error body; ("", "") when it is not one."""
    if not isinstance(body, dict):
        return "", ""
    error = body.get("error")
    if isinstance(error, str):  # the OAuth endpoints
        return error, str(body.get("error_description", ""))
    if not isinstance(error, dict):
        return "", ""
    errors = error.get("errors") or []
    first = errors[0] if errors and isinstance(errors[0], dict) else {}
    reason = first.get("reason") or error.get("status") or ""
    return str(reason), str(error.get("message") or first.get("message") or "")


def seconds_until_pacific_midnight(now: datetime | None = None) -> float:
    """YouTube's daily quotas reset at midnight Pacific time ("Quota usage")."""
    now = now or datetime.now(UTC)
    try:
        from zoneinfo import ZoneInfo

        pacific = now.astimezone(ZoneInfo("America/Los_Angeles"))
    except Exception:  # no time zone database: Pacific standard time is close enough
        pacific = now.astimezone(UTC) - timedelta(hours=8)
    midnight = (pacific + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    return max(60.0, (midnight - pacific).total_seconds())


def classify(response: httpx.Response, *, network: str) -> NetworkError:
    body = json_or_none(response)
    reason, message = error_reason(body)
    status = response.status_code
    kwargs = {"network": network, "raw": body}
    words = f"{_EXPLANATIONS.get(reason, 'YouTube refused the request')}: {message}".rstrip(": ")
    if status == 401 or reason in _AUTH:
        return AuthExpired(f"YouTube refused the token: {message}", **kwargs)
    if reason == "quotaExceeded":
        return RateLimited(words, retry_after=seconds_until_pacific_midnight(), **kwargs)
    if reason == "uploadLimitExceeded":
        return RateLimited(words, retry_after=UPLOAD_LIMIT_WAIT, **kwargs)
    if status == 429 or reason in _RATE:
        return RateLimited(
            f"YouTube rate limit reached: {message}",
            retry_after=retry_after_seconds(response.headers.get("retry-after")),
            **kwargs,
        )
    if status >= 500 or reason in _TRANSIENT:
        return TransientError(f"YouTube server error {status}: {message}", **kwargs)
    return PermanentError(words, code=reason or status, **kwargs)
