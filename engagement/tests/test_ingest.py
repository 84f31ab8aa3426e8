"""Owned-account polls fill the inbox: the replies to the brand's posts and the account's
mentions become conversations and messages, threaded, once each (also under concurrent polls),
with network time, sentiment and authors. Mastodon is faked by respx with its documented
Status, Context and Notification entities."""

import datetime as dt
import json
import threading
from pathlib import Path

import httpx
import pytest
import respx
from django.db import connection
from django.utils import timezone

from agency.tenancy import tenant_scope
from campaigns.tests.factories import PostVariantFactory
from clients.tests.factories import SocialAccountFactory
from engagement.models import Conversation, Message
from notifications.models import Notification
from reputation.models.mentions import Mention
from reputation.owned_items import KIND_COMMENT
from reputation.services.ingest import RawMention, mentions_ingest
from reputation.services.polling import source_poll
from reputation.tests.factories import SourceFactory

FIXTURES = Path(__file__).resolve().parents[2] / "networks" / "tests" / "fixtures"
BASE = "https://mastodon.social"


def _status(status_id, text, *, reply_to, account_id="77", acct="salma", when="10:00"):
    # Shaped like Mastodon's Status entity (docs: entities/Status).
    return {
        "id": status_id,
        "created_at": f"2026-11-20T{when}:00.000Z",
        "in_reply_to_id": reply_to,
        "url": f"{BASE}/@{acct}/{status_id}",
        "uri": f"{BASE}/users/{acct}/statuses/{status_id}",
        "content": f"<p>{text}</p>",
        "language": "fr",
        "visibility": "public",
        "account": {
            "id": account_id,
            "acct": acct,
            "display_name": acct.title(),
            "followers_count": 5000,
            "url": f"{BASE}/@{acct}",
        },
    }


@pytest.fixture
def owned(agency_a, brand_a):
    account = SocialAccountFactory(
        agency=agency_a, brand=brand_a, network="mastodon", external_id="42", handle="cafetanger"
    )
    variant = PostVariantFactory(
        agency=agency_a,
        post__brand=brand_a,
        social_account=account,
        state="published",
        external_id="5001",
        published_at=timezone.now() - dt.timedelta(days=1),
    )
    source = SourceFactory(
        agency=agency_a, kind="owned_comments", brand=brand_a, network="mastodon", url=""
    )
    return account, variant, source


def _poll(source, agency, descendants, notifications=()):
    with respx.mock(assert_all_called=True) as mock:
        mock.get(f"{BASE}/api/v1/statuses/5001/context").mock(
            return_value=httpx.Response(200, json={"ancestors": [], "descendants": descendants})
        )
        mock.get(f"{BASE}/api/v1/notifications").mock(
            return_value=httpx.Response(200, json=list(notifications))
        )
        # The account's own statuses: only what we published (test_external_posts.py reads
        # the others).
        mock.get(f"{BASE}/api/v1/accounts/42/statuses").mock(
            return_value=httpx.Response(200, json=[])
        )
        with tenant_scope(agency):
            outcome = source_poll(source=source)
            source.refresh_from_db()
    assert outcome.status == "ok", outcome.error
    return outcome


def test_replies_to_the_brands_post_become_one_threaded_conversation(agency_a, owned):
    account, variant, source = owned
    complaint = _status("5002", "Service nul, commande jamais arrivée.", reply_to="5001")
    answer = _status(
        "5003", "Désolés, on regarde !", reply_to="5002", account_id="42", acct="cafetanger"
    )
    again = _status("5004", "Toujours rien.", reply_to="5003", when="11:00")
    # Mastodon lists descendants in thread order; ours arrive shuffled to prove the threading.
    _poll(source, agency_a, [again, complaint, answer])
    _poll(source, agency_a, [complaint, answer, again])  # read again: nothing doubles

    conversation = Conversation.unscoped.get(agency=agency_a)
    assert conversation.kind == "comment" and conversation.thread_key == "5002"
    assert conversation.post_variant_id == variant.pk and conversation.post_external_id == "5001"
    assert conversation.message_count == 3 and conversation.status == "new"
    assert conversation.last_message_at == dt.datetime(2026, 11, 20, 11, tzinfo=dt.UTC)
    assert conversation.preview == "Toujours rien."
    thread = {m.external_id: m for m in Message.unscoped.filter(conversation=conversation)}
    assert thread["5003"].direction == "out" and thread["5002"].direction == "in"
    assert thread["5003"].parent_id == thread["5002"].pk
    assert thread["5004"].parent_id == thread["5003"].pk and thread["5004"].kind == "reply"
    assert thread["5002"].sentiment == "negative" and thread["5002"].language == "fr"
    assert thread["5002"].sent_at == dt.datetime(2026, 11, 20, 10, tzinfo=dt.UTC)
    assert thread["5002"].author.handle == "salma" and thread["5002"].author.followers == 5000
    assert thread["5002"].permalink == f"{BASE}/@salma/5002"
    assert thread["5002"].raw["id"] == "5002"


