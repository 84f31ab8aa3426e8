"""API versions, their retirement dates, and the deprecation signals answers carry."""

from __future__ import annotations

from datetime import date

import httpx
import pytest
import respx

from networks.base import Credentials, PermanentError, PostContent
from networks.bluesky.adapter import BlueskyAdapter
from networks.deprecation import (
    DEPRECATION_HEADER,
    NETWORK_WARNING,
    SUNSET_HEADER,
    VERSION_REFUSED,
    VERSION_UPGRADED,
    parse_deprecation,
    parse_http_date,
)
from networks.facebook.adapter import FacebookAdapter
from networks.http import HttpSettings
from networks.instagram.adapter import InstagramAdapter
from networks.linkedin.adapter import LinkedInAdapter
from networks.mastodon.adapter import MastodonAdapter
from networks.meta_versions import graph_retirement
from networks.registry import ADAPTERS, get_adapter
from networks.tests.conftest import load
from networks.x.adapter import XAdapter

PAGE = "104729925234"
FB_CREDS = Credentials(access_token="EAAPageToken", external_id=PAGE)
LI_CREDS = Credentials(access_token="li-token", external_id="urn:li:organization:2414183")
X_CREDS = Credentials(access_token="x-token", external_id="2244994945")


@pytest.fixture
def seen():
    return []


@pytest.fixture
def build(seen):
    clients = []

    def make(adapter_class, **options):
        client = httpx.Client()
        clients.append(client)
        settings = HttpSettings(backoff=0.0, on_deprecation=seen.append)
        return adapter_class(client, settings=settings, sleep=lambda s: None, **options)

    yield make
    for client in clients:
        client.close()


def test_every_adapter_says_which_api_version_it_speaks():
    for network in ADAPTERS:
        assert get_adapter(network).api_version, network


def test_networks_without_a_published_retirement_have_none():
    for adapter_class in (MastodonAdapter, BlueskyAdapter, XAdapter):
        assert adapter_class.api_retirement is None


def test_graph_retirement_follows_the_pinned_version():
    # Meta's changelog: v20.0 expires on 24 September 2026, v25.0 on 29 July 2028.
    assert get_adapter("facebook", graph_version="v20.0").api_retirement == date(2026, 9, 24)
    assert get_adapter("instagram", graph_version="v25.0").api_retirement == date(2028, 7, 29)
    # v26.0's date is "TBD": the guaranteed two years after its release (29 July 2026).
    assert graph_retirement("v26.0") == date(2028, 7, 29)
    assert FacebookAdapter.api_retirement == InstagramAdapter.api_retirement == date(2028, 7, 29)
    assert graph_retirement("v99.0") is None


def test_linkedin_retirement_follows_the_pinned_version():
    # The Migrations table: 202511 sunsets on 16 November 2026.
    assert get_adapter("linkedin", api_version="202511").api_retirement == date(2026, 11, 16)
    # Not in the table: the documented minimum of one year.
    assert get_adapter("linkedin", api_version="202607").api_retirement == date(2027, 7, 1)
    assert get_adapter("linkedin", api_version="nonsense").api_retirement is None


def test_http_dates_and_structured_deprecation_dates_are_read():
    assert parse_http_date("Sun, 01 Nov 2026 00:00:00 GMT") == date(2026, 11, 1)
    assert parse_deprecation("@1688169599") == date(2023, 6, 30)
    assert parse_deprecation("true") is None
    assert parse_http_date("soon") is None


@respx.mock
def test_sunset_and_deprecation_headers_of_any_network_reach_the_hook(build, seen):
    adapter = build(XAdapter)
    respx.post("https://api.x.com/2/tweets").respond(
        201,
        json={"data": {"id": "1445880548472328192", "text": "hello"}},
        headers={"Deprecation": "@1796083200", "Sunset": "Tue, 01 Jun 2027 00:00:00 GMT"},
    )

    adapter.publish(X_CREDS, PostContent(text="hello"))

    assert [s.kind for s in seen] == [DEPRECATION_HEADER, SUNSET_HEADER]
    assert seen[1].sunset == date(2027, 6, 1)
    assert seen[1].network == "x" and seen[1].api_version == "2"
    assert "/2/tweets" in seen[1].message


@respx.mock
def test_meta_answering_with_another_version_is_a_signal(build, seen):
    adapter = build(FacebookAdapter, graph_version="v19.0")
    respx.post(f"https://graph.facebook.com/v19.0/{PAGE}/feed").respond(
        200, json=load("facebook_feed_post.json"), headers={"facebook-api-version": "v21.0"}
    )

    adapter.publish(FB_CREDS, PostContent(text="hello"))

    assert [(s.kind, s.api_version) for s in seen] == [(VERSION_UPGRADED, "v19.0")]
    assert "v21.0" in seen[0].message


@respx.mock
def test_meta_answering_with_the_version_asked_is_no_signal(build, seen):
    adapter = build(FacebookAdapter)
    respx.post(f"https://graph.facebook.com/v26.0/{PAGE}/feed").respond(
        200, json=load("facebook_feed_post.json"), headers={"x-fb-api-version": "v26.0"}
    )
    adapter.publish(FB_CREDS, PostContent(text="hello"))
    assert seen == []


@respx.mock
def test_meta_debug_warnings_about_deprecation_are_kept(build, seen):
    adapter = build(FacebookAdapter)
    body = {
        **load("facebook_feed_post.json"),
        "__debug__": {
            "messages": [
                {
                    "message": "The field 'impressions' is deprecated for v21.0 and higher",
                    "type": "warning",
                },
                {"message": "Only Pages you manage are returned", "type": "info"},
            ]
        },
    }
    respx.post(f"https://graph.facebook.com/v26.0/{PAGE}/feed").respond(200, json=body)
    adapter.publish(FB_CREDS, PostContent(text="hello"))
    assert [s.kind for s in seen] == [NETWORK_WARNING]
    assert "impressions" in seen[0].message


@respx.mock
def test_linkedin_refusing_a_retired_version_is_recorded_before_the_error(build, seen):
    adapter = build(LinkedInAdapter, api_version="202401")
    respx.post("https://api.linkedin.com/rest/posts").respond(
        426, json=load("linkedin_error_426.json")
    )
    with pytest.raises(PermanentError):
        adapter.publish(LI_CREDS, PostContent(text="hello"))
    assert [(s.kind, s.api_version) for s in seen] == [(VERSION_REFUSED, "202401")]
    assert seen[0].sunset == date(2025, 1, 1)


@respx.mock
def test_a_failing_hook_never_fails_the_call(build):
    def broken(signal):
        raise RuntimeError("database down")

    adapter = XAdapter(
        httpx.Client(), settings=HttpSettings(on_deprecation=broken), sleep=lambda s: None
    )
    respx.post("https://api.x.com/2/tweets").respond(
        201,
        json={"data": {"id": "1445880548472328192", "text": "hello"}},
        headers={"Sunset": "Tue, 01 Jun 2027 00:00:00 GMT"},
    )
    assert adapter.publish(X_CREDS, PostContent(text="hello")).external_id == "1445880548472328192"


@respx.mock
def test_answers_without_signals_call_no_hook(build, seen):
    adapter = build(XAdapter)
    respx.post("https://api.x.com/2/tweets").respond(
        201, json={"data": {"id": "1445880548472328192", "text": "hello"}}
    )
    adapter.publish(X_CREDS, PostContent(text="hello"))
    assert seen == []
