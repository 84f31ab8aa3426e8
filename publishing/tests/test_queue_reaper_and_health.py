"""A person's retry and resolve, the reaper, /health/ and the queue page."""

import datetime as dt

import httpx
import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from campaigns.models import PostState, PostVariant, VariantState
from publishing import decisions, dispatch, heartbeats, reaper
from publishing.tests.helpers import (
    MASTODON,
    STATUSES,
    dispatch_and_publish,
    fresh,
    scheduled_variant,
    status_json,
)


@pytest.fixture(autouse=True)
def _in_english():
    # These tests read the engine's messages; the product's default language is French.
    with translation.override("en"):
        yield


# --- Retry and resolve ---------------------------------------------------------------------------


def test_retry_acts_on_failed_variants_only(agency_a, brand_a, member_of_a, mastodon, in_agency):
    mastodon.post(STATUSES).mock(
        side_effect=[
            httpx.Response(422, json={"error": "Validation failed"}),
            httpx.Response(200, json=status_json()),
        ]
    )
    variant = scheduled_variant(agency_a, brand_a)
    dispatch_and_publish()
    with in_agency(agency_a):
        decisions.variant_retry(actor=member_of_a, post_variant=fresh(variant))
    assert fresh(variant).state == VariantState.SCHEDULED
    assert dispatch_and_publish() == {variant.pk: "published"}
    with in_agency(agency_a), pytest.raises(ValidationError):
        decisions.variant_retry(actor=member_of_a, post_variant=fresh(variant))
    assert fresh(variant).state == VariantState.PUBLISHED


def test_a_person_resolves_a_variant_that_needs_attention(
    agency_a, brand_a, member_of_a, mastodon, in_agency, settings
):
    settings.PUBLISH_MAX_TRANSIENT_FAILURES = 1  # the network cannot be asked: a person decides
    mastodon.post(STATUSES).mock(side_effect=httpx.ReadTimeout("no answer"))
    mastodon.get(url__regex=r".*/accounts/.*/statuses").mock(
        return_value=httpx.Response(403, json={})
    )
    one = scheduled_variant(agency_a, brand_a, text="Un")
    two = scheduled_variant(agency_a, brand_a, text="Deux")
    dispatch_and_publish()
    with in_agency(agency_a):
        decisions.variant_resolve(
            actor=member_of_a,
            post_variant=fresh(one),
            outcome="published",
            external_url="https://mastodon.social/@cafe/1",
        )
        decisions.variant_resolve(
            actor=member_of_a, post_variant=fresh(two), outcome="publish_again"
        )
    assert fresh(one).state == VariantState.PUBLISHED
    assert fresh(one).post.state == PostState.PUBLISHED
    assert fresh(two).state == VariantState.SCHEDULED


# --- Reaper ------------------------------------------------------------------------------------


def _claimed(agency, brand, text, *, started: bool):
    variant = scheduled_variant(agency, brand, text=text)
    dispatch.due_variants_claim_across_agencies()
    if started:
        PostVariant.unscoped.filter(pk=variant.pk).update(call_started_at=timezone.now())
    return variant


def test_the_reaper_asks_the_network_and_never_resends_blindly(agency_a, brand_a, mastodon):
    never_sent = _claimed(agency_a, brand_a, "Jamais parti", started=False)
    found = _claimed(agency_a, brand_a, "Bien arrivé", started=True)
    missing = _claimed(agency_a, brand_a, "Perdu en route", started=True)
    unknown = _claimed(agency_a, brand_a, "Inconnu", started=True)
    for variant, body in ((found, [status_json("77", "Bien arrivé")]), (missing, [])):
        account = variant.social_account
        mastodon.get(f"{MASTODON}/api/v1/accounts/{account.external_id}/statuses").mock(
            return_value=httpx.Response(200, json=body)
        )
    mastodon.get(f"{MASTODON}/api/v1/accounts/{unknown.social_account.external_id}/statuses").mock(
        return_value=httpx.Response(403, json={"error": "This action is not allowed"})
    )
    post_route = mastodon.post(STATUSES).mock(return_value=httpx.Response(200, json=status_json()))

    assert reaper.expired_publications_reap_across_agencies() == {}, "leases still running"
    later = timezone.now() + dt.timedelta(hours=1)
    decisions = reaper.expired_publications_reap_across_agencies(now=later)
    assert decisions == {
        never_sent.pk: "requeued",
        found.pk: "published",
        missing.pk: "republished",
        unknown.pk: "needs_attention",
    }
    assert post_route.call_count == 0, "the reaper itself never posts"
    assert fresh(found).external_id == "77"
    assert fresh(never_sent).state == VariantState.SCHEDULED
    assert "does not have the post" in fresh(missing).last_error
    assert fresh(unknown).state == VariantState.NEEDS_ATTENTION


# --- Health -----------------------------------------------------------------------------------


def test_health_is_unhealthy_when_no_worker_consumes(client, agency_a, brand_a, settings):
    cache.delete(heartbeats.HEARTBEAT_WORKER)
    cache.delete(heartbeats.HEARTBEAT_DISPATCHER)
    scheduled_variant(agency_a, brand_a, due=timezone.now() - dt.timedelta(minutes=10))
    response = client.get("/health/")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unhealthy"
    assert body["database"] == "ok"
    assert body["worker"]["alive"] is False
    assert body["queue"]["late"] is True


def test_health_is_ok_with_fresh_heartbeats_and_nothing_late(client, agency_a, brand_a):
    now = timezone.now().timestamp()
    cache.set(heartbeats.HEARTBEAT_WORKER, now)
    cache.set(heartbeats.HEARTBEAT_DISPATCHER, now)
    scheduled_variant(agency_a, brand_a, due=timezone.now() + dt.timedelta(minutes=10))
    response = client.get("/health/")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "ok"


def test_the_queue_page_shows_each_kind_and_its_actions(
    agency_a, brand_a, member_of_a, login, mastodon
):
    mastodon.post(STATUSES).mock(
        return_value=httpx.Response(422, json={"error": "Validation failed: Text is too long"})
    )
    failed = scheduled_variant(agency_a, brand_a, text="Raté")
    dispatch_and_publish()
    upcoming = scheduled_variant(
        agency_a, brand_a, text="Demain", due=timezone.now() + dt.timedelta(days=1)
    )
    client = login(member_of_a)
    page = client.get(reverse("publishing:publishing_queue")).content.decode()
    assert "Text is too long" in page
    assert str(upcoming.post) in page
    response = client.post(
        reverse("publishing:post_variant_retry", kwargs={"post_variant_id": failed.pk})
    )
    assert response.status_code == 302
    assert fresh(failed).state == VariantState.SCHEDULED
