"""A due variant published once, and each error kind of the networks recorded as one outcome
(rate limit, server errors, expired token, validation, timeouts), and the first comment. The
network is faked at the HTTP transport (respx) with Mastodon's documented responses; the
database is real."""

import datetime as dt
import json

import httpx
import pytest
from django.utils import timezone, translation

from campaigns.models import PostState, VariantState
from campaigns.tests.factories import PostVariantFactory
from clients.models import AccountStatus
from clients.tests.factories import SocialAccountFactory
from notifications.models import Notification
from publishing import dispatch, worker
from publishing.models import AccountPublishingBackoff
from publishing.tests.helpers import (
    MASTODON,
    STATUSES,
    dispatch_and_publish,
    fresh,
    scheduled_variant,
    status_json,
)
from webhooks.models import WebhookDelivery
from webhooks.tests.factories import WebhookEndpointFactory


@pytest.fixture(autouse=True)
def _in_english():
    # These tests read the engine's messages; the product's default language is French.
    with translation.override("en"):
        yield


# --- Success -----------------------------------------------------------------------------------


def test_a_due_variant_is_published_once_with_its_idempotency_key(
    agency_a, brand_a, mastodon, django_capture_on_commit_callbacks
):
    WebhookEndpointFactory(agency=agency_a, events=["post.published", "post.failed"])
    variant = scheduled_variant(agency_a, brand_a)
    route = mastodon.post(STATUSES).mock(return_value=httpx.Response(200, json=status_json()))

    with django_capture_on_commit_callbacks(execute=False) as queued:
        claims = dispatch.due_variants_claim_across_agencies()
    assert [c.post_variant_id for c in claims] == [variant.pk]
    assert queued, "the publish task is queued on commit"
    assert fresh(variant).state == VariantState.PUBLISHING
    assert fresh(variant).post.state == PostState.PUBLISHING

    from agency.tenancy import tenant_scope

    with tenant_scope(agency_a):
        assert worker.variant_publish(post_variant_id=variant.pk, attempt=1) == "published"
        # The same message delivered again (or a second worker) never calls the network.
        assert worker.variant_publish(post_variant_id=variant.pk, attempt=1) == "skipped"

    assert route.call_count == 1
    request = route.calls[0].request
    assert request.headers["Idempotency-Key"] == f"{variant.idempotency_key.hex}-1"
    assert json.loads(request.content)["status"].startswith("Bonjour Tanger")
    variant = fresh(variant)
    assert variant.state == VariantState.PUBLISHED
    assert variant.external_id == "109"
    assert variant.external_url == "https://mastodon.social/@cafe/109"
    assert variant.post.state == PostState.PUBLISHED
    assert WebhookDelivery.unscoped.filter(agency=agency_a, event="post.published").count() == 1


def test_nothing_is_claimed_before_its_due_time(agency_a, brand_a):
    due = timezone.now() + dt.timedelta(minutes=5)
    scheduled_variant(agency_a, brand_a, due=due)
    assert dispatch.due_variants_claim_across_agencies(now=due - dt.timedelta(seconds=1)) == []
    assert len(dispatch.due_variants_claim_across_agencies(now=due)) == 1


def test_one_published_and_one_failed_variant_make_a_partly_published_post(
    agency_a, brand_a, mastodon
):
    first = scheduled_variant(agency_a, brand_a)
    other = SocialAccountFactory(
        agency=agency_a, brand=brand_a, instance_url="https://piaille.fr", network="mastodon"
    )
    second = PostVariantFactory(
        agency=agency_a,
        post=first.post,
        social_account=other,
        state=VariantState.SCHEDULED,
        due_at=first.due_at,
    )
    mastodon.post(STATUSES).mock(return_value=httpx.Response(200, json=status_json()))
    mastodon.post("https://piaille.fr/api/v1/statuses").mock(
        return_value=httpx.Response(422, json={"error": "Validation failed: Text is too long"})
    )
    dispatch_and_publish()
    assert fresh(first).state == VariantState.PUBLISHED
    assert fresh(second).state == VariantState.FAILED
    assert fresh(first).post.state == PostState.PARTLY_PUBLISHED


# --- Each error kind ---------------------------------------------------------------------------


def test_rate_limited_goes_back_to_the_queue_after_retry_after(agency_a, brand_a, mastodon):
    variant = scheduled_variant(agency_a, brand_a)
    route = mastodon.post(STATUSES).mock(
        side_effect=[
            httpx.Response(429, headers={"Retry-After": "120"}, json={"error": "Too many"}),
            httpx.Response(200, json=status_json()),
        ]
    )
    assert dispatch_and_publish() == {variant.pk: "rate_limited"}
    variant = fresh(variant)
    assert variant.state == VariantState.SCHEDULED
    wait = (variant.next_attempt_at - timezone.now()).total_seconds()
    assert 110 < wait <= 120
    assert "slow down" in variant.last_error

    assert dispatch_and_publish(now=timezone.now() + dt.timedelta(seconds=60)) == {}
    later = timezone.now() + dt.timedelta(seconds=121)
    # Two minutes pass for the account's backoff too (the publish task reads the real clock).
    AccountPublishingBackoff.unscoped.filter(social_account=variant.social_account).update(
        until=timezone.now() - dt.timedelta(seconds=1)
    )
    assert dispatch_and_publish(now=later) == {variant.pk: "published"}
    # A new attempt, so a new idempotency key.
    keys = [call.request.headers["Idempotency-Key"] for call in route.calls]
    assert keys == [f"{variant.idempotency_key.hex}-1", f"{variant.idempotency_key.hex}-2"]


