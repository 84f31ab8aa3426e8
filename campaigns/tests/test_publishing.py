"""The publishing engine in-process: claims, each error kind of the networks, the reaper, the
kill switches, time zones, retries and health. The network is faked at the HTTP transport
(respx) with Mastodon's documented responses; the database is real."""

import datetime as dt
import json
import zoneinfo

import httpx
import pytest
import respx
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from campaigns import publishing
from campaigns.models import (
    AccountPublishingBackoff,
    AgencyPublishingPause,
    PostMetricSnapshot,
    PostState,
    PostVariant,
    VariantState,
)
from campaigns.services.posts import post_update
from campaigns.services.workflow import post_cancel
from campaigns.tests.factories import PostFactory, PostVariantFactory, PublishingPolicyFactory
from campaigns.times import to_utc
from clients.models import AccountStatus
from clients.tests.factories import SocialAccountFactory
from notifications.models import Notification
from webhooks.models import WebhookDelivery
from webhooks.tests.factories import WebhookEndpointFactory

MASTODON = "https://mastodon.social"
STATUSES = f"{MASTODON}/api/v1/statuses"


@pytest.fixture(autouse=True)
def _in_english():
    # These tests read the engine's messages; the product's default language is French.
    with translation.override("en"):
        yield


def status_json(status_id="109", text="Bonjour Tanger !"):
    """A status as POST /api/v1/statuses answers (Mastodon docs: entities/Status)."""
    return {
        "id": status_id,
        # Just now: a lookup only takes a post created after the send started.
        "created_at": dt.datetime.now(dt.UTC).isoformat().replace("+00:00", "Z"),
        "url": f"https://mastodon.social/@cafe/{status_id}",
        "uri": f"https://mastodon.social/users/cafe/statuses/{status_id}",
        "content": f"<p>{text}</p>",
        "visibility": "public",
        "replies_count": 0,
        "reblogs_count": 0,
        "favourites_count": 0,
    }


def scheduled_variant(agency, brand, *, due=None, text="Bonjour Tanger !", account=None):
    due = due or timezone.now() - dt.timedelta(seconds=5)
    post = PostFactory(
        agency=agency, brand=brand, text=text, state=PostState.SCHEDULED, scheduled_at=due
    )
    account = account or SocialAccountFactory(
        agency=agency, brand=brand, network="mastodon", instance_url=MASTODON
    )
    return PostVariantFactory(
        agency=agency, post=post, social_account=account, state=VariantState.SCHEDULED, due_at=due
    )


def dispatch_and_publish(now=None):
    """What beat and a worker do, in-process: claim, then run each claimed publish."""
    claims = publishing.due_variants_claim_unscoped(now=now)
    outcomes = {}
    for claim in claims:
        from agency.tenancy import tenant_scope

        with tenant_scope(claim.agency_id):
            outcomes[claim.post_variant_id] = publishing.variant_publish(
                post_variant_id=claim.post_variant_id, attempt=claim.attempt
            )
    return outcomes


def fresh(variant):
    return PostVariant.unscoped.get(pk=variant.pk)


@pytest.fixture
def mastodon():
    with respx.mock(assert_all_called=False) as router:
        yield router


# --- Success -----------------------------------------------------------------------------------


def test_a_due_variant_is_published_once_with_its_idempotency_key(
    agency_a, brand_a, mastodon, django_capture_on_commit_callbacks
):
    WebhookEndpointFactory(agency=agency_a, events=["post.published", "post.failed"])
    variant = scheduled_variant(agency_a, brand_a)
    route = mastodon.post(STATUSES).mock(return_value=httpx.Response(200, json=status_json()))

    with django_capture_on_commit_callbacks(execute=False) as queued:
        claims = publishing.due_variants_claim_unscoped()
    assert [c.post_variant_id for c in claims] == [variant.pk]
    assert queued, "the publish task is queued on commit"
    assert fresh(variant).state == VariantState.PUBLISHING
    assert fresh(variant).post.state == PostState.PUBLISHING

    from agency.tenancy import tenant_scope

    with tenant_scope(agency_a):
        assert publishing.variant_publish(post_variant_id=variant.pk, attempt=1) == "published"
        # The same message delivered again (or a second worker) never calls the network.
        assert publishing.variant_publish(post_variant_id=variant.pk, attempt=1) == "skipped"

    assert route.call_count == 1
    request = route.calls[0].request
    assert request.headers["Idempotency-Key"] == f"{variant.idempotency_key.hex}-1"
    assert json.loads(request.content)["status"].startswith("Bonjour Tanger")
    variant = fresh(variant)
    assert variant.state == VariantState.PUBLISHED
    assert variant.external_id == "109"
    assert variant.external_url == "https://mastodon.social/@cafe/109"
    assert variant.post.state == PostState.PUBLISHED
    assert sorted(
        PostMetricSnapshot.unscoped.filter(post_variant=variant).values_list("window", flat=True)
    ) == ["1h", "24h", "7d"]
    assert WebhookDelivery.unscoped.filter(agency=agency_a, event="post.published").count() == 1


