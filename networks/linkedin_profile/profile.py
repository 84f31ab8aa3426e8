"""Which LinkedIn member a token opens: the OpenID Connect userinfo endpoint.

``GET https://api.linkedin.com/v2/userinfo`` (scopes ``openid profile``) answers the member's
``sub``, ``name``, ``picture`` and, with ``email``, ``email``; ``sub`` is the member id the
Posts API wants as ``urn:li:person:{sub}``. It is not a versioned ``/rest`` resource, so it is
called without the ``LinkedIn-Version`` header.
"""

from __future__ import annotations

from networks.base import TokenSet
from networks.connect import ConnectedProfile, bearer, expires_at

USERINFO_URL = "https://api.linkedin.com/v2/userinfo"


def person_urn(sub: str) -> str:
    return f"urn:li:person:{sub}"


def connected_profiles(adapter, tokens: TokenSet) -> list[ConnectedProfile]:
    """The one member who signed in (a person has one profile)."""
    info = adapter.request("GET", USERINFO_URL, headers=bearer(tokens.access_token)).json()
    sub = str(info.get("sub") or "")
    if not sub:
        return []
    return [
        ConnectedProfile(
            **adapter.profile_fields(tokens),
            external_id=person_urn(sub),
            # OpenID Connect gives no vanity name: the e-mail tells people apart.
            handle=str(info.get("email") or ""),
            display_name=str(info.get("name") or ""),
            avatar_url=str(info.get("picture") or ""),
            access_token=tokens.access_token,
            refresh_token=tokens.refresh_token,
            expires_at=expires_at(tokens.expires_in),
        )
    ]
