"""Meta's webhooks fill the inbox through the same pipeline as the polls: a comment pushed by
Meta and read again by the reconciliation poll is one message (whichever comes first, and
when both arrive at once); deliveries are refused unsigned or wrongly signed (403), a body
that is not a delivery is a 400, an unknown Page is a logged 200, a replay queues nothing.

Deliveries are shaped like Meta's documented examples (Webhooks for Pages, ``feed`` with
``item: comment``; Instagram ``comments``); the poll's Graph answers are faked by respx with
the Graph API's comment fields."""

import datetime as dt
import json
import logging
import threading

import httpx
import pytest
import respx
from django.core.cache import cache
from django.db import connection
from django.utils import timezone

from agency.tenancy import tenant_scope
from campaigns.tests.factories import PostVariantFactory
from clients.tests.factories import SocialAccountFactory
from engagement.models import Conversation, Message
from engagement.services.webhooks_in import meta_entries_store
from networks.meta_webhooks import sign
from notifications.models import Notification
from reputation.services.polling import source_poll
from reputation.tests.factories import SourceFactory

SECRET = "meta-app-secret"
PAGE = "111222333"
POST = f"{PAGE}_4444"
URL = "/hooks/meta/"
CREATED = 1763632800  # 2025-11-20T10:00:00Z


@pytest.fixture(autouse=True)
def meta_settings(settings):
    settings.META_WEBHOOK_APP_SECRETS = [SECRET]
    settings.META_WEBHOOK_VERIFY_TOKEN = "verify-me"
    cache.clear()  # the replay guard lives in the cache


@pytest.fixture
def page(agency_a, brand_a):
    account = SocialAccountFactory(
        agency=agency_a,
        brand=brand_a,
        network="facebook",
        external_id=PAGE,
        handle="Café Tanger",
        instance_url="",
    )
    PostVariantFactory(
        agency=agency_a,
        post__brand=brand_a,
        social_account=account,
        state="published",
        external_id=POST,
        published_at=timezone.now() - dt.timedelta(days=1),
    )
    source = SourceFactory(
        agency=agency_a,
        kind="owned_comments",
        brand=brand_a,
        network="facebook",
        url="",
        last_success_at=timezone.now() - dt.timedelta(hours=1),
    )
    return account, source


def _feed_delivery(comment_id="4444_9001", text="Commande jamais arrivée, service nul", **value):
    # Webhooks for Pages, field "feed", a comment added (documented example shape).
    change = {
        "from": {"id": "55501", "name": "Salma Benali"},
        "post": {"status_type": "added_photos", "is_published": True, "id": POST},
        "message": text,
        "post_id": POST,
        "comment_id": comment_id,
        "created_time": CREATED,
        "item": "comment",
        "parent_id": POST,
        "verb": "add",
        **value,
    }
    return {
        "object": "page",
        "entry": [
            {"id": PAGE, "time": CREATED + 2, "changes": [{"field": "feed", "value": change}]}
        ],
    }


def _graph_comments(*comments):
    # GET /{post-id}/comments with fields id,message,from,created_time,parent{id},...
    return {
        "data": [
            {
                "id": cid,
                "message": text,
                "from": {"id": "55501", "name": "Salma Benali"},
                "created_time": "2025-11-20T10:00:00+0000",
                "is_hidden": False,
                "permalink_url": f"https://www.facebook.com/{POST}?comment_id={cid}",
            }
            for cid, text in comments
        ],
        "paging": {"cursors": {"before": "b", "after": "a"}},
    }


def _post(client, payload, *, secret=SECRET, body=None, signature=None):
    raw = body if body is not None else json.dumps(payload).encode()
    headers = {}
    if signature is not None:
        headers["HTTP_X_HUB_SIGNATURE_256"] = signature
    elif secret:
        headers["HTTP_X_HUB_SIGNATURE_256"] = sign(raw, secret)
    return client.post(URL, data=raw, content_type="application/json", **headers)


def _poll(source, agency, comments):
    with respx.mock(assert_all_called=True) as mock:
        mock.get(url__regex=rf"https://graph\.facebook\.com/v[\d.]+/{POST}/comments").mock(
            return_value=httpx.Response(200, json=_graph_comments(*comments))
        )
        with tenant_scope(agency):
            outcome = source_poll(source=source)
    assert outcome.status == "ok", outcome.error