def test_nothing_is_claimed_before_its_due_time(agency_a, brand_a):
    due = timezone.now() + dt.timedelta(minutes=5)
    scheduled_variant(agency_a, brand_a, due=due)
    assert publishing.due_variants_claim_unscoped(now=due - dt.timedelta(seconds=1)) == []
    assert len(publishing.due_variants_claim_unscoped(now=due)) == 1


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


# --- Edited, cancelled, deleted, paused -------------------------------------------------------


def test_a_post_edited_after_scheduling_is_not_published_in_its_old_form(
    agency_a, brand_a, member_of_a, mastodon, in_agency
):
    variant = scheduled_variant(agency_a, brand_a, due=timezone.now() + dt.timedelta(minutes=1))
    with in_agency(agency_a):
        post_update(actor=member_of_a, post=variant.post, text="Nouveau texte")
    assert (
        publishing.due_variants_claim_unscoped(now=timezone.now() + dt.timedelta(minutes=2)) == []
    )
    assert fresh(variant).state == VariantState.PENDING
    assert fresh(variant).post.state == PostState.IN_REVIEW


def test_a_cancelled_post_is_not_published(agency_a, brand_a, member_of_a, in_agency):
    variant = scheduled_variant(agency_a, brand_a, due=timezone.now() + dt.timedelta(minutes=1))
    with in_agency(agency_a):
        post_cancel(actor=member_of_a, post=variant.post)
    assert publishing.due_variants_claim_unscoped(now=timezone.now() + dt.timedelta(hours=1)) == []
    assert fresh(variant).state == VariantState.CANCELLED


def test_a_post_deleted_before_or_after_the_claim_is_not_published(agency_a, brand_a, mastodon):
    route = mastodon.post(STATUSES).mock(return_value=httpx.Response(200, json=status_json()))
    before = scheduled_variant(agency_a, brand_a)
    before.post.delete()
    assert publishing.due_variants_claim_unscoped() == []
    after = scheduled_variant(agency_a, brand_a)
    claims = publishing.due_variants_claim_unscoped()
    after.post.delete()
    from agency.tenancy import tenant_scope

    with tenant_scope(agency_a):
        assert publishing.variant_publish(post_variant_id=claims[0].post_variant_id) == "gone"
    assert route.call_count == 0


def test_a_post_whose_variant_is_claimed_can_no_longer_be_edited(
    agency_a, brand_a, member_of_a, in_agency
):
    variant = scheduled_variant(agency_a, brand_a)
    publishing.due_variants_claim_unscoped()
    with in_agency(agency_a), pytest.raises(ValidationError):
        post_update(actor=member_of_a, post=fresh(variant).post, text="Trop tard")


def test_the_brand_and_agency_kill_switches_pause_publishing(
    agency_a, brand_a, owner_of_a, agency_b, brand_b
):
    variant = scheduled_variant(agency_a, brand_a)
    other = scheduled_variant(agency_b, brand_b)
    policy = PublishingPolicyFactory(agency=agency_a, brand=brand_a, publishing_paused=True)
    assert [c.post_variant_id for c in publishing.due_variants_claim_unscoped()] == [other.pk]
    policy.publishing_paused = False
    policy.save()
    publishing.agency_publishing_pause_set(actor=owner_of_a, paused=True)
    assert publishing.due_variants_claim_unscoped() == []
    assert fresh(variant).state == VariantState.SCHEDULED
    publishing.agency_publishing_pause_set(actor=owner_of_a, paused=False)
    assert AgencyPublishingPause.unscoped.get(agency=agency_a).paused is False
    assert [c.post_variant_id for c in publishing.due_variants_claim_unscoped()] == [variant.pk]


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
        publishing.variant_retry(actor=member_of_a, post_variant=fresh(variant))
    assert fresh(variant).state == VariantState.SCHEDULED
    assert dispatch_and_publish() == {variant.pk: "published"}
    with in_agency(agency_a), pytest.raises(ValidationError):
        publishing.variant_retry(actor=member_of_a, post_variant=fresh(variant))
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
        publishing.variant_resolve(
            actor=member_of_a,
            post_variant=fresh(one),
            outcome="published",
            external_url="https://mastodon.social/@cafe/1",
        )
        publishing.variant_resolve(
            actor=member_of_a, post_variant=fresh(two), outcome="publish_again"
        )
    assert fresh(one).state == VariantState.PUBLISHED
    assert fresh(one).post.state == PostState.PUBLISHED
    assert fresh(two).state == VariantState.SCHEDULED


