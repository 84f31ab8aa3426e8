"""Meta's webhooks fill the inbox through the same pipeline as the polls: a comment pushed by
Meta and read again by the reconciliation poll is one message (whichever comes first, and
when both arrive at once), with the poll's fields, alerts and reopening; Instagram comments
land on their media. Deliveries and Graph answers: engagement/tests/meta_deliveries.py."""

import datetime as dt
import threading

import pytest
from django.db import connection

from agency.tenancy import tenant_scope
from clients.tests.factories import SocialAccountFactory
from engagement.models import Conversation, Message
from engagement.services.webhooks_in import meta_entries_store
from engagement.tests.meta_deliveries import (  # noqa: F401 - fixtures, used by name
    CREATED,
    POST,
    feed_delivery,
    meta_settings_fixture,
    page_fixture,
    poll,
    post,
)
from notifications.models import Notification
from reputation.tests.factories import SourceFactory


def test_a_signed_page_comment_becomes_a_message_with_the_polls_fields(
    client, agency_a, page, eager_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, feed_delivery())
    assert response.status_code == 200
    message = Message.unscoped.get(agency=agency_a)
    assert message.external_id == "4444_9001" and message.parent_external_id == ""
    assert message.sent_at == dt.datetime(2025, 11, 20, 10, tzinfo=dt.UTC)
    assert message.direction == "in" and message.author_name == "Salma Benali"
    assert message.sentiment == "negative" and message.language == "fr"
    conversation = message.conversation
    assert conversation.kind == "comment" and conversation.post_variant.external_id == POST


def test_a_comment_arriving_by_webhook_then_by_poll_is_stored_once(
    client, agency_a, page, eager_tasks, django_capture_on_commit_callbacks
):
    _account, source = page
    with django_capture_on_commit_callbacks(execute=True):
        assert post(client, feed_delivery()).status_code == 200
    poll(source, agency_a, [("4444_9001", "Commande jamais arrivée, service nul")])
    assert Message.unscoped.filter(agency=agency_a).count() == 1
    assert Conversation.unscoped.get(agency=agency_a).message_count == 1


def test_a_comment_arriving_by_poll_then_by_webhook_is_stored_once(
    client, agency_a, page, eager_tasks, django_capture_on_commit_callbacks
):
    _account, source = page
    poll(source, agency_a, [("4444_9001", "Commande jamais arrivée, service nul")])
    with django_capture_on_commit_callbacks(execute=True):
        assert post(client, feed_delivery()).status_code == 200
    message = Message.unscoped.get(agency=agency_a)
    # The poll's copy stays (with its permalink): the push found it and added nothing.
    assert message.permalink.startswith("https://www.facebook.com/")
    assert Conversation.unscoped.get(agency=agency_a).message_count == 1


@pytest.mark.django_db(transaction=True)
def test_a_comment_pushed_and_polled_at_the_same_moment_is_stored_once(agency_a, page):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent transactions: PostgreSQL")
    account, source = page
    entries = feed_delivery()["entry"]
    start = threading.Barrier(2)
    errors = []

    def push():
        with tenant_scope(agency_a):
            start.wait(timeout=10)
            meta_entries_store(account_id=account.pk, entries=entries)

    def read_by_poll():
        start.wait(timeout=10)
        poll(source, agency_a, [("4444_9001", "Commande jamais arrivée, service nul")])

    def run(target):
        try:
            target()
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(t,)) for t in (push, read_by_poll)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert Message.unscoped.filter(agency=agency_a, external_id="4444_9001").count() == 1
    assert Conversation.unscoped.get(agency=agency_a).message_count == 1


def test_a_pushed_comment_alerts_the_assignee_like_a_polled_one(
    client, agency_a, page, member_of_a, eager_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        post(client, feed_delivery())
    Conversation.unscoped.filter(agency=agency_a).update(assignee=member_of_a.user, status="closed")
    reply = feed_delivery("4444_9002", "Toujours rien reçu", parent_id="4444_9001")
    reply["entry"][0]["changes"][0]["value"]["created_time"] = CREATED + 60
    with django_capture_on_commit_callbacks(execute=True):
        post(client, reply)
    conversation = Conversation.unscoped.get(agency=agency_a)
    assert conversation.message_count == 2 and conversation.status == "open"
    assert Notification.unscoped.filter(recipient=member_of_a.user).count() == 1


def test_an_instagram_comment_is_stored_on_its_media(
    client, agency_a, brand_a, eager_tasks, django_capture_on_commit_callbacks
):
    SocialAccountFactory(
        agency=agency_a, brand=brand_a, network="instagram", external_id="17841400001"
    )
    SourceFactory(
        agency=agency_a, kind="owned_comments", brand=brand_a, network="instagram", url=""
    )
    delivery = {
        "object": "instagram",
        "entry": [
            {
                "id": "17841400001",
                "time": CREATED,
                "changes": [
                    {
                        "field": "comments",
                        "value": {
                            "from": {"id": "2105722729836161", "username": "yassine.ma"},
                            "media": {"id": "18172143295349192", "media_product_type": "FEED"},
                            "id": "17919697626119712",
                            "text": "Had l café zwin bzaf",
                        },
                    }
                ],
            }
        ],
    }
    with django_capture_on_commit_callbacks(execute=True):
        assert post(client, delivery).status_code == 200
    message = Message.unscoped.get(agency=agency_a)
    assert message.author_handle == "yassine.ma" and message.kind == "comment"
    assert message.conversation.post_external_id == "18172143295349192"
