"""The inbox's outbox: a reply or an action goes to the network once per click, survives a
worker that dies between claim and call or during the call without being sent twice, asks the
network before any resend, and is refused when the page is stale or the network cannot do it.

The networks are faked at the transport (respx) in their documented shapes: Mastodon POST
/api/v1/statuses (``in_reply_to_id``, ``Idempotency-Key``) and GET /api/v1/statuses/:id/context,
Facebook Graph POST /{comment-id} (``is_hidden``)."""

import datetime as dt
import json

import httpx
import pytest
import respx
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from agency.models import AuditEvent
from agency.tenancy import tenant_scope
from engagement.models import ActionState, Direction, Message, OutboundAction
from engagement.services import outbox
from engagement.services.actions import action_request, seen_marker
from engagement.tests.factories import ConversationFactory, InternalNoteFactory, MessageFactory

MASTODON = "https://mastodon.social"


@pytest.fixture(autouse=True)
def _in_english():
    with translation.override("en"):
        yield


class FakeMastodon:
    """Creates the status before it answers (or fails to), lists replies in /context."""

    def __init__(self, mock: respx.MockRouter, account_id: str):
        self.account_id = account_id
        self.statuses: dict[str, dict] = {}
        self.by_key: dict[str, str] = {}
        self.posts: list[httpx.Request] = []
        self.fail = ""  # "timeout": create, then never answer
        mock.post(f"{MASTODON}/api/v1/statuses").mock(side_effect=self.post)
        mock.get(url__regex=rf"{MASTODON}/api/v1/statuses/(?P<sid>\w+)/context").mock(
            side_effect=self.context
        )

    def post(self, request: httpx.Request):
        self.posts.append(request)
        key = request.headers.get("Idempotency-Key", "")
        payload = json.loads(request.content)
        if key in self.by_key:
            return httpx.Response(200, json=self.statuses[self.by_key[key]])
        sid = str(500 + len(self.statuses))
        status = {
            "id": sid,
            "created_at": timezone.now().isoformat().replace("+00:00", "Z"),
            "in_reply_to_id": payload.get("in_reply_to_id"),
            "content": f"<p>{payload['status']}</p>",
            "url": f"{MASTODON}/@marque/{sid}",
            "account": {"id": self.account_id, "acct": "marque", "username": "marque"},
        }
        self.statuses[sid] = status
        if key:
            self.by_key[key] = sid
        if self.fail == "timeout":
            self.fail = ""
            raise httpx.ReadTimeout("no answer", request=request)
        return httpx.Response(200, json=status)

    def context(self, request: httpx.Request, sid: str):
        replies = [s for s in self.statuses.values() if s["in_reply_to_id"] == sid]
        return httpx.Response(200, json={"ancestors": [], "descendants": replies})


@pytest.fixture
def thread(agency_a, brand_a):
    conversation = ConversationFactory(agency=agency_a, brand=brand_a, status="open")
    comment = MessageFactory(
        agency=agency_a, conversation=conversation, external_id="4242", text="Où est ma commande ?"
    )
    return conversation, comment


@pytest.fixture
def fake(thread):
    with respx.mock(assert_all_called=False) as mock:
        yield FakeMastodon(mock, thread[0].social_account.external_id)


def _reply(conversation, actor, text="Bonjour, nous regardons !", token="click-1"):
    with tenant_scope(conversation.agency_id):
        return action_request(
            conversation=conversation,
            kind="reply",
            actor=actor,
            text=text,
            token=token,
            seen=seen_marker(conversation),
        )


def _send(action):
    with tenant_scope(action.agency_id):
        return outbox.action_send(action_id=action.pk)


def test_a_reply_goes_out_once_with_the_clicks_key_and_joins_the_thread(thread, fake, member_of_a):
    conversation, comment = thread
    first = _reply(conversation, member_of_a)
    again = _reply(conversation, member_of_a)  # the same form, submitted twice
    assert first.pk == again.pk
    assert _send(first) == "done"
    assert _send(first) == "skipped"  # a redelivered task message finds nothing to do
    assert len(fake.posts) == 1
    sent = fake.posts[0]
    assert json.loads(sent.content)["in_reply_to_id"] == "4242"
    assert sent.headers["Idempotency-Key"] == f"reply-{first.idempotency_key}"
    with tenant_scope(conversation.agency_id):
        first.refresh_from_db()
        conversation.refresh_from_db()
        reply = Message.objects.get(pk=first.message_id)
        assert first.state == ActionState.DONE and first.external_id == reply.external_id
        assert reply.direction == Direction.OUTBOUND and reply.parent_id == comment.pk
        assert conversation.status == "pending"  # waiting for the author
        assert AuditEvent.objects.filter(verb="conversation.reply_done").count() == 1
    assert OutboundAction.unscoped.count() == 1


