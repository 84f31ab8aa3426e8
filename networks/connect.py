"""What connecting an account needs and gives, in the same words for every network.

Each adapter says how an account of its network is connected (:class:`Connection`), which
app credentials that takes, and, after the OAuth code exchange, which account(s) the tokens
open (``NetworkAdapter.connected_profiles``). The Django side (clients.oauth) asks these
through the adapter and never branches on the network's name.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from .base import TokenSet


class Connection(enum.StrEnum):
    """How a person connects an account of the network."""

    # OAuth with the platform's own client, whose id and secret the deployment configures.
    OAUTH = "oauth"
    # OAuth on a server the person names (a Mastodon instance): our client is registered on
    # each server on first use, so there is nothing to configure.
    OAUTH_PER_SERVER = "oauth_per_server"
    # No OAuth: the person gives an app password (Bluesky), so no app credentials either.
    APP_PASSWORD = "app_password"


@dataclass(frozen=True)
class ApiVersions:
    """The API versions a deployment pins (empty: the adapter's own default). The Django side
    reads them from its settings and hands them to the registry, which gives each adapter the
    ones that concern it."""

    meta_graph: str = ""
    linkedin: str = ""
    # Not a version but pinned the same way: where the Graph API is served (empty: Meta's).
    meta_graph_base_url: str = ""


# Codes a network may put in ConnectedProfile.notices; the Django side words them.
ACCOUNT_PASSWORD_NOTICE = "account_password"  # the account's own password, not an app password


@dataclass
class ConnectedProfile:
    """One account the person may connect, with its tokens (hidden from repr)."""

    network: str
    external_id: str
    handle: str = ""
    display_name: str = ""
    avatar_url: str = ""
    access_token: str = ""
    refresh_token: str = ""
    expires_at: datetime | None = None
    scopes: list[str] = field(default_factory=list)
    instance_url: str = ""
    notices: list[str] = field(default_factory=list)  # warnings to show after connecting
    # Instagram: the linked Facebook Page and its Page token (see Credentials).
    linked_page_id: str = ""
    linked_page_token: str = ""

    def __repr__(self) -> str:
        return (
            f"ConnectedProfile(network={self.network!r}, external_id={self.external_id!r}, "
            f"handle={self.handle!r}, tokens='***')"
        )

    def label(self) -> str:
        return self.display_name or self.handle or self.external_id


def expires_at(expires_in: int | None) -> datetime | None:
    """When a token given ``expires_in`` seconds now expires (None: it does not say)."""
    return datetime.now(UTC) + timedelta(seconds=expires_in) if expires_in else None


def granted_scopes(tokens: TokenSet, requested: tuple[str, ...]) -> list[str]:
    """The scopes the token endpoint says it granted, else those we asked for."""
    raw = tokens.scope.replace(",", " ").split() if tokens.scope else list(requested)
    return sorted(set(raw))


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}
