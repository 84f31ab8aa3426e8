"""The one place where the product builds network adapters.

`networks/` knows no Django, so the options an adapter takes from the deployment's settings
(the Meta Graph API version and base URL, the LinkedIn API version) are read here and nowhere
else, and handed to networks.registry, which gives each adapter the ones it takes. Connecting an
account (clients.oauth), refreshing tokens (clients.services.token_refresh), publishing
(publishing.worker) and listening (reputation.services.polling) all build their adapters through
this module, so a configured API version applies to every call the product makes; and every
adapter built here records the deprecation signals of the networks' answers
(clients.services.network_watch).
"""

from __future__ import annotations

import threading
from datetime import date

import httpx
from django.conf import settings

from agency.outbound import outbound_policy
from networks import registry
from networks.adapter import NetworkAdapter
from networks.connect import ApiVersions
from networks.deprecation import DeprecationSignal
from networks.http import HttpSettings
from networks.outbound import guarded_client


def api_versions() -> ApiVersions:
    """The API versions this deployment pins (settings); each adapter takes its own."""
    return ApiVersions(
        meta_graph=settings.META_GRAPH_API_VERSION,
        linkedin=settings.LINKEDIN_API_VERSION,
        meta_graph_base_url=settings.META_GRAPH_BASE_URL,
    )


def adapter_options(network: str) -> dict[str, str]:
    """The constructor options the settings give ``network``'s adapter (may be empty)."""
    return registry.adapter_options(network, api_versions())


def _guarded(network: str) -> bool:
    """Where the person chooses the server (a Mastodon instance, a Bluesky PDS), every call,
    whether connecting, publishing or listening, goes through the outbound guard: the name
    checked when the account was connected may point elsewhere later."""
    return registry.adapter_class(network).user_chosen_server


def build_adapter(network: str, http: httpx.Client | None = None) -> NetworkAdapter:
    """A new adapter for ``network`` with the configured options (its own HTTP client unless
    ``http`` is given). Raises ``ValueError`` for an unknown network."""
    policy = outbound_policy()
    if http is None and _guarded(network):
        http = guarded_client(policy)
    adapter = registry.get_adapter(
        network, http, settings=HTTP_SETTINGS, **adapter_options(network)
    )
    adapter.outbound = policy  # media URLs are fetched through the outbound guard
    return adapter


_shared: dict[tuple, NetworkAdapter] = {}
_shared_lock = threading.Lock()


def shared_adapter(network: str) -> NetworkAdapter:
    """One adapter (so one HTTP connection pool) per network and options per process.

    Building an httpx client (its TLS context) costs more CPU than a whole publication, so the
    publishing worker reuses one. Keyed by the options too: a changed setting (tests, a
    reloaded configuration) gets a new adapter instead of the stale one."""
    options = adapter_options(network)
    policy = outbound_policy()
    # The policy is part of the key: a guarded client carries the policy it was built with.
    key = (str(network), tuple(sorted(options.items())), policy)
    adapter = _shared.get(key)
    if adapter is None:
        with _shared_lock:
            adapter = _shared.get(key)
            if adapter is None:
                http = guarded_client(policy) if _guarded(network) else None
                adapter = _shared[key] = registry.get_adapter(
                    network, http, settings=HTTP_SETTINGS, **options
                )
    adapter.outbound = policy
    return adapter


def api_version_in_use(network: str) -> tuple[str, date | None]:
    """The API version this deployment's adapter for ``network`` speaks (settings pin Meta's
    and LinkedIn's), and the day the network retires it (None: no date published)."""
    adapter = shared_adapter(network)
    return adapter.api_version, adapter.api_retirement


def _record_deprecation(signal: DeprecationSignal) -> None:
    from clients.services.network_watch import deprecation_record

    deprecation_record(signal)


# Every adapter built here records the deprecation signals of its answers (networks.http).
HTTP_SETTINGS = HttpSettings(on_deprecation=_record_deprecation)