def test_the_reply_read_back_by_the_poll_is_not_stored_twice(thread, fake, member_of_a):
    from engagement.services.ingest import owned_items_store
    from reputation.owned_items import KIND_COMMENT, OwnedBatch, OwnedItem
    from webhooks.models import WebhookDelivery
    from webhooks.tests.factories import WebhookEndpointFactory

    conversation, _comment = thread
    WebhookEndpointFactory(agency=conversation.agency, events=["inbox.message.replied"])
    action = _reply(conversation, member_of_a)
    _send(action)
    action.refresh_from_db()
    account = conversation.social_account
    item = OwnedItem(
        external_id=action.external_id,
        kind=KIND_COMMENT,
        text=action.text,
        url="",
        published_at=timezone.now(),
        language="fr",
        sentiment_label="neutral",
        sentiment_score=0.0,
        author_id=None,
        author_handle="marque",
        author_name="",
        author_external_id=account.external_id,
        parent_external_id="4242",
    )
    batch = OwnedBatch(
        agency_id=conversation.agency_id,
        brand_id=conversation.brand_id,
        social_account_id=account.pk,
        network="mastodon",
        items=[item],
        backfill=False,
    )
    with tenant_scope(conversation.agency_id):
        owned_items_store(batch)
        assert Message.objects.filter(conversation=conversation).count() == 2
    # Announced once, when it was sent; reading it back announces nothing more.
    [announced] = WebhookDelivery.unscoped.filter(agency_id=conversation.agency_id)
    body = json.loads(announced.body)
    assert body["type"] == "inbox.message.replied"
    assert body["data"]["message"]["id"] == action.message_id


def test_a_worker_killed_between_claim_and_call_sends_once_after_recovery(
    thread, fake, member_of_a
):
    conversation, _ = thread
    action = _reply(conversation, member_of_a)
    with tenant_scope(action.agency_id):
        outbox._claim(action.pk)  # ...and the worker dies here, before the network call
    later = timezone.now() + dt.timedelta(minutes=5)
    assert outbox.actions_reap_across_agencies(now=later) == {action.pk: "queued"}
    assert _send(action) == "done"
    assert len(fake.posts) == 1


def test_a_worker_killed_during_the_call_is_not_resent_when_the_network_has_the_reply(
    thread, fake, member_of_a
):
    conversation, _ = thread
    action = _reply(conversation, member_of_a)
    fake.fail = "timeout"  # the reply is created; the answer never comes
    assert _send(action) == "done"  # asked the network at once: it has it
    assert len(fake.posts) == 1
    action.refresh_from_db()
    assert action.external_id == "500"

    # The same, with the worker killed mid-call: the reaper asks once the lease ran out.
    second = _reply(conversation, member_of_a, text="Autre réponse", token="click-2")
    with tenant_scope(second.agency_id):
        claimed = outbox._claim(second.pk)
        now = timezone.now()
        OutboundAction.objects.filter(pk=claimed.pk).update(call_started_at=now)
    fake.post(  # the call the killed worker made: on the network, never answered
        httpx.Request(
            "POST",
            f"{MASTODON}/api/v1/statuses",
            json={"status": "Autre réponse", "in_reply_to_id": "4242"},
        )
    )
    later = now + dt.timedelta(hours=1)
    assert outbox.actions_reap_across_agencies(now=later) == {second.pk: "done"}
    assert len(fake.posts) == 2  # the killed worker's only
    with tenant_scope(conversation.agency_id):
        assert Message.objects.filter(direction=Direction.OUTBOUND).count() == 2


def test_an_unknown_outcome_the_network_does_not_have_is_sent_again_with_the_same_key(
    thread, fake, member_of_a
):
    conversation, _ = thread
    action = _reply(conversation, member_of_a)
    with tenant_scope(action.agency_id):
        outbox._claim(action.pk)
        OutboundAction.objects.filter(pk=action.pk).update(call_started_at=timezone.now())
    later = timezone.now() + dt.timedelta(hours=1)
    assert outbox.actions_reap_across_agencies(now=later) == {action.pk: "not_found"}
    action.refresh_from_db()
    assert action.state == ActionState.QUEUED
    assert _send(action) == "done"
    assert len(fake.posts) == 1
    assert fake.posts[0].headers["Idempotency-Key"] == f"reply-{action.idempotency_key}"


