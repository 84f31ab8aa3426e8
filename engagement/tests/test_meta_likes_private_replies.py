"""Liking and private replies on Facebook and Instagram through the outbox: each reaches the
network once per click; a private reply is refused after 7 days and a second time for the same
comment, and an unknown outcome is never resent; where the API (or our side) does not allow it,
the button says why; the page and the API send them. Meta is faked as meta_send_api.py says."""

import datetime as dt

import httpx
import pytest
import respx
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from agency.models import AuditEvent
from agency.tenancy import tenant_scope
from engagement.models import ActionState, Direction, Message, OutboundAction
from engagement.services import outbox
from engagement.services.actions import action_request, seen_marker
from engagement.tests.factories import ConversationFactory, MessageFactory
from engagement.tests.meta_send_api import (  # noqa: F401 - fixtures, used by name
    GRAPH,
    PAGE,
    PSID,
    act,
    comment_fixture,
    dm_fixture,
    fresh,
    in_english_fixture,
    meta_conversation,
    send,
    send_api_fixture,
)

# ---------------------------------------------------------------------------- liking


def test_a_like_reaches_facebook_once_and_unlike_deletes_it(comment, member_of_a):
    conversation = comment.conversation
    with respx.mock(assert_all_called=False) as mock:
        liked = mock.post(url__regex=rf"{GRAPH}/123_456/likes\?").mock(
            return_value=httpx.Response(200, json={"success": True})
        )
        unliked = mock.delete(url__regex=rf"{GRAPH}/123_456/likes").mock(
            return_value=httpx.Response(200, json={"success": True})
        )
        action = act(conversation, "like", comment, member_of_a, "like-1")
        assert act(conversation, "like", comment, member_of_a, "like-1").pk == action.pk
        assert send(action) == "done"
        assert send(action) == "skipped"
        undo = act(conversation, "unlike", comment, member_of_a, "unlike-1")
        assert send(undo) == "done"
    assert liked.call_count == 1 and unliked.call_count == 1
    assert fresh(action).state == ActionState.DONE
    with tenant_scope(conversation.agency_id):
        assert AuditEvent.objects.filter(verb="conversation.like_done").count() == 1
        # A like is not a message of the thread.
        assert not Message.objects.filter(direction=Direction.OUTBOUND).exists()


def test_a_like_on_instagram_goes_to_the_accounts_likes_with_the_comment(
    agency_a, brand_a, member_of_a
):
    conversation = meta_conversation(agency_a, brand_a, network="instagram")
    comment = MessageFactory(agency=agency_a, conversation=conversation, external_id="17873440")
    with respx.mock(assert_all_called=False) as mock:
        route = mock.post(url__regex=rf"{GRAPH}/{PAGE}/likes").mock(
            return_value=httpx.Response(200, json={"success": True})
        )
        assert send(act(conversation, "like", comment, member_of_a, "ig-like")) == "done"
    assert route.call_count == 1
    assert route.calls[0].request.url.params["comment_id"] == "17873440"


def test_a_like_without_an_answer_is_simply_sent_again(comment, member_of_a):
    """Liking twice leaves one like: a lost answer is retried, not handed to a person."""
    with respx.mock(assert_all_called=False) as mock:
        route = mock.post(url__regex=rf"{GRAPH}/123_456/likes\?").mock(
            side_effect=[
                httpx.ReadTimeout("no answer"),
                httpx.Response(200, json={"success": True}),
            ]
        )
        action = act(comment.conversation, "like", comment, member_of_a, "like-t")
        assert send(action) == "retry"
        assert fresh(action).state == ActionState.QUEUED
        assert send(action) == "done"
    assert route.call_count == 2


# ---------------------------------------------------------------------------- private replies


def test_a_private_reply_goes_once_to_the_comment_and_not_twice(comment, member_of_a, send_api):
    conversation = comment.conversation
    action = act(conversation, "private_reply", comment, member_of_a, "pr-1", "Écrivez-nous ici")
    assert act(conversation, "private_reply", comment, member_of_a, "pr-1", "x").pk == action.pk
    with pytest.raises(ValidationError, match="already has its private reply"):
        act(conversation, "private_reply", comment, member_of_a, "pr-2", "Encore ?")
    assert send(action) == "done"
    assert send_api.posts == [
        {"recipient": {"comment_id": "123_456"}, "message": {"text": "Écrivez-nous ici"}}
    ]
    action = fresh(action)
    assert action.state == ActionState.DONE and action.external_id == "m_out_1"
    with pytest.raises(ValidationError, match="already has its private reply"):
        act(conversation, "private_reply", comment, member_of_a, "pr-3", "Et encore")
    assert OutboundAction.unscoped.filter(kind="private_reply").count() == 1


