"""One adapter factory: the configured Meta and LinkedIn API versions reach every adapter the
product builds (connecting, refreshing, publishing, listening), not only OAuth."""

import re
from pathlib import Path

import httpx
import pytest
import respx

from clients import adapters, oauth
from clients.tests.factories import SocialAccountFactory
from publishing import worker
from reputation.services.polling import source_poll
from reputation.tests.factories import SourceFactory

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def versions(settings):
    settings.META_GRAPH_API_VERSION = "v99.0"
    settings.LINKEDIN_API_VERSION = "209901"


@pytest.mark.parametrize(
    "network, version", [("facebook", "v99.0"), ("instagram", "v99.0"), ("linkedin", "209901")]
)
def test_publishing_and_oauth_adapters_carry_the_configured_versions(versions, network, version):
    assert worker.adapter_for(network).version == version
    assert oauth.adapter_for(network).version == version
    assert adapters.build_adapter(network).version == version


def test_a_changed_setting_gives_a_new_shared_adapter(settings):
    settings.META_GRAPH_API_VERSION = "v98.0"
    first = worker.adapter_for("facebook")
    assert worker.adapter_for("facebook") is first  # one connection pool per process
    settings.META_GRAPH_API_VERSION = "v99.0"
    assert worker.adapter_for("facebook").version == "v99.0"


def test_polling_calls_the_configured_graph_version(versions, agency_a, brand_a, in_agency):
    SocialAccountFactory(
        agency=agency_a, brand=brand_a, network="instagram", external_id="17841400008460056"
    )
    source = SourceFactory(
        agency=agency_a,
        kind="network_search",
        brand=brand_a,
        network="instagram",
        search_terms="#cafetanger",
        url="",
    )
    with respx.mock(assert_all_called=True) as mock:
        # Shaped like the Graph API's ig_hashtag_search answer: no such hashtag yet.
        route = mock.get("https://graph.facebook.com/v99.0/ig_hashtag_search").mock(
            return_value=httpx.Response(200, json={"data": []})
        )
        with in_agency(agency_a):
            assert source_poll(source=source).status == "ok"
    assert route.call_count == 1


def test_no_module_builds_an_adapter_outside_the_factory():
    """Only clients/adapters.py (and networks/ itself) may call networks.registry.get_adapter."""
    offenders = []
    for path in ROOT.rglob("*.py"):
        relative = path.relative_to(ROOT).as_posix()
        if relative.startswith((".venv/", "networks/", "node_modules/")) or "/tests/" in relative:
            continue
        if relative == "clients/adapters.py":
            continue
        text = path.read_text(encoding="utf-8")
        if re.search(r"\bget_adapter\s*\(|\bADAPTERS\s*\[", text):
            offenders.append(relative)
    assert offenders == []


@pytest.mark.parametrize("network", ["facebook", "instagram"])
def test_the_configured_graph_base_url_reaches_every_meta_call(settings, network):
    settings.META_GRAPH_BASE_URL = "http://127.0.0.1:8765"
    for adapter in (
        worker.adapter_for(network),
        oauth.adapter_for(network),
        adapters.build_adapter(network),
    ):
        assert adapter.url("123_456") == f"http://127.0.0.1:8765/{adapter.version}/123_456"
        assert adapter.url("me/videos", video=True).startswith("http://127.0.0.1:8765/")
        assert adapter.oauth().token_url.startswith("http://127.0.0.1:8765/")


def test_meta_calls_go_to_meta_by_default(settings):
    settings.META_GRAPH_BASE_URL = "https://graph.facebook.com"
    adapter = adapters.build_adapter("facebook")
    assert adapter.url("123").startswith("https://graph.facebook.com/v")
    assert adapter.url("me/videos", video=True).startswith("https://graph-video.facebook.com/v")
