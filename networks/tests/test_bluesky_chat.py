"""Bluesky chat: conversations and messages read through the PDS with the chat proxy header,
a reply sent in the conversation and found again after a lost answer; an app password
without access to direct messages gives one clear message, never "reconnect". Payloads
shaped like the chat.bsky.convo lexicons (listConvos, getMessages, sendMessage)."""

import json
from dataclasses import replace
from datetime import UTC, datetime

import pytest
import respx

from networks.base import AuthExpired, Credentials, PermanentError
from networks.bluesky.adapter import BlueskyAdapter

from .conftest import load
from .test_bluesky_sessions import jwt

PDS = "https://bsky.social/xrpc"
DID = "did:plc:z72i7hdynmk6r22z27h6tvur"
CONVO = "3ku7w6h4vog2d"
CREDS = Credentials(
    access_token=jwt(scope="com.atproto.appPassPrivileged", sub=DID, exp=2_000_000_000),
    refresh_token="jwt-refresh",
    instance_url="https://bsky.social",
    external_id=DID,
)
PLAIN = replace(CREDS, access_token=jwt(scope="com.atproto.appPass", sub=DID, exp=2_000_000_000))


@pytest.fixture
def adapter(make_adapter):
    return make_adapter(BlueskyAdapter)


@respx.mock
def test_chat_is_read_through_the_pds_with_the_proxy_header(adapter):
    convos = respx.get(f"{PDS}/chat.bsky.convo.listConvos").respond(
        200, json={**load("bluesky_convos.json"), "cursor": None}
    )
    messages = respx.get(f"{PDS}/chat.bsky.convo.getMessages").respond(
        200, json=load("bluesky_messages.json")
    )
    since = datetime(2026, 11, 19, tzinfo=UTC)  # the second conversation is older: not opened
    found = adapter.list_direct_messages(CREDS, since=since)
    assert [(thread, m.external_id) for thread, m in found] == [
        (CONVO, "3lbzkaj3tqk2k"),
        (CONVO, "3lbzk7bbbbb2k"),  # the deleted message is skipped
    ]
    theirs, ours = found[0][1], found[1][1]
    assert theirs.author.external_id == "did:plc:ewvi7nxzyoun6zhxrhs64oiz"
    assert theirs.author.handle == "salma.bsky.social" and theirs.author.name == "Salma B."
    assert theirs.created_at == datetime(2026, 11, 20, 10, 58, tzinfo=UTC)
    assert ours.author.external_id == DID
    for call in (*convos.calls, *messages.calls):
        assert call.request.headers["atproto-proxy"] == "did:web:api.bsky.chat#bsky_chat"
    assert messages.call_count == 1
    assert messages.calls.last.request.url.params["convoId"] == CONVO


@respx.mock
def test_a_reply_is_sent_in_the_conversation(adapter):
    route = respx.post(f"{PDS}/chat.bsky.convo.sendMessage").respond(
        200,
        json={
            "id": "3lbzkc5nq2s2k",
            "rev": "22222222fuyn4",
            "text": "Nous regardons, Salma.",
            "sender": {"did": DID},
            "sentAt": "2026-11-20T11:00:05.000Z",
        },
    )
    sent = adapter.send_direct_message(CREDS, CONVO, "salma.bsky.social", "Nous regardons, Salma.")
    assert sent == "3lbzkc5nq2s2k"
    assert json.loads(route.calls.last.request.content) == {
        "convoId": CONVO,
        "message": {"text": "Nous regardons, Salma."},
    }
    assert route.calls.last.request.headers["atproto-proxy"] == "did:web:api.bsky.chat#bsky_chat"


@respx.mock
def test_our_message_is_found_in_the_conversation_after_a_lost_answer(adapter):
    body = load("bluesky_messages.json")
    body["messages"].insert(
        0,
        {
            "$type": "chat.bsky.convo.defs#messageView",
            "id": "3lbzkc5nq2s2k",
            "rev": "22222222fuyn4",
            "text": "Nous regardons, Salma.",
            "sender": {"did": DID},
            "sentAt": "2026-11-20T11:00:05.000Z",
        },
    )
    respx.get(f"{PDS}/chat.bsky.convo.getMessages").respond(200, json=body)
    since = datetime(2026, 11, 20, 11, tzinfo=UTC)
    text = "Nous regardons,  Salma."
    assert adapter.find_existing_direct_message(CREDS, CONVO, text, since=since) == "3lbzkc5nq2s2k"
    assert adapter.find_existing_direct_message(CREDS, CONVO, "Autre chose", since=since) is None


@respx.mock
def test_an_app_password_without_chat_access_is_refused_before_bluesky_is_asked(adapter):
    with pytest.raises(PermanentError, match="Allow access to your direct messages") as caught:
        adapter.list_direct_messages(PLAIN)
    assert caught.value.code == "chat_not_allowed"
    with pytest.raises(PermanentError, match="create a new app password"):
        adapter.send_direct_message(PLAIN, CONVO, "", "Bonjour")
    assert not respx.calls


@pytest.mark.parametrize("said", ["Bad token scope", "Bad token method"])
@respx.mock
def test_the_chat_services_refusal_is_the_same_clear_message_not_a_dead_session(adapter, said):
    # A token whose scope cannot be read (another PDS): the service's answer decides.
    opaque = replace(CREDS, access_token="opaque-token")
    respx.get(f"{PDS}/chat.bsky.convo.listConvos").respond(
        400, json={"error": "InvalidToken", "message": said}
    )
    with pytest.raises(PermanentError, match="Allow access to your direct messages") as caught:
        adapter.list_direct_messages(opaque)
    assert not isinstance(caught.value, AuthExpired)
    assert caught.value.code == "chat_not_allowed"
