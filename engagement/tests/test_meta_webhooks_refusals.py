"""The Meta receiver refuses what Meta did not send or did not mean: unsigned or wrongly
signed deliveries (403), bodies that are not deliveries (400), hostile values (skipped or
stored safely), wrong subscription checks (403); an unknown Page is a logged 200, a replay
queues nothing, a Page of two agencies reaches both, likes and removals store nothing."""

import logging

import pytest

from agency.tenancy import tenant_scope
from clients.tests.factories import SocialAccountFactory
from engagement.models import Message
from engagement.services.webhooks_in import meta_entries_store
from engagement.tests.meta_deliveries import (  # noqa: F401 - fixtures, used by name
    PAGE,
    URL,
    feed_delivery,
    meta_settings_fixture,
    page_fixture,
    post,
)
from reputation.tests.factories import SourceFactory


@pytest.mark.parametrize(
    "signature",
    [None, "", "sha256=", "sha1=abc", "sha256=" + "0" * 64, "sha256=not-hex"],
)
def test_an_unsigned_or_wrongly_signed_delivery_is_refused(client, agency_a, page, signature):
    payload = feed_delivery()
    response = post(client, payload, secret=None, signature=signature)
    assert response.status_code == 403
    assert Message.unscoped.count() == 0


def test_a_delivery_signed_with_another_secret_is_refused(client, agency_a, page):
    assert post(client, feed_delivery(), secret="someone-else").status_code == 403


def test_without_an_app_secret_every_delivery_is_refused(client, settings, page):
    settings.META_WEBHOOK_APP_SECRETS = []
    assert post(client, feed_delivery(), secret="").status_code == 403


def test_a_replayed_delivery_queues_nothing_and_stores_once(
    client, agency_a, page, eager_tasks, django_capture_on_commit_callbacks
):
    payload = feed_delivery()
    with django_capture_on_commit_callbacks(execute=True) as first:
        assert post(client, payload).status_code == 200
    with django_capture_on_commit_callbacks(execute=True) as again:
        assert post(client, payload).status_code == 200
    assert len(first) >= 1 and len(again) == 0  # the first queued the store task
    assert Message.unscoped.filter(agency=agency_a).count() == 1


def test_an_unknown_page_is_answered_200_and_logged(
    client, agency_a, page, caplog, django_capture_on_commit_callbacks
):
    payload = feed_delivery()
    payload["entry"][0]["id"] = "999000999"
    with caplog.at_level(logging.INFO), django_capture_on_commit_callbacks() as queued:
        assert post(client, payload).status_code == 200
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
        post(client, feed_delivery())
    assert Message.unscoped.filter(agency=agency_a).count() == 1
    assert Message.unscoped.filter(agency=agency_b).count() == 1


def test_a_brand_without_an_inbox_source_stores_nothing(
    client, agency_a, brand_a, eager_tasks, django_capture_on_commit_callbacks
):
    SocialAccountFactory(
        agency=agency_a, brand=brand_a, network="facebook", external_id=PAGE, instance_url=""
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert post(client, feed_delivery()).status_code == 200
    assert Message.unscoped.count() == 0


def test_likes_reactions_and_removals_store_nothing(
    client, agency_a, page, eager_tasks, django_capture_on_commit_callbacks
):
    reaction = feed_delivery(item="reaction", reaction_type="like")
    removal = feed_delivery("4444_9003", verb="remove")
    with django_capture_on_commit_callbacks(execute=True):
        assert post(client, reaction).status_code == 200
        assert post(client, removal).status_code == 200
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
    assert post(client, None, body=body).status_code == 400


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
    assert post(client, payload).status_code == 200
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
