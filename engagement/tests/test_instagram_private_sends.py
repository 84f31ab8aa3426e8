"""Instagram private replies and answers in Instagram conversations, sent through the linked
Facebook Page with its Page token (Messenger Platform for Instagram): a private reply goes once,
an answer goes once and a lost one is found in the conversation instead of being sent again;
an account whose Page token is not kept says to reconnect and sends nothing. Meta is faked at
the transport in its documented shapes: POST /{page-id}/messages -> {"recipient_id",
"message_id"}; GET /{page-id}/conversations?platform=instagram&user_id= -> {"data": [{"id"}]};
GET /{conversation-id}?fields=messages{...} -> {"messages": {"data": [...]}, "id"}, senders
as {"username", "id"}."""

import datetime as dt
import json

import httpx
import pytest
import respx
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from agency.tenancy import tenant_scope
from engagement.models import ActionState
from engagement.services.actions import action_request, seen_marker
from engagement.tests.factories import ConversationFactory, MessageFactory
from engagement.tests.meta_send_api import (  # noqa: F401 - fixtures, used by name
    GRAPH,
    PAGE,
    act,
    fresh,
    in_english_fixture,
    meta_time,
    send,
)

IG_USER = "17841405822304914"
IGSID = "6543210987654321"
CONVERSATION = "aWdfZAG06MTpJR01lc3NhZA2VUaHJlYWQ6MTc4NDE0"
PAGE_TOKEN = "EAAPageToken"
USER_TOKEN = "EAAUserToken"


def ig_conversation(agency, brand, *, page_token=PAGE_TOKEN, **kwargs):
    return ConversationFactory(
        agency=agency,
        brand=brand,
        network="instagram",
        social_account__network="instagram",
        social_account__instance_url="",
        social_account__external_id=IG_USER,
        social_account__access_token=USER_TOKEN,
        social_account__linked_page_id=PAGE if page_token else "",
        social_account__linked_page_token=page_token,
        status="open",
        **kwargs,
    )


@pytest.fixture(name="ig_comment")
def ig_comment_fixture(agency_a, brand_a):
    conversation = ig_conversation(agency_a, brand_a)
    return MessageFactory(
        agency=agency_a,
        conversation=conversation,
        external_id="17858893269000001",
        text="Toujours pas livré ?",
    )


@pytest.fixture(name="ig_dm")
def ig_dm_fixture(agency_a, brand_a):
    conversation = ig_conversation(
        agency_a, brand_a, kind="direct_message", thread_key=f"dm:{IGSID}"
    )
    message = MessageFactory(
        agency=agency_a,
        conversation=conversation,
        kind="direct_message",
        external_id="aWdfZAG1faXRlbTox",
        author_handle="lea.martin",
        author_external_id=IGSID,
        sent_at=timezone.now() - dt.timedelta(hours=3),
        text="Bonjour, où en est ma commande ?",
    )
    return conversation, message


class FakeInstagramMessaging:
    """The linked Page's Send API and its Instagram conversations: a message is stored before
    the answer (or its loss), and the conversation lists it, newest first."""

    def __init__(self, mock: respx.MockRouter):
        self.posts: list[dict] = []
        self.tokens: list[str] = []
        self.messages: list[dict] = []
        self.fail = ""  # "timeout": stored, then no answer
        mock.post(url__regex=rf"{GRAPH}/{PAGE}/messages\?").mock(side_effect=self.post)
        self.lookups = mock.get(url__regex=rf"{GRAPH}/{PAGE}/conversations").mock(
            side_effect=self.conversations
        )
        mock.get(url__regex=rf"{GRAPH}/{CONVERSATION}\?").mock(side_effect=self.conversation)

    def post(self, request: httpx.Request):
        self.posts.append(json.loads(request.content))
        self.tokens.append(request.url.params["access_token"])
        mid = f"aWdfZAG1faXRlbTpvdXQ{len(self.posts)}"
        self.messages.insert(
            0,
            {
                "id": mid,
                "message": self.posts[-1]["message"]["text"],
                "from": {"username": "cafe.tanger", "id": IG_USER},
                "created_time": meta_time(timezone.now()),
            },
        )
        if self.fail == "timeout":
            self.fail = ""
            raise httpx.ReadTimeout("no answer", request=request)
        return httpx.Response(200, json={"recipient_id": IGSID, "message_id": mid})

    def conversations(self, request: httpx.Request):
        assert request.url.params["platform"] == "instagram"
        assert request.url.params["user_id"] == IGSID
        assert request.url.params["access_token"] == PAGE_TOKEN
        return httpx.Response(200, json={"data": [{"id": CONVERSATION}]})

    def conversation(self, request: httpx.Request):
        assert "messages" in request.url.params["fields"]
        return httpx.Response(200, json={"messages": {"data": self.messages}, "id": CONVERSATION})