# --- Reaper ------------------------------------------------------------------------------------


def _claimed(agency, brand, text, *, started: bool):
    variant = scheduled_variant(agency, brand, text=text)
    publishing.due_variants_claim_unscoped()
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

    assert publishing.expired_publications_reap_unscoped() == {}, "leases still running"
    later = timezone.now() + dt.timedelta(hours=1)
    decisions = publishing.expired_publications_reap_unscoped(now=later)
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


# --- Time zones -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("zone", "local", "utc"),
    [
        # Morocco is UTC+1, and UTC+0 during Ramadan (2026: from 15 February to 22 March).
        ("Africa/Casablanca", "2026-02-14 20:00", "2026-02-14 19:00"),
        ("Africa/Casablanca", "2026-02-20 20:00", "2026-02-20 20:00"),
        ("Africa/Casablanca", "2026-03-23 20:00", "2026-03-23 19:00"),
        # Paris: winter UTC+1, summer UTC+2 (from 29 March 2026, 02:00 -> 03:00).
        ("Europe/Paris", "2026-03-28 09:30", "2026-03-28 08:30"),
        ("Europe/Paris", "2026-03-29 09:30", "2026-03-29 07:30"),
        ("Europe/Paris", "2026-10-25 09:30", "2026-10-25 08:30"),
    ],
)
def test_publishing_happens_at_the_intended_wall_clock_time(agency_a, brand_a, zone, local, utc):
    brand_a.time_zone = zone
    brand_a.save()
    due = to_utc(dt.datetime.fromisoformat(local), zone)
    assert due == dt.datetime.fromisoformat(utc).replace(tzinfo=dt.UTC)
    variant = scheduled_variant(agency_a, brand_a, due=due)
    assert publishing.due_variants_claim_unscoped(now=due - dt.timedelta(seconds=1)) == []
    assert [c.post_variant_id for c in publishing.due_variants_claim_unscoped(now=due)] == [
        variant.pk
    ]
    wall = fresh(variant).due_at.astimezone(zoneinfo.ZoneInfo(zone)).strftime("%Y-%m-%d %H:%M")
    assert wall == local


# --- Metrics ----------------------------------------------------------------------------------


def test_metrics_are_collected_when_their_window_comes(agency_a, brand_a, mastodon, in_agency):
    mastodon.post(STATUSES).mock(return_value=httpx.Response(200, json=status_json("42")))
    mastodon.get(f"{STATUSES}/42").mock(
        return_value=httpx.Response(
            200, json={**status_json("42"), "favourites_count": 12, "reblogs_count": 3}
        )
    )
    variant = scheduled_variant(agency_a, brand_a)
    dispatch_and_publish()
    assert not publishing.due_metric_snapshots_unscoped(now=timezone.now())
    due = list(publishing.due_metric_snapshots_unscoped(now=timezone.now() + dt.timedelta(hours=2)))
    assert [s.window for s in due] == ["1h"]
    with in_agency(agency_a):
        assert publishing.metric_snapshot_collect(post_metric_snapshot_id=due[0].pk) == "taken"
        assert publishing.metric_snapshot_collect(post_metric_snapshot_id=due[0].pk) == "skipped"
    snapshot = PostMetricSnapshot.unscoped.get(post_variant=variant, window="1h")
    assert (snapshot.likes, snapshot.shares, snapshot.comments) == (12, 3, 0)


# --- Health -----------------------------------------------------------------------------------


def test_health_is_unhealthy_when_no_worker_consumes(client, agency_a, brand_a, settings):
    cache.delete(publishing.HEARTBEAT_WORKER)
    cache.delete(publishing.HEARTBEAT_DISPATCHER)
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
    cache.set(publishing.HEARTBEAT_WORKER, now)
    cache.set(publishing.HEARTBEAT_DISPATCHER, now)
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
    page = client.get(reverse("campaigns:publishing_queue")).content.decode()
    assert "Text is too long" in page
    assert str(upcoming.post) in page
    response = client.post(
        reverse("campaigns:post_variant_retry", kwargs={"post_variant_id": failed.pk})
    )
    assert response.status_code == 302
    assert fresh(failed).state == VariantState.SCHEDULED


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