def test_the_collision_guard_refuses_a_stale_send(thread, fake, member_of_a, login):
    conversation, _ = thread
    with tenant_scope(conversation.agency_id):
        seen = seen_marker(conversation)
    InternalNoteFactory(agency=conversation.agency, conversation=conversation)
    with tenant_scope(conversation.agency_id), pytest.raises(ValidationError, match="added since"):
        action_request(
            conversation=conversation, kind="reply", actor=member_of_a, text="Hi", seen=seen
        )
    # Through the page: refused with the reason, the text kept, nothing queued.
    MessageFactory(agency=conversation.agency, conversation=conversation, text="Encore moi")
    client = login(member_of_a)
    url = reverse("dashboard:conversation_reply", kwargs={"conversation_id": conversation.pk})
    response = client.post(
        url,
        {"text": "Bonjour", "token": "t-1", "seen": seen},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    body = response.content.decode()
    assert "was added since you opened this conversation" in body
    assert "Bonjour</textarea>" in body
    assert OutboundAction.unscoped.count() == 0
    assert fake.posts == []


def test_the_page_sends_a_fresh_reply_and_shows_its_state(thread, fake, member_of_a, login):
    conversation, _ = thread
    client = login(member_of_a)
    page = client.get(
        reverse("dashboard:conversation", kwargs={"conversation_id": conversation.pk}),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    form = page.context
    url = reverse("dashboard:conversation_reply", kwargs={"conversation_id": conversation.pk})
    data = {"text": "Merci !", "token": form["reply_token"], "seen": form["seen"]}
    client.post(url, data)
    client.post(url, data)  # a double click
    assert OutboundAction.unscoped.count() == 1
    body = client.get(page.request["PATH_INFO"], HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Waiting to be sent" in body and "Merci !" in body


def test_hide_reaches_facebook_once(agency_a, brand_a, member_of_a):
    conversation = ConversationFactory(
        agency=agency_a,
        brand=brand_a,
        network="facebook",
        social_account__network="facebook",
        social_account__instance_url="",
    )
    comment = MessageFactory(agency=agency_a, conversation=conversation, external_id="123_456")
    with respx.mock(assert_all_called=False) as mock:
        route = mock.post(url__regex=r"https://graph\.facebook\.com/v[\d.]+/123_456$").mock(
            return_value=httpx.Response(200, json={"success": True})
        )
        with tenant_scope(agency_a):
            action = action_request(
                conversation=conversation,
                kind="hide",
                message=comment,
                actor=member_of_a,
                token="hide-1",
            )
            again = action_request(
                conversation=conversation,
                kind="hide",
                message=comment,
                actor=member_of_a,
                token="hide-1",
            )
            assert again.pk == action.pk
            assert outbox.action_send(action_id=action.pk) == "done"
            assert outbox.action_send(action_id=action.pk) == "skipped"
    assert route.call_count == 1
    assert b"is_hidden=true" in route.calls[0].request.content


def test_an_action_the_network_does_not_allow_shows_its_reason(thread, member_of_a, login):
    conversation, comment = thread  # on Mastodon: no hiding through the API
    with tenant_scope(conversation.agency_id), pytest.raises(ValidationError, match="hide"):
        action_request(conversation=conversation, kind="hide", message=comment, actor=member_of_a)
    body = (
        login(member_of_a)
        .get(
            reverse("dashboard:conversation", kwargs={"conversation_id": conversation.pk}),
            HTTP_ACCEPT_LANGUAGE="en",
        )
        .content.decode()
    )
    assert "Mastodon&#x27;s API does not let an app hide a comment." in body
    assert "Liking from the inbox is not built yet for Mastodon." in body


def test_a_client_role_cannot_reply(thread, client_of_a, login):
    conversation, _ = thread
    url = reverse("dashboard:conversation_reply", kwargs={"conversation_id": conversation.pk})
    response = login(client_of_a).post(url, {"text": "Bonjour", "token": "c-1", "seen": "0.0.0"})
    assert response.status_code in (403, 404)
    assert OutboundAction.unscoped.count() == 0
