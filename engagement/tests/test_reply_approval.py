"""Replies that wait for a manager, and client approvers allowed to reply (brand settings).

A community manager's reply on a brand that needs approval is stored, not queued; a manager
approves it (then the outbox sends it once) or rejects it with a reason; the author is told;
a thread that changed since the approver read it refuses the approval; nobody reaches the
outbox around the approval. Client approvers reply only when the brand allows it."""

import json

import pytest
import respx
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from agency.models import AuditEvent
from agency.tenancy import tenant_scope
from engagement.models import BrandReplySettings, OutboundAction, ReplyApproval
from engagement.services import outbox
from engagement.services.actions import action_request, seen_marker
from engagement.services.approvals import approval_approve, approval_reject, reply_submit
from engagement.states import IllegalTransition
from engagement.tests.factories import ConversationFactory, MessageFactory
from engagement.tests.test_outbox import MASTODON, FakeMastodon
from notifications.models import Notification

API = "/api/v1/"


@pytest.fixture(autouse=True)
def _in_english():
    with translation.override("en"):
        yield


@pytest.fixture
def thread(agency_a, brand_a):
    conversation = ConversationFactory(agency=agency_a, brand=brand_a, status="open")
    MessageFactory(agency=agency_a, conversation=conversation, external_id="4242")
    return conversation


def _settings(agency, brand, **switches):
    with tenant_scope(agency.pk):
        BrandReplySettings.objects.update_or_create(agency=agency, brand=brand, defaults=switches)


@pytest.fixture
def manager(agency_a, member_factory):
    return member_factory(agency_a, "manager")


def _submit(conversation, actor, token="click-1", text="Bonjour, nous regardons !"):
    with tenant_scope(conversation.agency_id):
        return reply_submit(
            conversation=conversation,
            actor=actor,
            text=text,
            token=token,
            seen=seen_marker(conversation),
        )


def test_a_juniors_reply_waits_and_the_approved_reply_goes_out_once(
    agency_a, brand_a, thread, member_of_a, manager
):
    _settings(agency_a, brand_a, replies_need_approval=True)
    waiting = _submit(thread, member_of_a)
    again = _submit(thread, member_of_a)  # a double click
    assert isinstance(waiting, ReplyApproval) and again.pk == waiting.pk
    assert OutboundAction.unscoped.count() == 0
    with tenant_scope(agency_a.pk):
        told = Notification.objects.filter(verb="conversation.reply_awaiting_approval")
        assert list(told.values_list("recipient_id", flat=True)) == [manager.user_id]
        approved = approval_approve(actor=manager, approval=waiting, seen=seen_marker(thread))
        action = approved.action
        assert approved.state == "approved" and action.text == "Bonjour, nous regardons !"
        assert "approved by" in OutboundAction.objects.get(pk=action.pk).requested_label
        assert Notification.objects.filter(
            verb="conversation.reply_decided", recipient=member_of_a.user
        ).exists()
        verbs = set(AuditEvent.objects.values_list("verb", flat=True))
        assert {"conversation.reply_awaiting_approval", "conversation.reply_approved"} <= verbs
    with respx.mock(assert_all_called=False) as mock:
        fake = FakeMastodon(mock, thread.social_account.external_id)
        with tenant_scope(agency_a.pk):
            assert outbox.action_send(action_id=action.pk) == "done"
            assert outbox.action_send(action_id=action.pk) == "skipped"
    assert len(fake.posts) == 1 and str(fake.posts[0].url).startswith(MASTODON)
    assert json.loads(fake.posts[0].content)["in_reply_to_id"] == "4242"
    with tenant_scope(agency_a.pk), pytest.raises(IllegalTransition):
        approval_approve(actor=manager, approval=approved, seen=seen_marker(thread))


def test_a_stale_approval_is_refused_and_the_reply_keeps_waiting(
    agency_a, brand_a, thread, member_of_a, manager
):
    _settings(agency_a, brand_a, replies_need_approval=True)
    waiting = _submit(thread, member_of_a)
    with tenant_scope(agency_a.pk):
        read_at = seen_marker(thread)
    MessageFactory(agency=agency_a, conversation=thread, text="Toujours rien reçu !")
    with tenant_scope(agency_a.pk):
        with pytest.raises(ValidationError, match="added since"):
            approval_approve(actor=manager, approval=waiting, seen=read_at)
        waiting.refresh_from_db()
    assert waiting.state == "awaiting" and OutboundAction.unscoped.count() == 0