def test_a_private_reply_is_refused_after_seven_days_before_any_row(comment, member_of_a, send_api):
    with tenant_scope(comment.agency_id):
        Message.objects.filter(pk=comment.pk).update(
            sent_at=timezone.now() - dt.timedelta(days=7, minutes=1)
        )
        comment.refresh_from_db()
    with pytest.raises(ValidationError, match="within 7 days of the comment"):
        act(comment.conversation, "private_reply", comment, member_of_a, "pr-old", "Bonjour")
    assert not OutboundAction.unscoped.exists()
    assert send_api.posts == []


def test_a_private_reply_without_an_answer_fails_for_a_person_and_is_never_resent(
    comment, member_of_a, send_api
):
    send_api.fail = "timeout"
    action = act(comment.conversation, "private_reply", comment, member_of_a, "pr-t", "Bonjour")
    assert send(action) == "failed"
    action = fresh(action)
    assert action.state == ActionState.FAILED
    assert "may have been sent" in action.error and "before sending it again" in action.error
    # Nothing automatic sends it again: the reaper has nothing to decide.
    with tenant_scope(comment.agency_id):
        assert outbox.actions_reap_across_agencies(now=timezone.now() + dt.timedelta(hours=2)) == {}
    assert len(send_api.posts) == 1


# ---------------------------------------------------------------------------- pages and API


def _page(login, who, conversation) -> str:
    url = reverse("dashboard:conversation", kwargs={"conversation_id": conversation.pk})
    return login(who).get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()


def test_the_buttons_say_why_where_the_network_or_connection_cannot(
    agency_a, brand_a, member_of_a, login
):
    instagram = meta_conversation(agency_a, brand_a, network="instagram")  # no Page token
    MessageFactory(agency=agency_a, conversation=instagram)
    body = _page(login, member_of_a, instagram)
    assert "Reconnect" in body and "through the Facebook Page it is linked to" in body
    linkedin = ConversationFactory(
        agency=agency_a,
        brand=brand_a,
        network="linkedin",
        social_account__network="linkedin",
        kind="direct_message",
    )
    MessageFactory(agency=agency_a, conversation=linkedin, kind="direct_message")
    body = _page(login, member_of_a, linkedin)
    assert "Answering private messages on LinkedIn is not built yet." in body
    assert "LinkedIn&#x27;s API does not let an app send a private reply" not in body  # a DM
    with (
        tenant_scope(agency_a),
        pytest.raises(ValidationError, match="on LinkedIn is not built yet"),
    ):
        action_request(
            conversation=linkedin,
            kind="reply",
            actor=member_of_a,
            text="Bonjour",
            seen=seen_marker(linkedin),
        )


def test_the_facebook_page_offers_like_and_a_private_reply_form(comment, member_of_a, login):
    body = _page(login, member_of_a, comment.conversation)
    assert 'value="private_reply"' in body and 'value="like"' in body
    assert "once per comment, within 7 days" in body


def test_the_page_sends_a_private_reply_with_its_text(comment, member_of_a, login, send_api):
    url = reverse(
        "dashboard:conversation_message_action",
        kwargs={"conversation_id": comment.conversation_id, "message_id": comment.pk},
    )
    response = login(member_of_a).post(
        url, {"kind": "private_reply", "text": "Écrivez-nous", "token": "page-1"}
    )
    assert response.status_code == 302
    action = OutboundAction.unscoped.get(kind="private_reply")
    assert action.text == "Écrivez-nous" and action.target_id == comment.pk


def test_the_api_likes_and_sends_a_private_reply_once(comment, member_of_a, api_as):
    api = api_as(member_of_a)
    url = f"/api/v1/conversations/{comment.conversation_id}/actions/"
    liked = api.post(url, {"kind": "like", "message": comment.pk}, format="json")
    assert liked.status_code == 202, liked.content[:300]
    assert liked.json()["kind"] == "like"
    first = api.post(
        url, {"kind": "private_reply", "message": comment.pk, "text": "Bonjour"}, format="json"
    )
    assert first.status_code == 202, first.content[:300]
    second = api.post(
        url, {"kind": "private_reply", "message": comment.pk, "text": "Re"}, format="json"
    )
    assert second.status_code == 400
    # The agency's language (French) answers the API.
    assert "déjà sa réponse privée" in second.json()["error"]["message"]
    empty = api.post(url, {"kind": "private_reply", "message": comment.pk}, format="json")
    assert empty.status_code == 400


def test_a_private_message_cannot_be_liked_or_privately_replied(dm, member_of_a):
    conversation, received = dm
    with pytest.raises(ValidationError, match="private message"):
        act(conversation, "like", received, member_of_a, "dm-like")
