"""Which Facebook Pages a Facebook Login token opens."""

from __future__ import annotations

from networks.base import AppCredentials, TokenSet
from networks.connect import ConnectedProfile


def connected_profiles(adapter, app: AppCredentials, tokens: TokenSet) -> list[ConnectedProfile]:
    """Every Page the person manages that gave a Page token.

    A Page token derived from a long-lived user token does not expire; the user token is kept
    as the "refresh token" so that FacebookAdapter.refresh can derive a new one."""
    user = adapter.long_lived_token(app, tokens.access_token)
    return [
        ConnectedProfile(
            **adapter.profile_fields(tokens),
            external_id=str(page["id"]),
            display_name=page.get("name", ""),
            access_token=page.get("access_token", ""),
            refresh_token=user.access_token,
            expires_at=None,
        )
        for page in adapter.list_pages(user.access_token)
        if page.get("access_token")
    ]