@pytest.fixture(name="ig_api")
def ig_api_fixture():
    with respx.mock(assert_all_called=False) as mock:
        yield FakeInstagramMessaging(mock)


def _answer(conversation, actor, token="ig-dm-1", text="Elle part demain."):
    with tenant_scope(conversation.agency_id):
        return action_request(
            conversation=conversation,
            kind="reply",
            actor=actor,
            text=text,
            token=token,
            seen=seen_marker(conversation),
        )


def test_an_instagram_private_reply_goes_once_through_the_linked_page_with_its_token(
    ig_comment, member_of_a, ig_api
):
    action = act(ig_comment.conversation, "private_reply", ig_comment, member_of_a, "ig-pr", "DM")
    assert send(action) == "done"
    assert send(action) == "skipped"
    assert ig_api.posts == [
        {"recipient": {"comment_id": "17858893269000001"}, "message": {"text": "DM"}}
    ]
    assert ig_api.tokens == [PAGE_TOKEN]
    assert fresh(action).external_id == "aWdfZAG1faXRlbTpvdXQ1"
    with pytest.raises(ValidationError, match="already has its private reply"):
        act(ig_comment.conversation, "private_reply", ig_comment, member_of_a, "ig-pr2", "Re")


def test_an_instagram_private_reply_without_an_answer_fails_and_is_not_resent(
    ig_comment, member_of_a, ig_api
):
    ig_api.fail = "timeout"
    action = act(ig_comment.conversation, "private_reply", ig_comment, member_of_a, "ig-t", "DM")
    assert send(action) == "failed"
    assert "may have been sent" in fresh(action).error
    assert len(ig_api.posts) == 1


def test_an_answer_in_an_instagram_conversation_goes_once_to_the_person(ig_dm, member_of_a, ig_api):
    conversation, _received = ig_dm
    action = _answer(conversation, member_of_a)
    assert send(action) == "done"
    assert send(action) == "skipped"
    assert ig_api.posts == [
        {
            "recipient": {"id": IGSID},
            "messaging_type": "RESPONSE",
            "message": {"text": fresh(action).text},
        }
    ]
    assert ig_api.tokens == [PAGE_TOKEN]


def test_a_lost_instagram_answer_is_found_in_the_conversation_instead_of_sent_again(
    ig_dm, member_of_a, ig_api
):
    conversation, _received = ig_dm
    ig_api.fail = "timeout"
    action = _answer(conversation, member_of_a, token="ig-dm-lost")
    assert send(action) == "done"
    action = fresh(action)
    assert action.state == ActionState.DONE
    assert action.external_id == "aWdfZAG1faXRlbTpvdXQ1"
    assert len(ig_api.posts) == 1 and ig_api.lookups.call_count == 1


def test_an_instagram_answer_past_24_hours_is_refused_before_sending(ig_dm, member_of_a, ig_api):
    conversation, received = ig_dm
    with tenant_scope(conversation.agency_id):
        received.sent_at = timezone.now() - dt.timedelta(hours=25)
        received.save(update_fields=["sent_at"])
    with pytest.raises(ValidationError, match="within 24 hours"):
        _answer(conversation, member_of_a)
    assert ig_api.posts == []


def test_without_the_page_token_the_inbox_says_to_reconnect_and_sends_nothing(
    agency_a, brand_a, member_of_a, login, ig_api
):
    conversation = ig_conversation(agency_a, brand_a, page_token="")
    comment = MessageFactory(agency=agency_a, conversation=conversation)
    url = reverse("dashboard:conversation", kwargs={"conversation_id": conversation.pk})
    body = login(member_of_a).get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "through the Facebook Page it is linked to" in body
    with pytest.raises(ValidationError, match="Reconnect"):
        act(conversation, "private_reply", comment, member_of_a, "ig-none", "DM")
    dm = ConversationFactory(
        agency=agency_a,
        brand=brand_a,
        network="instagram",
        social_account=conversation.social_account,
        kind="direct_message",
        thread_key=f"dm:{IGSID}",
        status="open",
    )
    MessageFactory(agency=agency_a, conversation=dm, kind="direct_message")
    body = (
        login(member_of_a)
        .get(
            reverse("dashboard:conversation", kwargs={"conversation_id": dm.pk}),
            HTTP_ACCEPT_LANGUAGE="en",
        )
        .content.decode()
    )
    assert "Page&#x27;s token is not kept yet" in body
    with pytest.raises(ValidationError, match="Reconnect"):
        _answer(dm, member_of_a, token="ig-dm-none")
    assert ig_api.posts == []
