"""Which networks exist, their display names, and the adapter for each."""

from __future__ import annotations

import httpx

from .adapter import NetworkAdapter
from .base import Network
from .bluesky import BlueskyAdapter
from .facebook import FacebookAdapter
from .instagram import InstagramAdapter
from .linkedin import LinkedInAdapter
from .mastodon import MastodonAdapter
from .x import XAdapter

ADAPTERS: dict[Network, type[NetworkAdapter]] = {
    Network.MASTODON: MastodonAdapter,
    Network.BLUESKY: BlueskyAdapter,
    Network.FACEBOOK: FacebookAdapter,
    Network.INSTAGRAM: InstagramAdapter,
    Network.LINKEDIN: LinkedInAdapter,
    Network.X: XAdapter,
}

# (value, display name) pairs in the order the dashboard shows them; usable as Django choices.
NETWORK_CHOICES: list[tuple[str, str]] = [
    (network.value, adapter.display_name) for network, adapter in ADAPTERS.items()
]


def get_adapter(network: str | Network, http: httpx.Client | None = None, **options):
    """A ready adapter for ``network``; ``options`` go to its constructor
    (e.g. ``graph_version="v26.0"`` for Meta, ``api_version="202607"`` for LinkedIn).

    Raises ``ValueError`` for an unknown network name.
    """
    try:
        adapter_class = ADAPTERS[Network(network)]
    except ValueError:
        raise ValueError(f"unknown network {network!r}") from None
    return adapter_class(http, **options)


def display_name(network: str | Network) -> str:
    return ADAPTERS[Network(network)].display_name
