"""Owned-account listening reads the account's notifications: posts that mention, reply to or
quote it (Bluesky listNotifications, Mastodon notifications of type mention), from a cursor.
The networks are faked by respx with their documented response shapes."""

import json
from pathlib import Path

import httpx
import respx

from clients.tests.factories import SocialAccountFactory
from reputation.models.mentions import Mention
from reputation.services.polling import source_poll
from reputation.tests.factories import SourceFactory

FIXTURES = Path(__file__).resolve().parents[2] / "networks" / "tests" / "fixtures"
LIST_NOTIFICATIONS = "https://bsky.social/xrpc/app.bsky.notification.listNotifications"


def payload(name: str):
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def _owned_source(agency, brand, network):
    return SourceFactory(agency=agency, kind="owned_comments", brand=brand, network=network, url="")


def test_bluesky_mentions_replies_and_quotes_of_the_account_become_brand_mentions(
    agency_a, brand_a, in_agency
):
    SocialAccountFactory(
        agency=agency_a,
        brand=brand_a,
        network="bluesky",
        external_id="did:plc:z72i7hdynmk6r22z27h6tvur",
        instance_url="https://bsky.social",
        access_token="bsky-access",
    )
    source = _owned_source(agency_a, brand_a, "bluesky")
    with respx.mock(assert_all_called=True) as mock:
        route = mock.get(LIST_NOTIFICATIONS).mock(
            side_effect=[
                httpx.Response(200, json=payload("bluesky_notifications.json")),
                httpx.Response(200, json=payload("bluesky_notifications_page2.json")),
                # the next poll: the newest notification is the one already read
                httpx.Response(200, json=payload("bluesky_notifications.json")),
            ]
        )
        # The account's chats are read too (engagement/tests/test_direct_messages.py): none.
        mock.get("https://bsky.social/xrpc/chat.bsky.convo.listConvos").respond(
            200, json={"convos": []}
        )
        # The account's own posts (app.bsky.feed.getAuthorFeed): none besides ours.
        mock.get("https://bsky.social/xrpc/app.bsky.feed.getAuthorFeed").mock(
            return_value=httpx.Response(200, json={"feed": []})
        )
        with in_agency(agency_a):
            assert source_poll(source=source).status == "ok"
            source.refresh_from_db()
            assert source.notifications_cursor.startswith("2026-03-02T10:00:01.12")
            assert source_poll(source=source).status == "ok"

    assert route.call_count == 3
    assert route.calls[0].request.headers["Authorization"] == "Bearer bsky-access"
    assert route.calls[1].request.url.params["cursor"] == "2026-03-02T08:59:00.000Z"
    stored = Mention.unscoped.filter(brand=brand_a)
    assert sorted(m.external_id.rsplit("/", 1)[-1] for m in stored) == [
        "3lbd0older",
        "3lbd1quote",
        "3lbd2mention",
        "3lbd2reply",
    ]
    merci = stored.get(external_id__endswith="/3lbd2mention")
    assert merci.source_id == source.pk and "livraison rapide" in merci.text
    assert merci.url.startswith("https://bsky.app/profile/")
    source.refresh_from_db()
    assert source.last_error == ""


def test_mastodon_mentions_are_read_from_notifications_since_the_last_one(
    agency_a, brand_a, in_agency
):
    SocialAccountFactory(agency=agency_a, brand=brand_a, network="mastodon")
    source = _owned_source(agency_a, brand_a, "mastodon")
    with respx.mock(assert_all_called=True) as mock:
        route = mock.get("https://mastodon.social/api/v1/notifications").mock(
            side_effect=[
                httpx.Response(200, json=payload("mastodon_notifications.json")),
                httpx.Response(200, json=[]),
            ]
        )
        mock.get(url__regex=r"https://mastodon\.social/api/v1/accounts/[^/]+/statuses").mock(
            return_value=httpx.Response(200, json=[])
        )
        with in_agency(agency_a):
            source_poll(source=source)
            source.refresh_from_db()
            source_poll(source=source)

    assert source.notifications_cursor == "34975861"  # the notification id, not the status id
    assert route.calls[0].request.url.params["types[]"] == "mention"
    assert "since_id" not in route.calls[0].request.url.params
    assert route.calls[1].request.url.params["since_id"] == "34975861"
    assert Mention.unscoped.filter(brand=brand_a, external_id="113500").exists()
