"""Which X account a token opens, and revoking the token on disconnect."""

from __future__ import annotations

from networks.base import AppCredentials, TokenSet
from networks.connect import ConnectedProfile, bearer, expires_at


def connected_profiles(adapter, tokens: TokenSet) -> list[ConnectedProfile]:
    """The signed-in user (GET /2/users/me)."""
    user = adapter.request(
        "GET",
        f"{adapter.api_root}/users/me",
        headers=bearer(tokens.access_token),
        params={"user.fields": "profile_image_url,username,name"},
    ).json()["data"]
    return [
        ConnectedProfile(
            **adapter.profile_fields(tokens),
            external_id=str(user["id"]),
            handle=f"@{user.get('username', '')}",
            display_name=user.get("name", ""),
            avatar_url=user.get("profile_image_url", ""),
            access_token=tokens.access_token,
            refresh_token=tokens.refresh_token,
            expires_at=expires_at(tokens.expires_in),
        )
    ]


def revoke_token(
    adapter, *, app: AppCredentials | None, access_token: str, refresh_token: str
) -> bool:
    """POST /2/oauth2/revoke, the refresh token first (revoking it ends the grant)."""
    if not (app and (refresh_token or access_token)):
        return False
    token, hint = (
        (refresh_token, "refresh_token") if refresh_token else (access_token, "access_token")
    )
    adapter.request(
        "POST",
        f"{adapter.api_root}/oauth2/revoke",
        data={"token": token, "token_type_hint": hint, "client_id": app.client_id},
        auth=(app.client_id, app.client_secret) if app.client_secret else None,
        idempotent=True,
    )
    return True
