"""X direct messages: read from GET /2/dm_events, sent in the conversation, found again after
a lost answer; a connection without the dm.* scopes and the API's access-tier refusals are
clear permanent errors. Payloads shaped like X's documented responses."""

import json
from datetime import UTC, datetime

import httpx
import pytest
import respx

from networks.base import Credentials, PermanentError
from networks.x.adapter import SCOPES, XAdapter

from .conftest import load

API = "https://api.x.com/2"
ME = "2244994945"
CREDS = Credentials(access_token="x-access", external_id=ME, extra={"scopes": list(SCOPES)})
THREAD = "944480690-2244994945"


@pytest.fixture
def adapter(make_adapter):
    return make_adapter(XAdapter)


def test_the_connection_asks_for_the_direct_message_scopes():
    assert {"dm.read", "dm.write", "tweet.read", "users.read"} <= set(SCOPES)
    assert XAdapter.missing_features(SCOPES) == []
    assert XAdapter.missing_features(["tweet.read", "users.read"]) == ["direct_messages"]
    assert XAdapter.missing_features([]) == []  # unknown scopes: nothing to say


@respx.mock
def test_direct_messages_are_read_page_by_page_with_their_conversation_and_sender(adapter):
    route = respx.get(f"{API}/dm_events").mock(
        side_effect=[
            httpx.Response(200, json=load("x_dm_events.json")),
            httpx.Response(200, json=load("x_dm_events_older.json")),
        ]
    )
    found = adapter.list_direct_messages(CREDS)
    assert [(thread, m.external_id) for thread, m in found] == [
        (THREAD, "1582838499983564806"),
        (THREAD, "1582838499983564700"),
        ("17200003-2244994945", "1582838499983564600"),
        ("17200003-2244994945", "1582838499983564500"),
    ]
    first = found[0][1]
    assert first.author.external_id == "944480690" and first.author.handle == "salma_ma"
    assert first.author.followers == 812 and first.author.url == "https://x.com/salma_ma"
    assert first.created_at == datetime(2026, 11, 20, 10, 58, tzinfo=UTC)
    params = route.calls[0].request.url.params
    assert params["event_types"] == "MessageCreate" and params["expansions"] == "sender_id"
    assert "dm_conversation_id" in params["dm_event.fields"]
    assert route.calls[1].request.url.params["pagination_token"] == "18LAA581J5II7LA00C00ZZZZ"


@respx.mock
def test_reading_stops_at_the_events_already_read(adapter):
    route = respx.get(f"{API}/dm_events").respond(200, json=load("x_dm_events.json"))
    since = datetime(2026, 11, 20, 10, 50, tzinfo=UTC)
    found = adapter.list_direct_messages(CREDS, since=since)
    assert [m.external_id for _, m in found] == ["1582838499983564806"]
    assert route.call_count == 1  # the older page is not asked for


@respx.mock
def test_a_reply_is_sent_in_the_conversation_and_returns_the_event_id(adapter):
    route = respx.post(f"{API}/dm_conversations/{THREAD}/messages").respond(
        201, json={"data": {"dm_conversation_id": THREAD, "dm_event_id": "1582838535115067392"}}
    )
    sent = adapter.send_direct_message(CREDS, THREAD, "944480690", "Nous vérifions, Salma.")
    assert sent == "1582838535115067392"
    assert json.loads(route.calls.last.request.content) == {"text": "Nous vérifions, Salma."}
    assert route.calls.last.request.headers["Authorization"] == "Bearer x-access"


@respx.mock
def test_our_sent_message_is_found_in_the_conversation_after_a_lost_answer(adapter):
    events = {
        "data": [
            {
                "id": "1582838535115067392",
                "event_type": "MessageCreate",
                "text": "Nous  vérifions, Salma.",
                "sender_id": ME,
                "dm_conversation_id": THREAD,
                "created_at": "2026-11-20T11:00:05.000Z",
            },
            {
                "id": "1582838499983564806",
                "event_type": "MessageCreate",
                "text": "Nous vérifions, Salma.",  # the customer's words, not ours
                "sender_id": "944480690",
                "dm_conversation_id": THREAD,
                "created_at": "2026-11-20T11:00:09.000Z",
            },
        ],
        "meta": {"result_count": 2},
    }
    respx.get(f"{API}/dm_conversations/{THREAD}/dm_events").respond(200, json=events)
    since = datetime(2026, 11, 20, 11, 0, tzinfo=UTC)
    found = adapter.find_existing_direct_message(
        CREDS, THREAD, "Nous vérifions, Salma.", since=since
    )
    assert found == "1582838535115067392"
    later = datetime(2026, 11, 20, 11, 1, tzinfo=UTC)
    assert (
        adapter.find_existing_direct_message(CREDS, THREAD, "Nous vérifions, Salma.", since=later)
        is None
    )


@respx.mock
def test_a_connection_without_the_dm_scopes_is_refused_before_x_is_asked(adapter):
    old = Credentials(
        access_token="x", external_id=ME, extra={"scopes": ["tweet.read", "users.read"]}
    )
    with pytest.raises(
        PermanentError, match="reconnect it to grant dm.read and dm.write"
    ) as caught:
        adapter.list_direct_messages(old)
    assert caught.value.code == "missing_scope"
    with pytest.raises(PermanentError, match="lacks dm.write"):
        adapter.send_direct_message(old, THREAD, "944480690", "Bonjour")
    assert not respx.calls


@pytest.mark.parametrize(
    "status, body, says",
    [
        (
            403,
            {
                "client_id": "27347717",
                "detail": "When authenticating requests to the Twitter API v2 endpoints, you must "
                "use keys and tokens from a Twitter developer App that is attached to a Project. "
                "You can create a project via the developer portal.",
                "registration_url": "https://developer.twitter.com/en/docs/projects/overview",
                "title": "Client Forbidden",
                "required_enrollment": "Appropriate Level of API Access",
                "reason": "client-not-enrolled",
                "type": "https://api.twitter.com/2/problems/client-forbidden",
            },
            "direct messages need a paid X API plan",
        ),
        (
            403,
            {
                "title": "Unsupported Authentication",
                "detail": "Authenticating with OAuth 2.0 Application-Only is forbidden for this "
                "endpoint.  Supported authentication types are [OAuth 1.0a User Context, OAuth "
                "2.0 User Context].",
                "type": "https://api.twitter.com/2/problems/unsupported-authentication",
                "status": 403,
            },
            "does not accept this kind of sign-in",
        ),
        (
            429,
            {
                "account_id": "1511234567890",
                "product_name": "standard-basic",
                "title": "UsageCapExceeded",
                "period": "Monthly",
                "scope": "Product",
                "detail": "Usage cap exceeded: Monthly product cap",
                "type": "https://api.twitter.com/2/problems/usage-capped",
            },
            "used its monthly cap",
        ),
    ],
)
@respx.mock
def test_the_apis_access_tier_refusals_are_permanent_and_say_what_to_do(
    adapter, status, body, says
):
    respx.get(f"{API}/dm_events").respond(status, json=body)
    with pytest.raises(PermanentError, match=says) as caught:
        adapter.list_direct_messages(CREDS)
    assert caught.value.code == body["type"].rsplit("/", 1)[-1]
    assert respx.calls.call_count == 1  # a refusal of the App is not retried