def test_server_errors_are_retried_with_backoff_then_fail(agency_a, brand_a, mastodon, settings):
    settings.PUBLISH_MAX_TRANSIENT_FAILURES = 3
    variant = scheduled_variant(agency_a, brand_a)
    route = mastodon.post(STATUSES).mock(return_value=httpx.Response(503, json={"error": "down"}))
    # A 5xx may come after the post was created: the network is asked each time, and has none.
    mastodon.get(url__regex=r".*/accounts/.*/statuses").mock(
        return_value=httpx.Response(200, json=[])
    )
    now = timezone.now()
    delays = []
    for _ in range(3):
        dispatch_and_publish(now=now)
        current = fresh(variant)
        if current.state == VariantState.SCHEDULED:
            delays.append((current.next_attempt_at - timezone.now()).total_seconds())
            now = current.next_attempt_at + dt.timedelta(seconds=1)
    assert route.call_count == 3
    # 30 s then 60 s, each ±20 %.
    assert 23 < delays[0] < 37 and 47 < delays[1] < 73
    variant = fresh(variant)
    assert variant.state == VariantState.FAILED
    assert "kept failing" in variant.last_error
    assert variant.post.state == PostState.FAILED
    # Every resend of a send that may have landed carries the same idempotency key.
    keys = {call.request.headers["Idempotency-Key"] for call in route.calls}
    assert keys == {f"{variant.idempotency_key.hex}-1"}


def test_expired_token_marks_the_account_and_fails_the_variant(
    agency_a, brand_a, owner_of_a, mastodon
):
    variant = scheduled_variant(agency_a, brand_a)
    mastodon.post(STATUSES).mock(
        return_value=httpx.Response(401, json={"error": "The access token is invalid"})
    )
    assert dispatch_and_publish() == {variant.pk: "auth_expired"}
    variant = fresh(variant)
    assert variant.state == VariantState.FAILED
    assert "reconnect" in variant.last_error
    assert variant.social_account.status == AccountStatus.NEEDS_RECONNECT


def test_validation_error_fails_with_the_networks_explanation_and_tells_people(
    agency_a, brand_a, owner_of_a, mastodon
):
    WebhookEndpointFactory(agency=agency_a, events=["post.failed"])
    variant = scheduled_variant(agency_a, brand_a)
    mastodon.post(STATUSES).mock(
        return_value=httpx.Response(
            422, json={"error": "Validation failed: Text character limit of 500 exceeded"}
        )
    )
    assert dispatch_and_publish() == {variant.pk: "failed"}
    variant = fresh(variant)
    assert variant.state == VariantState.FAILED
    assert "Text character limit of 500 exceeded" in variant.last_error
    assert Notification.unscoped.filter(recipient=owner_of_a.user, verb="post.failed").exists()
    assert WebhookDelivery.unscoped.filter(agency=agency_a, event="post.failed").count() == 1


def test_a_timeout_asks_the_network_and_finds_the_post(agency_a, brand_a, mastodon):
    variant = scheduled_variant(agency_a, brand_a, text="Ftour offert ce soir")
    account = variant.social_account
    mastodon.post(STATUSES).mock(side_effect=httpx.ReadTimeout("no answer"))
    mastodon.get(f"{MASTODON}/api/v1/accounts/{account.external_id}/statuses").mock(
        return_value=httpx.Response(200, json=[status_json("555", "Ftour offert ce soir")])
    )
    assert dispatch_and_publish() == {variant.pk: "published"}
    assert fresh(variant).external_id == "555"


def test_a_timeout_the_network_does_not_confirm_is_resent_later_with_the_same_key(
    agency_a, brand_a, mastodon
):
    variant = scheduled_variant(agency_a, brand_a, text="Ftour offert ce soir")
    account = variant.social_account
    route = mastodon.post(STATUSES).mock(
        side_effect=[httpx.ReadTimeout("no answer"), httpx.Response(200, json=status_json("8"))]
    )
    lookups = mastodon.get(f"{MASTODON}/api/v1/accounts/{account.external_id}/statuses").mock(
        return_value=httpx.Response(200, json=[])
    )
    assert dispatch_and_publish() == {variant.pk: "transient"}
    assert fresh(variant).state == VariantState.SCHEDULED
    assert lookups.call_count == 1
    later = fresh(variant).next_attempt_at + dt.timedelta(seconds=1)
    assert dispatch_and_publish(now=later) == {variant.pk: "published"}
    assert lookups.call_count == 2, "asked again before the resend"
    keys = [call.request.headers["Idempotency-Key"] for call in route.calls]
    assert keys == [f"{variant.idempotency_key.hex}-1"] * 2


def test_the_first_comment_is_posted_once_after_the_post_succeeds(agency_a, brand_a, mastodon):
    page = SocialAccountFactory(
        agency=agency_a, brand=brand_a, network="facebook", external_id="1044", instance_url=""
    )
    variant = scheduled_variant(agency_a, brand_a, account=page)
    variant.post.first_comment = "Réservez au 05 39 00 00 00"
    variant.post.save()
    graph = "https://graph.facebook.com/v26.0"
    feed = mastodon.post(f"{graph}/1044/feed").mock(
        return_value=httpx.Response(200, json={"id": "1044_778"})
    )
    comments = mastodon.post(f"{graph}/1044_778/comments").mock(
        return_value=httpx.Response(200, json={"id": "1044_778_901"})
    )
    assert dispatch_and_publish() == {variant.pk: "published"}
    assert feed.call_count == 1 and comments.call_count == 1
    assert b"R%C3%A9servez" in comments.calls[0].request.content
    variant = fresh(variant)
    assert variant.external_id == "1044_778"
    assert variant.first_comment_id == "1044_778_901"
