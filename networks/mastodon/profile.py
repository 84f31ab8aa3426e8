"""Which Mastodon account a token opens, and revoking the token on disconnect."""

from __future__ import annotations

from urllib.parse import urlsplit

from networks.base import AppCredentials, TokenSet
from networks.connect import ConnectedProfile, bearer, expires_at


def connected_profiles(adapter, tokens: TokenSet, *, instance_url: str) -> list[ConnectedProfile]:
    """The account itself (GET /api/v1/accounts/verify_credentials), its handle with the
    instance's host when the account is local."""
    account = adapter.request(
        "GET",
        f"{adapter.base(instance_url)}/api/v1/accounts/verify_credentials",
        headers=bearer(tokens.access_token),
    ).json()
    acct = account.get("acct", "")
    handle = f"@{acct}" if "@" in acct else f"@{acct}@{urlsplit(instance_url).hostname}"
    return [
        ConnectedProfile(
            **adapter.profile_fields(tokens, instance_url),
            external_id=str(account["id"]),
            handle=handle,
            display_name=account.get("display_name") or acct,
            avatar_url=account.get("avatar") or "",
            access_token=tokens.access_token,
            refresh_token=tokens.refresh_token,
            expires_at=expires_at(tokens.expires_in),
        )
    ]


def revoke_token(adapter, *, app: AppCredentials | None, access_token: str, instance_url: str):
    """POST /oauth/revoke on the instance (needs our client registration there)."""
    if not (app and access_token):
        return False
    adapter.request(
        "POST",
        f"{adapter.base(instance_url)}/oauth/revoke",
        data={
            "client_id": app.client_id,
            "client_secret": app.client_secret,
            "token": access_token,
        },
        idempotent=True,
    )
    return True
