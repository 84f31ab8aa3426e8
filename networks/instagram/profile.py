"""Which Instagram professional accounts a Facebook Login token opens."""

from __future__ import annotations

from networks.base import AppCredentials, TokenSet
from networks.connect import ConnectedProfile, expires_at
from networks.facebook.adapter import FacebookAdapter


def connected_profiles(adapter, app: AppCredentials, tokens: TokenSet) -> list[ConnectedProfile]:
    """The Instagram accounts linked to the person's Pages (Facebook Login), found through
    the Facebook side of the Graph API at the same version and over the same connection."""
    facebook = FacebookAdapter(adapter.http, graph_version=adapter.version)
    facebook.outbound = adapter.outbound
    user = facebook.long_lived_token(app, tokens.access_token)
    profiles = []
    for page in facebook.list_pages(user.access_token):
        ig = page.get("instagram_business_account") or {}
        if not ig.get("id"):
            continue
        info = adapter.request(
            "GET",
            adapter.url(str(ig["id"])),
            params={
                "fields": "username,name,profile_picture_url",
                "access_token": user.access_token,
            },
        ).json()
        profiles.append(
            ConnectedProfile(
                **adapter.profile_fields(tokens),
                external_id=str(ig["id"]),
                handle=f"@{info['username']}" if info.get("username") else "",
                display_name=info.get("name") or page.get("name", ""),
                avatar_url=info.get("profile_picture_url", ""),
                access_token=user.access_token,
                expires_at=expires_at(user.expires_in),
            )
        )
    return profiles
