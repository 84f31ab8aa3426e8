"""Meta faked at the transport for the inbox's likes, private replies and Messenger answers
(the tests in test_meta_likes_private_replies.py and test_meta_direct_answers.py), in its
documented shapes: Object Likes (POST/DELETE /{comment-id}/likes -> {"success": true}), IG User
Likes (POST /{ig-user-id}/likes?comment_id=), the Send API (POST /{page-id}/messages with
recipient {"id"} or {"comment_id"} -> {"recipient_id", "message_id"}; error code 10 subcode
2018278 outside the window), the Conversations API (/{page-id}/conversations?user_id= ->
{"data": [{"id": "t_..."}]}, /{conversation-id}?fields=messages{...}); and the fixtures."""

import datetime as dt
import json

import httpx
import pytest
import respx
from django.utils import timezone, translation

from agency.tenancy import tenant_scope
from engagement.services import outbox
from engagement.services.actions import action_request
from engagement.tests.factories import ConversationFactory, MessageFactory

GRAPH = r"https://graph\.facebook\.com/v[\d.]+"
PAGE = "104857600"
PSID = "1254477777772919"


@pytest.fixture(name="in_english", autouse=True)
def in_english_fixture():
    with translation.override("en"):
        yield


def meta_time(at: dt.datetime) -> str:
    return at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S+0000")


def meta_conversation(agency, brand, network="facebook", **kwargs):
    return ConversationFactory(
        agency=agency,
        brand=brand,
        network=network,
        social_account__network=network,
        social_account__instance_url="",
        social_account__external_id=PAGE,
        status="open",
        **kwargs,
    )


@pytest.fixture(name="comment")
def comment_fixture(agency_a, brand_a):
    conversation = meta_conversation(agency_a, brand_a)
    return MessageFactory(
        agency=agency_a, conversation=conversation, external_id="123_456", text="Livré cassé !"
    )


@pytest.fixture(name="dm")
def dm_fixture(agency_a, brand_a):
    """A Messenger conversation as ingest stores it: keyed by the person's PSID."""
    conversation = meta_conversation(
        agency_a, brand_a, kind="direct_message", thread_key=f"dm:{PSID}"
    )
    message = MessageFactory(
        agency=agency_a,
        conversation=conversation,
        kind="direct_message",
        external_id="m_in_1",
        author_handle=PSID,
        author_external_id=PSID,
        sent_at=timezone.now() - dt.timedelta(hours=2),
        text="Bonjour, ma commande n'est pas arrivée.",
    )
    return conversation, message


def act(conversation, kind, message, actor, token, text=""):
    with tenant_scope(conversation.agency_id):
        return action_request(
            conversation=conversation,
            kind=kind,
            message=message,
            actor=actor,
            text=text,
            token=token,
        )


def send(action):
    with tenant_scope(action.agency_id):
        return outbox.action_send(action_id=action.pk)


def fresh(action):
    with tenant_scope(action.agency_id):
        action.refresh_from_db()
    return action


class FakeSendApi:
    """The Send API and the Conversations API of one Page: a message is stored before the
    answer (or its loss), and the conversation lists it, newest first."""

    def __init__(self, mock: respx.MockRouter):
        self.posts: list[dict] = []
        self.messages: list[dict] = []
        # "timeout": store, then never answer; "lost": never answer, nothing stored;
        # "window": Meta's refusal outside the 24 hours (2018278).
        self.fail = ""
        mock.post(url__regex=rf"{GRAPH}/{PAGE}/messages\?").mock(side_effect=self.post)
        self.lookups = mock.get(url__regex=rf"{GRAPH}/{PAGE}/conversations").mock(
            side_effect=self.conversations
        )
        mock.get(url__regex=rf"{GRAPH}/t_10\?").mock(side_effect=self.conversation)

    def post(self, request: httpx.Request):
        payload = json.loads(request.content)
        self.posts.append(payload)
        if self.fail == "lost":
            self.fail = ""
            raise httpx.ReadTimeout("no answer", request=request)
        if self.fail == "window":
            return httpx.Response(
                400,
                json={
                    "error": {
                        "message": "(#10) This message is sent outside of allowed window.",
                        "type": "OAuthException",
                        "code": 10,
                        "error_subcode": 2018278,
                        "fbtrace_id": "AbCdEf",
                    }
                },
            )
        mid = f"m_out_{len(self.posts)}"
        self.messages.insert(
            0,
            {
                "id": mid,
                "message": payload["message"]["text"],
                "from": {"name": "Café Tanger", "id": PAGE},
                "created_time": meta_time(timezone.now()),
            },
        )
        if self.fail == "timeout":
            self.fail = ""
            raise httpx.ReadTimeout("no answer", request=request)
        recipient = payload["recipient"].get("id") or PSID
        return httpx.Response(200, json={"recipient_id": recipient, "message_id": mid})

    def conversations(self, request: httpx.Request):
        assert request.url.params["user_id"] == PSID
        assert request.url.params["platform"] == "messenger"
        return httpx.Response(200, json={"data": [{"id": "t_10"}]})

    def conversation(self, request: httpx.Request):
        assert "messages" in request.url.params["fields"]
        return httpx.Response(
            200, json={"messages": {"data": self.messages, "paging": {}}, "id": "t_10"}
        )


@pytest.fixture(name="send_api")
def send_api_fixture():
    with respx.mock(assert_all_called=False) as mock:
        yield FakeSendApi(mock)
