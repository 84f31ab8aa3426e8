"""Which TikTok account a token opens (GET /v2/user/info/), and revoking the token."""

from __future__ import annotations

from networks.base import AppCredentials, TokenSet
from networks.connect import ConnectedProfile, bearer, expires_at
from networks.tiktok import errors

API = "https://open.tiktokapis.com/v2"
# user.info.basic: open_id, avatar_url, display_name; user.info.profile: username.
PROFILE_FIELDS = "open_id,union_id,avatar_url,display_name,username"


def user_info(adapter, token: str, fields: str) -> dict:
    response = adapter.request(
        "GET", f"{API}/user/info/", headers=bearer(token), params={"fields": fields}
    )
    return errors.data_of(response).get("user") or {}


def connected_profiles(adapter, tokens: TokenSet) -> list[ConnectedProfile]:
    """The one account that signed in; its ``open_id`` is the account's id for our app."""
    user = user_info(adapter, tokens.access_token, PROFILE_FIELDS)
    open_id = str(user.get("open_id") or (tokens.raw or {}).get("open_id") or "")
    username = user.get("username") or ""
    return [
        ConnectedProfile(
            **adapter.profile_fields(tokens),
            external_id=open_id,
            handle=f"@{username}" if username else "",
            display_name=user.get("display_name", ""),
            avatar_url=user.get("avatar_url", ""),
            access_token=tokens.access_token,
            refresh_token=tokens.refresh_token,
            expires_at=expires_at(tokens.expires_in),
        )
    ]


def revoke_token(adapter, *, app: AppCredentials | None, access_token: str) -> bool:
    """POST /v2/oauth/revoke/ (client_key, client_secret, token): ends the authorisation."""
    if not (app and access_token):
        return False
    adapter.request(
        "POST",
        f"{API}/oauth/revoke/",
        data={
            "client_key": app.client_id,
            "client_secret": app.client_secret,
            "token": access_token,
        },
        idempotent=True,
    )
    return True
