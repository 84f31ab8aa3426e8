"""Bluesky sessions: what createSession and refreshSession answer, read into Credentials.

The access JWT is read (never verified: only the PDS can) for two things: when it expires, to
plan the refresh, and which password opened the session, to warn when it was the account's
own password rather than an app password.
"""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta

from networks.base import Credentials

# The reference PDS issues access JWTs valid for two hours (refresh JWTs: 90 days). Used only
# when the token's own ``exp`` cannot be read.
ACCESS_JWT_LIFETIME = timedelta(hours=2)
# Scopes of an access JWT (com.atproto.server.createSession): the account password gives
# com.atproto.access, an app password com.atproto.appPass / com.atproto.appPassPrivileged.
_APP_PASSWORD_SCOPES = {"com.atproto.appPass", "com.atproto.appPassPrivileged"}


def jwt_claims(token: str) -> dict:
    """The claims of a JWT, NOT verified (only the PDS can): to plan the refresh and to tell an
    app password from the account password. ``{}`` when the token is not a readable JWT."""
    try:
        payload = token.split(".")[1]
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except (IndexError, ValueError, TypeError):
        return {}
    return claims if isinstance(claims, dict) else {}


def access_expiry(token: str, *, now: datetime | None = None) -> datetime:
    """When an access JWT expires: its ``exp`` claim, else now + the documented lifetime.

    Never ``None``: an account without an expiry would drop out of the refresh list and break
    when the token expires (the refresh token still being good)."""
    exp = jwt_claims(token).get("exp")
    if isinstance(exp, int | float) and not isinstance(exp, bool):
        try:
            return datetime.fromtimestamp(exp, tz=UTC)
        except (OverflowError, OSError, ValueError):
            pass
    return (now or datetime.now(UTC)) + ACCESS_JWT_LIFETIME


def password_kind(token: str) -> str:
    """ "app" (an app password opened the session), "account" (the main password), or ""."""
    scope = jwt_claims(token).get("scope")
    if scope in _APP_PASSWORD_SCOPES:
        return "app"
    if scope == "com.atproto.access":
        return "account"
    return ""


def session_credentials(body: dict, pds: str) -> Credentials:
    """Credentials from createSession / refreshSession, with the access token's expiry."""
    return Credentials(
        access_token=body["accessJwt"],
        refresh_token=body["refreshJwt"],
        expires_at=access_expiry(body["accessJwt"]),
        instance_url=pds,
        external_id=body["did"],
        extra={"handle": body.get("handle", ""), "password_kind": password_kind(body["accessJwt"])},
    )