def test_a_signed_page_comment_becomes_a_message_with_the_polls_fields(
    client, agency_a, page, eager_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(client, _feed_delivery())
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
        assert _post(client, _feed_delivery()).status_code == 200
    _poll(source, agency_a, [("4444_9001", "Commande jamais arrivée, service nul")])
    assert Message.unscoped.filter(agency=agency_a).count() == 1
    assert Conversation.unscoped.get(agency=agency_a).message_count == 1


def test_a_comment_arriving_by_poll_then_by_webhook_is_stored_once(
    client, agency_a, page, eager_tasks, django_capture_on_commit_callbacks
):
    _account, source = page
    _poll(source, agency_a, [("4444_9001", "Commande jamais arrivée, service nul")])
    with django_capture_on_commit_callbacks(execute=True):
        assert _post(client, _feed_delivery()).status_code == 200
    message = Message.unscoped.get(agency=agency_a)
    # The poll's copy stays (with its permalink): the push found it and added nothing.
    assert message.permalink.startswith("https://www.facebook.com/")
    assert Conversation.unscoped.get(agency=agency_a).message_count == 1


@pytest.mark.django_db(transaction=True)
def test_a_comment_pushed_and_polled_at_the_same_moment_is_stored_once(agency_a, page):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent transactions: PostgreSQL")
    account, source = page
    entries = _feed_delivery()["entry"]
    start = threading.Barrier(2)
    errors = []

    def push():
        with tenant_scope(agency_a):
            start.wait(timeout=10)
            meta_entries_store(account_id=account.pk, entries=entries)

    def poll():
        start.wait(timeout=10)
        _poll(source, agency_a, [("4444_9001", "Commande jamais arrivée, service nul")])

    def run(target):
        try:
            target()
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(t,)) for t in (push, poll)]
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
        _post(client, _feed_delivery())
    Conversation.unscoped.filter(agency=agency_a).update(assignee=member_of_a.user, status="closed")
    reply = _feed_delivery("4444_9002", "Toujours rien reçu", parent_id="4444_9001")
    reply["entry"][0]["changes"][0]["value"]["created_time"] = CREATED + 60
    with django_capture_on_commit_callbacks(execute=True):
        _post(client, reply)
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
        assert _post(client, delivery).status_code == 200
    message = Message.unscoped.get(agency=agency_a)
    assert message.author_handle == "yassine.ma" and message.kind == "comment"
    assert message.conversation.post_external_id == "18172143295349192"


@pytest.mark.parametrize(
    "signature",
    [None, "", "sha256=", "sha1=abc", "sha256=" + "0" * 64, "sha256=not-hex"],
)
def test_an_unsigned_or_wrongly_signed_delivery_is_refused(client, agency_a, page, signature):
    payload = _feed_delivery()
    response = _post(client, payload, secret=None, signature=signature)
    assert response.status_code == 403
    assert Message.unscoped.count() == 0


def test_a_delivery_signed_with_another_secret_is_refused(client, agency_a, page):
    assert _post(client, _feed_delivery(), secret="someone-else").status_code == 403


def test_without_an_app_secret_every_delivery_is_refused(client, settings, page):
    settings.META_WEBHOOK_APP_SECRETS = []
    assert _post(client, _feed_delivery(), secret="").status_code == 403


def test_a_replayed_delivery_queues_nothing_and_stores_once(
    client, agency_a, page, eager_tasks, django_capture_on_commit_callbacks
):
    payload = _feed_delivery()
    with django_capture_on_commit_callbacks(execute=True) as first:
        assert _post(client, payload).status_code == 200
    with django_capture_on_commit_callbacks(execute=True) as again:
        assert _post(client, payload).status_code == 200
    assert len(first) >= 1 and len(again) == 0  # the first queued the store task
    assert Message.unscoped.filter(agency=agency_a).count() == 1


def test_an_unknown_page_is_answered_200_and_logged(
    client, agency_a, page, caplog, django_capture_on_commit_callbacks
):
    payload = _feed_delivery()
    payload["entry"][0]["id"] = "999000999"
    with caplog.at_level(logging.INFO), django_capture_on_commit_callbacks() as queued:
        assert _post(client, payload).status_code == 200
    assert queued == []
    assert "no connected facebook account 999000999" in caplog.text