def test_a_rejection_needs_a_reason_and_tells_the_author(
    agency_a, brand_a, thread, member_of_a, manager
):
    _settings(agency_a, brand_a, replies_need_approval=True)
    waiting = _submit(thread, member_of_a)
    with tenant_scope(agency_a.pk):
        with pytest.raises(ValidationError):
            approval_reject(actor=manager, approval=waiting, reason="   ")
        rejected = approval_reject(actor=manager, approval=waiting, reason="Trop familier")
        assert rejected.state == "rejected" and rejected.reason == "Trop familier"
        note = Notification.objects.get(verb="conversation.reply_decided")
        assert note.recipient_id == member_of_a.user_id and "Trop familier" in note.message
        with pytest.raises(IllegalTransition):
            approval_approve(actor=manager, approval=rejected, seen=seen_marker(thread))
    assert OutboundAction.unscoped.count() == 0


def test_a_junior_cannot_approve_nor_go_around_the_approval(agency_a, brand_a, thread, member_of_a):
    _settings(agency_a, brand_a, replies_need_approval=True)
    waiting = _submit(thread, member_of_a)
    with tenant_scope(agency_a.pk):
        with pytest.raises(PermissionDenied):
            approval_approve(actor=member_of_a, approval=waiting, seen=seen_marker(thread))
        with pytest.raises(ValidationError, match="approval"):
            action_request(
                conversation=thread,
                kind="reply",
                actor=member_of_a,
                text="Direct",
                seen=seen_marker(thread),
            )
    assert OutboundAction.unscoped.count() == 0


def test_a_manager_replies_directly_and_without_the_setting_nobody_waits(
    agency_a, brand_a, thread, member_of_a, manager
):
    assert isinstance(_submit(thread, member_of_a, token="a"), OutboundAction)
    _settings(agency_a, brand_a, replies_need_approval=True)
    assert isinstance(_submit(thread, manager, token="b"), OutboundAction)
    assert ReplyApproval.unscoped.count() == 0


def test_the_approval_page_lists_and_approves_with_the_pages_marker(
    agency_a, brand_a, thread, member_of_a, manager, login
):
    _settings(agency_a, brand_a, replies_need_approval=True)
    waiting = _submit(thread, member_of_a)
    client = login(manager)
    page = client.get(reverse("dashboard:reply_approvals"))
    assert "Bonjour, nous regardons !" in page.content.decode()
    seen = page.context["rows"][0][2]
    url = reverse("dashboard:reply_approval_approve", kwargs={"reply_approval_id": waiting.pk})
    client.post(url, {"seen": seen})
    client.post(url, {"seen": seen})  # a double click: already approved, nothing more
    assert OutboundAction.unscoped.count() == 1
    assert login(member_of_a).get(reverse("dashboard:reply_approvals")).status_code in (403, 404)


def test_the_reject_page_without_a_reason_says_so(
    agency_a, brand_a, thread, member_of_a, manager, login
):
    _settings(agency_a, brand_a, replies_need_approval=True)
    waiting = _submit(thread, member_of_a)
    url = reverse("dashboard:reply_approval_reject", kwargs={"reply_approval_id": waiting.pk})
    response = login(manager).post(url, {"reason": ""}, follow=True)
    assert response.status_code == 200
    with tenant_scope(agency_a.pk):
        waiting.refresh_from_db()
    assert waiting.state == "awaiting"


def test_the_page_sends_a_juniors_reply_for_approval(agency_a, brand_a, thread, member_of_a, login):
    _settings(agency_a, brand_a, replies_need_approval=True)
    client = login(member_of_a)
    page = client.get(reverse("dashboard:conversation", kwargs={"conversation_id": thread.pk}))
    assert page.context["needs_approval"] is True
    url = reverse("dashboard:conversation_reply", kwargs={"conversation_id": thread.pk})
    data = {"text": "Merci !", "token": page.context["reply_token"], "seen": page.context["seen"]}
    client.post(url, data)
    assert ReplyApproval.unscoped.count() == 1 and OutboundAction.unscoped.count() == 0


# --- Client approvers replying (brand setting) ----------------------------------------------


