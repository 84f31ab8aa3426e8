"""Answering a Mastodon private mention: a direct status in its thread that mentions the
people in it (never a public reply), found again after a lost answer. Shaped like Mastodon's
Status and Context entities."""

import json
from datetime import UTC, datetime

import pytest
import respx

from networks.base import Credentials
from networks.mastodon.adapter import MastodonAdapter

BASE = "https://mastodon.social"
CREDS = Credentials(access_token="m-token", instance_url=BASE, external_id="42")


def _status(sid, content, *, account_id, acct, visibility="direct", mentions=(), when="10:00"):
    return {
        "id": sid,
        "created_at": f"2026-11-20T{when}:00.000Z",
        "in_reply_to_id": None,
        "visibility": visibility,
        "content": content,
        "url": f"{BASE}/@{acct}/{sid}",
        "account": {"id": account_id, "acct": acct, "username": acct.split("@")[0]},
        "mentions": list(mentions),
    }


ASKED = _status(
    "113501",
    '<p><span class="h-card"><a href="https://mastodon.social/@cafetanger" class="u-url '
    'mention">@<span>cafetanger</span></a></span> ma commande 1234 ?</p>',
    account_id="77",
    acct="salma@piaille.fr",
    mentions=[{"id": "42", "username": "cafetanger", "acct": "cafetanger"}],
)


@pytest.fixture
def adapter(make_adapter):
    return make_adapter(MastodonAdapter)


@respx.mock
def test_a_direct_reply_mentions_the_author_and_stays_direct(adapter):
    respx.get(f"{BASE}/api/v1/statuses/113501").respond(200, json=ASKED)
    route = respx.post(f"{BASE}/api/v1/statuses").respond(
        200, json=_status("113502", "<p>ok</p>", account_id="42", acct="cafetanger")
    )
    sent = adapter.send_direct_message(
        CREDS, "113501", "salma@piaille.fr", "Nous regardons.", idempotency_key="reply-k1"
    )
    assert sent == "113502"
    payload = json.loads(route.calls.last.request.content)
    assert payload == {
        "status": "@salma@piaille.fr Nous regardons.",  # ourselves never mentioned
        "visibility": "direct",
        "in_reply_to_id": "113501",
    }
    assert route.calls.last.request.headers["Idempotency-Key"] == "reply-k1"


@respx.mock
def test_our_direct_reply_is_found_in_the_thread_without_the_mentions_we_added(adapter):
    ours = _status(
        "113502",
        '<p><span class="h-card"><a href="https://piaille.fr/@salma" class="u-url mention">'
        "@<span>salma</span></a></span> Nous regardons.</p>",
        account_id="42",
        acct="cafetanger",
        when="10:05",
    )
    respx.get(f"{BASE}/api/v1/statuses/113501/context").respond(
        200, json={"ancestors": [], "descendants": [ours]}
    )
    since = datetime(2026, 11, 20, 10, 4, tzinfo=UTC)
    found = adapter.find_existing_direct_message(CREDS, "113501", "Nous regardons.", since=since)
    assert found == "113502"
    too_late = datetime(2026, 11, 20, 10, 6, tzinfo=UTC)
    assert (
        adapter.find_existing_direct_message(CREDS, "113501", "Nous regardons.", since=too_late)
        is None
    )
