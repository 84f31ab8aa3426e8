"""TikTok's error codes, read into the error taxonomy (networks.base).

API v2 answers ``{"data": {...}, "error": {"code", "message", "log_id"}}``, ``code`` being
``"ok"`` on success; the OAuth endpoints answer ``{"error", "error_description", "log_id"}``.
A publication that fails after it was accepted says why in the status's ``fail_reason``.
The code, not the HTTP status, decides: TikTok sends 403 for a daily cap and for a ban alike.
"""

from __future__ import annotations

import httpx

from networks.base import (
    AuthExpired,
    NetworkError,
    PermanentError,
    RateLimited,
    TransientError,
)
from networks.http import json_or_none, retry_after_seconds

NAME = "TikTok"
RECONNECT = "reconnect the account"

# error.code -> (kind, explanation). Kinds: auth, rate, transient, permanent.
ERROR_CODES = {
    "access_token_invalid": ("auth", "the access token is invalid or expired"),
    "scope_not_authorized": (
        "permanent",
        f"the account did not grant the permission this needs: {RECONNECT} and accept every "
        "permission asked",
    ),
    "scope_permission_missed": (
        "permanent",
        f"a field asked for needs a permission the account did not grant: {RECONNECT}",
    ),
    "rate_limit_exceeded": ("rate", "too many calls for this account; try again in a minute"),
    "spam_risk_too_many_posts": (
        "rate",
        "the account reached TikTok's daily limit of posts published through apps",
    ),
    "reached_active_user_cap": (
        "rate",
        "our TikTok app reached its daily quota of accounts publishing through it",
    ),
    "spam_risk_user_banned_from_posting": (
        "permanent",
        "TikTok banned this account from posting; it must be resolved in the TikTok app",
    ),
    "privacy_level_option_mismatch": (
        "permanent",
        "the privacy level is not one the account allows: choose one of its own",
    ),
    "unaudited_client_can_only_post_to_private_accounts": (
        "permanent",
        "our TikTok app is not audited yet, so TikTok accepts only private (SELF_ONLY) posts: "
        "choose 'Only me', or ask the administrator to have the app audited",
    ),
    "url_ownership_unverified": (
        "permanent",
        "TikTok pulls media only from a domain our app verified: upload the file instead, or "
        "verify the domain in the TikTok developer portal",
    ),
    "invalid_params": ("permanent", "a field of the request is invalid"),
    "invalid_file_upload": ("permanent", "the file does not meet TikTok's specifications"),
    "internal_error": ("transient", "TikTok had an internal error"),
}
# OAuth errors (the token and revoke endpoints).
OAUTH_ERRORS = {
    "invalid_grant": ("auth", "the authorisation or refresh token is invalid or expired"),
    "access_denied": ("permanent", "the person refused the authorisation"),
    "invalid_client": ("permanent", "the TikTok app's client key or secret is wrong"),
    "invalid_scope": ("permanent", "a scope asked for is unknown to TikTok"),
    "unauthorized_client": ("permanent", "the TikTok app may not use this flow"),
}
# status.fetch's fail_reason of a FAILED publication.
FAIL_REASONS = {
    "file_format_check_failed": ("permanent", "the file format is not supported"),
    "duration_check_failed": ("permanent", "the video is too long or too short for TikTok"),
    "frame_rate_check_failed": ("permanent", "the frame rate must be 23 to 60 frames a second"),
    "picture_size_check_failed": ("permanent", "the picture must be 360 to 4096 pixels a side"),
    "internal": ("transient", "TikTok failed to process the media"),
    "video_pull_failed": ("transient", "TikTok could not download the video from its URL"),
    "photo_pull_failed": ("transient", "TikTok could not download a photo from its URL"),
    "publish_cancelled": ("permanent", "the publication was cancelled"),
    "auth_removed": ("auth", "the account removed our app's access"),
    "spam_risk_too_many_posts": ERROR_CODES["spam_risk_too_many_posts"],
    "spam_risk_user_banned_from_posting": ERROR_CODES["spam_risk_user_banned_from_posting"],
    "spam_risk_text": ("permanent", "TikTok flagged the caption as spam"),
    "spam_risk": ("permanent", "TikTok flagged the post as spam"),
}


def error_for(
    kind: str, explanation: str, *, code: str, raw=None, retry_after: float | None = None
) -> NetworkError:
    text = f"{NAME}: {explanation} ({code})"
    kwargs = {"network": "tiktok", "raw": raw}
    if kind == "auth":
        return AuthExpired(f"{text}. Reconnect the account.", **kwargs)
    if kind == "rate":
        return RateLimited(text, retry_after=retry_after, **kwargs)
    if kind == "transient":
        return TransientError(text, **kwargs)
    return PermanentError(text, code=code, **kwargs)


def classify(response: httpx.Response) -> NetworkError:
    body = json_or_none(response)
    body = body if isinstance(body, dict) else {}
    error = body.get("error")
    retry_after = retry_after_seconds(response.headers.get("Retry-After"))
    if isinstance(error, str):  # an OAuth endpoint's answer
        kind, why = OAUTH_ERRORS.get(error, ("permanent", body.get("error_description", "")))
        return error_for(kind, why or "the token request was refused", code=error, raw=body)
    error = error if isinstance(error, dict) else {}
    code = str(error.get("code") or "")
    if code in ERROR_CODES:
        kind, why = ERROR_CODES[code]
        return error_for(kind, why, code=code, raw=body, retry_after=retry_after)
    status = response.status_code
    message = error.get("message") or response.reason_phrase
    if status == 401:
        return error_for("auth", message, code=code or "401", raw=body)
    if status == 429:
        return error_for("rate", message, code=code or "429", raw=body, retry_after=retry_after)
    if status >= 500:
        return error_for("transient", message, code=code or str(status), raw=body)
    return error_for(
        "permanent", f"refused the request: {message}", code=code or str(status), raw=body
    )


def failed_publication(reason: str, raw=None) -> NetworkError:
    """The error a FAILED status means (its ``fail_reason``)."""
    kind, why = FAIL_REASONS.get(reason, ("permanent", "TikTok could not publish the post"))
    return error_for(kind, why, code=reason or "failed", raw=raw)


def data_of(response: httpx.Response) -> dict:
    """The ``data`` of a successful answer; an ``error.code`` other than ``ok`` in a 200 is
    still an error (TikTok's envelope carries one on every answer)."""
    body = json_or_none(response)
    body = body if isinstance(body, dict) else {}
    error = body.get("error")
    if isinstance(error, dict) and error.get("code") not in (None, "", "ok"):
        raise classify(response)
    data = body.get("data")
    return data if isinstance(data, dict) else {}