def test_a_client_approver_replies_only_when_the_brand_allows_it(
    agency_a, brand_a, thread, client_of_a, login
):
    client = login(client_of_a)
    page_url = reverse("dashboard:conversation", kwargs={"conversation_id": thread.pk})
    url = reverse("dashboard:conversation_reply", kwargs={"conversation_id": thread.pk})
    assert 'id="reply-form"' not in client.get(page_url).content.decode()
    with tenant_scope(agency_a.pk):
        seen = seen_marker(thread)
    refused = client.post(url, {"text": "Bonjour", "token": "c-1", "seen": seen})
    assert refused.status_code in (403, 404) and OutboundAction.unscoped.count() == 0
    _settings(agency_a, brand_a, clients_may_reply=True)
    page = client.get(page_url)
    assert 'id="reply-form"' in page.content.decode()
    client.post(
        url, {"text": "Bonjour", "token": page.context["reply_token"], "seen": page.context["seen"]}
    )
    assert OutboundAction.unscoped.get().text == "Bonjour"


def test_a_client_viewer_never_replies(agency_a, brand_a, thread, member_factory, login):
    from agency.tests.factories import BrandAccessFactory

    viewer = member_factory(agency_a, "client_viewer")
    BrandAccessFactory(membership=viewer, agency=agency_a, brand=brand_a)
    _settings(agency_a, brand_a, clients_may_reply=True)
    with tenant_scope(agency_a.pk), pytest.raises(PermissionDenied):
        reply_submit(conversation=thread, actor=viewer, text="x", seen=seen_marker(thread))


def test_the_api_lets_a_client_approver_reply_only_when_allowed(
    agency_a, brand_a, thread, client_of_a, api_as
):
    api = api_as(client_of_a)
    url = f"{API}conversations/{thread.pk}/reply/"
    assert api.post(url, {"text": "Bonjour"}, format="json").status_code == 403
    _settings(agency_a, brand_a, clients_may_reply=True)
    answer = api.post(url, {"text": "Bonjour"}, format="json")
    assert answer.status_code == 202, answer.content
    assert answer.json()["state"] == "queued"


# --- API ------------------------------------------------------------------------------------


def test_the_api_stores_a_juniors_reply_and_a_manager_decides(
    agency_a, brand_a, thread, member_of_a, manager, api_as
):
    _settings(agency_a, brand_a, replies_need_approval=True)
    junior = api_as(member_of_a)
    answer = junior.post(
        f"{API}conversations/{thread.pk}/reply/",
        {"text": "Bonjour"},
        format="json",
        HTTP_IDEMPOTENCY_KEY="crm-1",
    )
    assert answer.status_code == 201, answer.content
    approval_id = answer.json()["id"]
    assert answer.json()["state"] == "awaiting"
    assert junior.post(f"{API}reply-approvals/{approval_id}/approve/").status_code == 403
    api = api_as(manager)
    listed = api.get(f"{API}reply-approvals/", {"state": "awaiting"}).json()["results"]
    assert [row["id"] for row in listed] == [approval_id]
    assert api.get(f"{API}reply-approvals/", {"state": "nonsense"}).status_code == 400
    no_reason = api.post(f"{API}reply-approvals/{approval_id}/reject/", {}, format="json")
    assert no_reason.status_code == 400
    done = api.post(f"{API}reply-approvals/{approval_id}/approve/", {}, format="json")
    assert done.status_code == 200, done.content
    assert done.json()["state"] == "approved" and done.json()["action"]["state"] == "queued"
    again = api.post(f"{API}reply-approvals/{approval_id}/approve/", {}, format="json")
    assert again.status_code == 400 and OutboundAction.unscoped.count() == 1


def test_saved_replies_through_the_api(agency_a, brand_a, brand_b, member_of_a, api_as):
    api = api_as(member_of_a)
    body = {"brand": brand_a.pk, "language": "fr", "title": "Merci", "body": "Merci {brand} !"}
    created = api.post(f"{API}saved-replies/", body, format="json")
    assert created.status_code == 201, created.content
    reply_id = created.json()["id"]
    bad = api.patch(f"{API}saved-replies/{reply_id}/", {"body": "{prenom}"}, format="json")
    assert bad.status_code == 400 and "body" in bad.json()["error"]["fields"]
    foreign = api.post(f"{API}saved-replies/", {**body, "brand": brand_b.pk}, format="json")
    assert foreign.status_code == 400
    changed = api.patch(f"{API}saved-replies/{reply_id}/", {"title": "Merci !"}, format="json")
    assert changed.status_code == 200 and changed.json()["title"] == "Merci !"
    assert [r["id"] for r in api.get(f"{API}saved-replies/").json()["results"]] == [reply_id]
    assert api.delete(f"{API}saved-replies/{reply_id}/").status_code == 204
