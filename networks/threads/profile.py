"""Threads tokens (short-lived -> long-lived -> refreshed) and the profile a token opens.

The code is exchanged at ``POST https://graph.threads.net/oauth/access_token`` for a token of
one hour (and the user's id), which is at once exchanged for a long-lived one
(``GET /access_token?grant_type=th_exchange_token``, 60 days). A long-lived token is refreshed
with itself (``GET /refresh_access_token?grant_type=th_refresh_token``: 60 days again) once it
is a day old and before it expires; there is no separate refresh token.
"""

from __future__ import annotations

from dataclasses import replace

from networks.base import AppCredentials, AuthExpired, Credentials, TokenSet
from networks.connect import ConnectedProfile, expires_at

GRAPH = "https://graph.threads.net"
PROFILE_FIELDS = "id,username,name,threads_profile_picture_url"


def _token(adapter, url: str, params: dict) -> TokenSet:
    body = adapter.request("GET", url, params=params, idempotent=True).json()
    if not body.get("access_token"):
        raise AuthExpired("Threads answered without an access token", network=adapter.network)
    expires = body.get("expires_in")
    return TokenSet(
        access_token=body["access_token"],
        expires_in=int(expires) if expires not in (None, "") else None,
        raw={k: v for k, v in body.items() if "token" not in k},
    )


def long_lived(adapter, app: AppCredentials, short: TokenSet) -> TokenSet:
    tokens = _token(
        adapter,
        f"{GRAPH}/access_token",
        {
            "grant_type": "th_exchange_token",
            "client_secret": app.client_secret,
            "access_token": short.access_token,
        },
    )
    return replace(tokens, scope=short.scope, raw={**(short.raw or {}), **(tokens.raw or {})})


def refreshed(adapter, creds: Credentials) -> Credentials:
    tokens = _token(
        adapter,
        f"{GRAPH}/refresh_access_token",
        {"grant_type": "th_refresh_token", "access_token": creds.access_token},
    )
    return replace(
        creds,
        access_token=tokens.access_token,
        expires_at=expires_at(tokens.expires_in) or creds.expires_at,
    )


def connected_profiles(adapter, tokens: TokenSet) -> list[ConnectedProfile]:
    """One profile: the Threads account itself (GET /me)."""
    me = adapter.get("me", Credentials(access_token=tokens.access_token), fields=PROFILE_FIELDS)
    username = me.get("username") or ""
    return [
        ConnectedProfile(
            **adapter.profile_fields(tokens),
            external_id=str(me.get("id") or (tokens.raw or {}).get("user_id") or ""),
            handle=f"@{username}" if username else "",
            display_name=me.get("name") or username,
            avatar_url=me.get("threads_profile_picture_url") or "",
            access_token=tokens.access_token,
            expires_at=expires_at(tokens.expires_in),
        )
    ]
