"""Messenger and Instagram messages pushed by Meta's webhooks become direct-message
conversations, one per person writing to the brand; the Page's own answers (echoes) join
them as sent by the brand; a private message is never a listening mention. Deliveries are
shaped like the Messenger Platform's ``messages`` webhook (``entry.messaging``: ``sender``,
``recipient``, ``timestamp`` in ms, ``message.mid``/``text``/``is_echo``)."""

import datetime as dt

import httpx
import pytest
import respx

from agency.tenancy import tenant_scope
from clients.tests.factories import SocialAccountFactory
from engagement.models import Conversation, Message
from engagement.services.webhooks_in import meta_entries_store
from engagement.tests.meta_deliveries import (  # noqa: F401 - fixtures, used by name
    PAGE,
    POST,
    graph_comments,
    meta_settings_fixture,
    no_other_posts,
    page_fixture,
    poll,
    post,
)
from notifications.models import Notification
from reputation.models.mentions import Mention
from reputation.services.polling import source_poll
from reputation.tests.factories import SourceFactory

SENT = 1763632800000  # 2025-11-20T10:00:00Z, in milliseconds as Messenger sends it


def _messaging(*events, account=PAGE, obj="page"):
    return {"object": obj, "entry": [{"id": account, "time": SENT, "messaging": list(events)}]}


def _message(mid, text, *, sender="7001", recipient=PAGE, at=SENT, echo=False):
    message = {"mid": mid, "text": text}
    if echo:
        message["is_echo"] = True
    return {
        "sender": {"id": sender},
        "recipient": {"id": recipient},
        "timestamp": at,
        "message": message,
    }


def test_messenger_messages_become_one_direct_conversation_per_person(
    client, agency_a, page, eager_tasks, django_capture_on_commit_callbacks
):
    first = _message("m_1", "Bonjour, ma commande n'est jamais arrivée")
    answer = _message("m_2", "Désolés, on regarde", sender=PAGE, recipient="7001", echo=True)
    answer["timestamp"] = SENT + 60_000
    other = _message("m_3", "Vous ouvrez à quelle heure ?", sender="7002")
    with django_capture_on_commit_callbacks(execute=True):
        assert post(client, _messaging(first, answer, other)).status_code == 200
    conversations = {c.thread_key: c for c in Conversation.unscoped.filter(agency=agency_a)}
    assert set(conversations) == {"dm:7001", "dm:7002"}
    thread = conversations["dm:7001"]
    assert thread.kind == "direct_message" and thread.message_count == 2
    messages = {m.external_id: m for m in Message.unscoped.filter(conversation=thread)}
    assert messages["m_1"].direction == "in" and messages["m_2"].direction == "out"
    assert messages["m_1"].kind == "direct_message"
    assert messages["m_1"].sent_at == dt.datetime(2025, 11, 20, 10, tzinfo=dt.UTC)
    assert thread.preview == "Bonjour, ma commande n'est jamais arrivée"
    assert Mention.unscoped.filter(agency=agency_a).count() == 0  # private: not listening


def test_a_later_message_joins_its_conversation_and_alerts_the_assignee(
    client, agency_a, page, member_of_a, eager_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        post(client, _messaging(_message("m_1", "Bonjour")))
    Conversation.unscoped.filter(agency=agency_a).update(assignee=member_of_a.user, status="closed")
    with django_capture_on_commit_callbacks(execute=True):
        post(client, _messaging(_message("m_4", "Toujours là ?", at=SENT + 3_600_000)))
        post(client, _messaging(_message("m_4", "Toujours là ?", at=SENT + 3_600_000)))
    conversation = Conversation.unscoped.get(agency=agency_a)
    assert conversation.message_count == 2 and conversation.status == "open"
    assert Notification.unscoped.filter(recipient=member_of_a.user).count() == 1


def test_instagram_messages_are_direct_conversations_of_the_instagram_account(
    client, agency_a, brand_a, eager_tasks, django_capture_on_commit_callbacks
):
    SocialAccountFactory(
        agency=agency_a, brand=brand_a, network="instagram", external_id="17841400001"
    )
    SourceFactory(
        agency=agency_a, kind="owned_comments", brand=brand_a, network="instagram", url=""
    )
    delivery = _messaging(
        _message("aWdfZ", "Salam, wach kayn livraison l Tanger?", recipient="17841400001"),
        account="17841400001",
        obj="instagram",
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert post(client, delivery).status_code == 200
    conversation = Conversation.unscoped.get(agency=agency_a)
    assert conversation.network == "instagram" and conversation.kind == "direct_message"


@pytest.mark.parametrize(
    "event",
    [
        {"sender": {"id": "7001"}, "recipient": {"id": PAGE}, "read": {"watermark": 1}},
        {"sender": {"id": "7001"}, "recipient": {"id": PAGE}, "message": {"mid": None}},
        {"sender": "7001", "message": {"mid": "m_9", "text": "x"}},
        {"sender": {"id": "7001"}, "message": {"mid": "m_8", "text": ["x"]}, "timestamp": "x"},
        {"message": {"mid": "m_7", "attachments": [{"type": "image"}]}, "sender": {"id": "7"}},
    ],
)
def test_receipts_and_hostile_messaging_events_are_skipped_or_stored_safely(
    client, agency_a, page, event
):
    account, _source = page
    assert post(client, _messaging(event)).status_code == 200
    with tenant_scope(agency_a):  # what the task does, called directly (eager hides errors)
        meta_entries_store(account_id=account.pk, entries=_messaging(event)["entry"])
    assert Message.unscoped.exclude(kind="direct_message").count() == 0


@pytest.mark.parametrize("pushed_first", [True, False])
def test_a_messenger_message_pushed_and_polled_is_stored_once(
    client, agency_a, page, pushed_first, eager_tasks, django_capture_on_commit_callbacks
):
    _account, source = page
    polled = [("7001", [("m_1", "7001", "Bonjour"), ("m_2", PAGE, "Bonjour, que puis-je ?")])]

    def push():
        with django_capture_on_commit_callbacks(execute=True):
            post(client, _messaging(_message("m_1", "Bonjour")))

    if pushed_first:
        push()
    poll(source, agency_a, [], polled)
    if not pushed_first:
        push()
    conversation = Conversation.unscoped.get(agency=agency_a)
    assert conversation.thread_key == "dm:7001" and conversation.kind == "direct_message"
    assert conversation.message_count == 2
    directions = dict(
        Message.unscoped.filter(conversation=conversation).values_list("external_id", "direction")
    )
    assert directions == {"m_1": "in", "m_2": "out"}


def test_a_page_token_without_the_messaging_permission_still_reads_comments(agency_a, page):
    _account, source = page
    denied = {
        "error": {
            "message": "(#10) Requires pages_messaging",
            "type": "OAuthException",
            "code": 10,
            "fbtrace_id": "A1",
        }
    }
    with respx.mock(assert_all_called=True) as mock:
        mock.get(url__regex=rf"graph\.facebook\.com/v[\d.]+/{POST}/comments").mock(
            return_value=httpx.Response(200, json=graph_comments(("4444_1", "Super café")))
        )
        mock.get(url__regex=rf"graph\.facebook\.com/v[\d.]+/{PAGE}/conversations").mock(
            return_value=httpx.Response(403, json=denied)
        )
        no_other_posts(mock)
        with tenant_scope(agency_a):
            outcome = source_poll(source=source)
    assert outcome.status == "ok", outcome.error
    assert Message.unscoped.filter(agency=agency_a, external_id="4444_1").count() == 1
