"""Which account an Instagram Login token opens, and its long-lived tokens.

Business Login for Instagram: the code is exchanged at api.instagram.com for a short-lived
token (one hour) and the account's id; that token is exchanged at graph.instagram.com for a
long-lived one (60 days, ``ig_exchange_token``), which is refreshed before it expires
(``ig_refresh_token``, once it is at least 24 hours old).
"""

from __future__ import annotations

from networks.base import AppCredentials, AuthExpired, TokenSet
from networks.connect import ConnectedProfile, expires_at

GRAPH_INSTAGRAM = "https://graph.instagram.com"
TOKEN_URL = "https://api.instagram.com/oauth/access_token"
# /me: ``user_id`` is the professional account's id (the <IG_ID> of every other call, and
# of webhooks); ``id`` is the app-scoped id of the person.
FIELDS = "user_id,username,name,profile_picture_url"


def short_lived_token(answer: dict) -> TokenSet:
    """The code exchange's answer, in either shape Meta documents: ``{"data": [{"access_token",
    "user_id", "permissions"}]}`` (Business Login) or the same keys at the top level, with
    ``permissions`` a comma-separated string or a list."""
    entry = answer
    if isinstance(answer.get("data"), list) and answer["data"]:
        entry = answer["data"][0]
    if not isinstance(entry, dict) or not entry.get("access_token"):
        raise AuthExpired(
            "Instagram answered the code exchange without a token", network="instagram_login"
        )
    permissions = entry.get("permissions") or ""
    if isinstance(permissions, list):
        permissions = ",".join(str(p) for p in permissions)
    return TokenSet(
        access_token=entry["access_token"],
        scope=str(permissions),
        raw={"user_id": str(entry.get("user_id", ""))},
    )


def _token_answer(body: dict) -> TokenSet:
    expires = body.get("expires_in")
    return TokenSet(access_token=body["access_token"], expires_in=int(expires) if expires else None)


def long_lived_token(adapter, app: AppCredentials, short_token: str) -> TokenSet:
    """GET graph.instagram.com/access_token?grant_type=ig_exchange_token (60 days)."""
    body = adapter.request(
        "GET",
        f"{adapter.base_url}/access_token",
        params={
            "grant_type": "ig_exchange_token",
            "client_secret": app.client_secret,
            "access_token": short_token,
        },
    ).json()
    return _token_answer(body)


def refreshed_token(adapter, token: str) -> TokenSet:
    """GET graph.instagram.com/refresh_access_token?grant_type=ig_refresh_token: 60 more days
    for a long-lived token at least 24 hours old and not expired."""
    body = adapter.request(
        "GET",
        f"{adapter.base_url}/refresh_access_token",
        params={"grant_type": "ig_refresh_token", "access_token": token},
    ).json()
    return _token_answer(body)


def connected_profiles(adapter, app: AppCredentials, tokens: TokenSet) -> list[ConnectedProfile]:
    """The one professional account that signed in, with its long-lived token."""
    user = long_lived_token(adapter, app, tokens.access_token)
    me = adapter.request(
        "GET",
        adapter.url("me"),
        params={"fields": FIELDS, "access_token": user.access_token},
    ).json()
    account_id = str(me.get("user_id") or (tokens.raw or {}).get("user_id") or me.get("id", ""))
    username = me.get("username") or ""
    return [
        ConnectedProfile(
            **adapter.profile_fields(tokens),
            external_id=account_id,
            handle=f"@{username}" if username else "",
            display_name=me.get("name") or username,
            avatar_url=me.get("profile_picture_url", ""),
            access_token=user.access_token,
            expires_at=expires_at(user.expires_in),
        )
    ]