def test_two_identical_comments_of_two_people_are_two_messages(agency_a, owned):
    _account, _variant, source = owned
    _poll(
        source,
        agency_a,
        [
            _status("6001", "Merci !", reply_to="5001"),
            _status("6002", "Merci !", reply_to="5001", account_id="78", acct="omar"),
        ],
    )
    assert Message.unscoped.filter(agency=agency_a).count() == 2
    assert Conversation.unscoped.filter(agency=agency_a).count() == 2
    # Listening keeps one mention per story, as before.
    assert Mention.unscoped.filter(agency=agency_a).count() == 1


def test_mentions_and_direct_mentions_of_the_account_arrive_from_notifications(agency_a, owned):
    _account, _variant, source = owned
    notes = json.loads((FIXTURES / "mastodon_notifications.json").read_text())
    direct = json.loads(json.dumps(notes[0]))
    direct["id"], direct["status"]["id"] = "34975862", "113501"
    direct["status"]["visibility"] = "direct"
    direct["status"]["content"] = "<p>Bonjour, ma commande 1234 ?</p>"
    _poll(source, agency_a, [], [notes[0], direct])
    kinds = dict(Conversation.unscoped.filter(agency=agency_a).values_list("thread_key", "kind"))
    assert kinds == {"113500": "mention", "113501": "direct_message"}


def test_a_new_message_reopens_a_closed_conversation_and_alerts_its_assignee(
    agency_a, owned, member_of_a
):
    _account, _variant, source = owned
    _poll(source, agency_a, [_status("5002", "Commande pas arrivée", reply_to="5001")])
    Conversation.unscoped.filter(agency=agency_a).update(
        status="closed", assignee=member_of_a.user, unread=False
    )
    later = _status("5005", "Toujours rien reçu", reply_to="5002", when="12:00")
    _poll(source, agency_a, [later])

    conversation = Conversation.unscoped.get(agency=agency_a)
    assert conversation.status == "open" and conversation.unread
    alert = Notification.unscoped.get(agency=agency_a, recipient=member_of_a.user)
    assert alert.verb == "conversation.message"


def test_old_items_of_a_first_read_alert_nobody(agency_a, owned, member_of_a):
    account, _variant, source = owned
    assert source.last_success_at is None  # the source's first read: a backfill
    # The conversation exists (say, from a reply already seen) and is someone's …
    with tenant_scope(agency_a):
        mentions_ingest(
            agency_id=agency_a.pk,
            items=[_raw("5002", "Pas reçu", reply_to="5001")],
            source=source,
            account_id=account.pk,
        )
    Conversation.unscoped.filter(agency=agency_a).update(status="closed", assignee=member_of_a.user)
    with tenant_scope(agency_a):
        mentions_ingest(
            agency_id=agency_a.pk,
            items=[_raw("5006", "Ancienne réponse", reply_to="5002")],
            source=source,
            account_id=account.pk,
        )
    conversation = Conversation.unscoped.get(agency=agency_a)
    assert conversation.message_count == 2 and conversation.status == "closed"
    assert not Notification.unscoped.filter(agency=agency_a).exists()


def _raw(external_id, text, *, reply_to):
    return RawMention(
        external_id=external_id,
        text=text,
        url=f"{BASE}/@salma/{external_id}",
        published_at=dt.datetime(2026, 11, 20, 10, tzinfo=dt.UTC),
        network="mastodon",
        author_handle="salma",
        author_name="Salma",
        kind=KIND_COMMENT,
        author_external_id="77",
        parent_external_id=reply_to,
        post_external_id="5001",
    )


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_polls_store_each_item_once(agency_a, owned):
    if connection.vendor != "postgresql":
        pytest.skip("row locks and concurrent transactions: PostgreSQL")
    account, _variant, source = owned
    items = [
        _raw("7001", "Où est ma commande ?", reply_to="5001"),
        _raw("7002", "Et la mienne aussi", reply_to="7001"),
        _raw("7003", "Bravo pour le nouveau café", reply_to="5001"),
    ]
    start = threading.Barrier(2)
    errors = []

    def poll():
        try:
            with tenant_scope(agency_a):
                start.wait(timeout=10)
                mentions_ingest(
                    agency_id=agency_a.pk, items=items, source=source, account_id=account.pk
                )
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=poll) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert Message.unscoped.filter(agency=agency_a).count() == 3
    conversations = Conversation.unscoped.filter(agency=agency_a)
    assert sorted(conversations.values_list("thread_key", "message_count")) == [
        ("7001", 2),
        ("7003", 1),
    ]