def test_a_page_connected_by_two_agencies_reaches_both(
    client, agency_a, agency_b, brand_b, page, eager_tasks, django_capture_on_commit_callbacks
):
    SocialAccountFactory(
        agency=agency_b, brand=brand_b, network="facebook", external_id=PAGE, instance_url=""
    )
    SourceFactory(agency=agency_b, kind="owned_comments", brand=brand_b, network="facebook", url="")
    with django_capture_on_commit_callbacks(execute=True):
        _post(client, _feed_delivery())
    assert Message.unscoped.filter(agency=agency_a).count() == 1
    assert Message.unscoped.filter(agency=agency_b).count() == 1


def test_a_brand_without_an_inbox_source_stores_nothing(
    client, agency_a, brand_a, eager_tasks, django_capture_on_commit_callbacks
):
    SocialAccountFactory(
        agency=agency_a, brand=brand_a, network="facebook", external_id=PAGE, instance_url=""
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert _post(client, _feed_delivery()).status_code == 200
    assert Message.unscoped.count() == 0


def test_likes_reactions_and_removals_store_nothing(
    client, agency_a, page, eager_tasks, django_capture_on_commit_callbacks
):
    reaction = _feed_delivery(item="reaction", reaction_type="like")
    removal = _feed_delivery("4444_9003", verb="remove")
    with django_capture_on_commit_callbacks(execute=True):
        assert _post(client, reaction).status_code == 200
        assert _post(client, removal).status_code == 200
    assert Message.unscoped.count() == 0


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"not json",
        b"\xff\xfe\x00",
        b"[]",
        b'"entry"',
        b'{"object": "page"}',
        b'{"object": "page", "entry": {}}',
        b'{"object": "page", "entry": [1]}',
        b'{"object": "page", "entry": [{"changes": []}]}',
        b'{"object": "page", "entry": [{"id": {"x": 1}}]}',
        b'{"object": "page", "entry": [{"id": "1", "changes": "feed"}]}',
        b'{"object": "page", "entry": [{"id": "1", "messaging": [3]}]}',
        b'{"object": "page", "entry": [{"id": "' + b"9" * 300 + b'"}]}',
        b'{"a":' * 5000 + b"1" + b"}" * 5000,
    ],
)
def test_a_signed_body_that_is_not_a_delivery_is_a_400(client, page, body):
    assert _post(client, None, body=body).status_code == 400


@pytest.mark.parametrize(
    "value",
    [
        {"item": "comment", "comment_id": None, "verb": "add"},
        {"item": "comment", "comment_id": "4444_1", "created_time": "yesterday", "message": 7},
        {"item": "comment", "comment_id": "4444_2", "created_time": 10**20, "from": "x"},
        {"item": "comment", "comment_id": "4444_3", "message": "\x00" * 10, "post_id": []},
        {"item": ["comment"], "comment_id": True},
    ],
)
def test_hostile_change_values_are_skipped_or_stored_safely(client, agency_a, page, value):
    account, _source = page
    payload = {
        "object": "page",
        "entry": [{"id": PAGE, "changes": [{"field": "feed", "value": value}]}],
    }
    assert _post(client, payload).status_code == 200
    # What the task does with it, called directly: an eager task would swallow an exception.
    with tenant_scope(agency_a):
        meta_entries_store(account_id=account.pk, entries=payload["entry"])
    assert Message.unscoped.exclude(text__regex=r"^[^\x00]+$").count() == 0


def test_the_subscription_check_echoes_the_challenge_with_the_right_token(client):
    params = {
        "hub.mode": "subscribe",
        "hub.verify_token": "verify-me",
        "hub.challenge": "1158201444",
    }
    response = client.get(URL, params)
    assert response.status_code == 200 and response.content == b"1158201444"
    assert response["Content-Type"].startswith("text/plain")


@pytest.mark.parametrize(
    "params",
    [
        {"hub.mode": "subscribe", "hub.verify_token": "wrong", "hub.challenge": "1"},
        {"hub.mode": "unsubscribe", "hub.verify_token": "verify-me", "hub.challenge": "1"},
        {"hub.challenge": "1"},
    ],
)
def test_the_subscription_check_refuses_a_wrong_token_or_mode(client, params):
    assert client.get(URL, params).status_code == 403


def test_the_subscription_check_is_refused_when_no_token_is_configured(client, settings):
    settings.META_WEBHOOK_VERIFY_TOKEN = ""
    params = {"hub.mode": "subscribe", "hub.verify_token": "", "hub.challenge": "1"}
    assert client.get(URL, params).status_code == 403


def test_other_methods_are_405(client):
    assert client.put(URL).status_code == 405
    assert client.delete(URL).status_code == 405
