"""Which networks exist, their display names, and the adapter for each.

The one door into a network's package: the Django side asks here for the adapter class (what
connecting takes, which API versions apply) and for an adapter, never for a network by name.
"""

from __future__ import annotations

import httpx

from .adapter import NetworkAdapter
from .base import Network
from .bluesky.adapter import BlueskyAdapter
from .connect import ApiVersions
from .facebook.adapter import FacebookAdapter
from .google_business.adapter import GoogleBusinessAdapter
from .instagram.adapter import InstagramAdapter
from .instagram_login.adapter import InstagramLoginAdapter
from .linkedin.adapter import LinkedInAdapter
from .linkedin_profile.adapter import LinkedInProfileAdapter
from .mastodon.adapter import MastodonAdapter
from .pinterest.adapter import PinterestAdapter
from .threads.adapter import ThreadsAdapter
from .tiktok.adapter import TikTokAdapter
from .x.adapter import XAdapter
from .youtube.adapter import YouTubeAdapter

ADAPTERS: dict[Network, type[NetworkAdapter]] = {
    Network.MASTODON: MastodonAdapter,
    Network.BLUESKY: BlueskyAdapter,
    Network.FACEBOOK: FacebookAdapter,
    Network.INSTAGRAM: InstagramAdapter,
    Network.LINKEDIN: LinkedInAdapter,
    Network.X: XAdapter,
    Network.LINKEDIN_PROFILE: LinkedInProfileAdapter,
    Network.TIKTOK: TikTokAdapter,
    Network.YOUTUBE: YouTubeAdapter,
    Network.PINTEREST: PinterestAdapter,
    Network.GOOGLE_BUSINESS: GoogleBusinessAdapter,
    Network.THREADS: ThreadsAdapter,
    Network.INSTAGRAM_LOGIN: InstagramLoginAdapter,
}

# (value, display name) pairs in the order the dashboard shows them; usable as Django choices.
NETWORK_CHOICES: list[tuple[str, str]] = [
    (network.value, adapter.display_name) for network, adapter in ADAPTERS.items()
]


def adapter_class(network: str | Network) -> type[NetworkAdapter]:
    """The adapter class of ``network`` (what it can do, how it connects), without building one.

    Raises ``ValueError`` for an unknown network name.
    """
    try:
        return ADAPTERS[Network(network)]
    except ValueError:
        raise ValueError(f"unknown network {network!r}") from None


def adapter_options(network: str | Network, versions: ApiVersions) -> dict[str, str]:
    """The constructor options the pinned ``versions`` give ``network``'s adapter (may be empty)."""
    return adapter_class(network).options_for(versions)


def get_adapter(network: str | Network, http: httpx.Client | None = None, **options):
    """A ready adapter for ``network``; ``options`` go to its constructor
    (e.g. ``graph_version="v26.0"`` for Meta, ``api_version="202607"`` for LinkedIn).

    Raises ``ValueError`` for an unknown network name.
    """
    return adapter_class(network)(http, **options)


def display_name(network: str | Network) -> str:
    return ADAPTERS[Network(network)].display_name
