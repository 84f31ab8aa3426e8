"""Which YouTube channel Google's tokens open, and revoking them on disconnect."""

from __future__ import annotations

from networks.base import AppCredentials, PermanentError, TokenSet
from networks.connect import ConnectedProfile, bearer, expires_at

REVOKE_URL = "https://oauth2.googleapis.com/revoke"


def connected_profiles(adapter, tokens: TokenSet) -> list[ConnectedProfile]:
    """The channel(s) of the signed-in Google account (``channels.list?mine=true``, 1 unit).
    A Brand Account's channel is chosen on Google's consent screen, so one channel usually."""
    body = adapter.request(
        "GET",
        f"{adapter.api_root}/channels",
        headers=bearer(tokens.access_token),
        params={"part": "snippet", "mine": "true", "maxResults": 50},
    ).json()
    channels = body.get("items") or []
    if not channels:
        raise PermanentError(
            "this Google account has no YouTube channel: create one, then connect again",
            code="no_channel",
            network=adapter.network,
        )
    profiles = []
    for channel in channels:
        snippet = channel.get("snippet") or {}
        thumbnails = snippet.get("thumbnails") or {}
        avatar = (thumbnails.get("default") or thumbnails.get("medium") or {}).get("url", "")
        profiles.append(
            ConnectedProfile(
                **adapter.profile_fields(tokens),
                external_id=str(channel["id"]),
                handle=snippet.get("customUrl", ""),
                display_name=snippet.get("title", ""),
                avatar_url=avatar,
                access_token=tokens.access_token,
                refresh_token=tokens.refresh_token,
                expires_at=expires_at(tokens.expires_in),
            )
        )
    return profiles


def revoke_token(
    adapter, *, app: AppCredentials | None, access_token: str, refresh_token: str
) -> bool:
    """``POST https://oauth2.googleapis.com/revoke``: revoking the refresh token ends the
    whole grant (its access tokens with it)."""
    token = refresh_token or access_token
    if not token:
        return False
    adapter.request("POST", REVOKE_URL, data={"token": token}, idempotent=True)
    return True
