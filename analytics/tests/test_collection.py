"""Collecting metrics on the age ladder: what is due is found by the dispatcher and read once,
a day keeps one row per metric however often it is read, a metric the network does not give
is "not available" (no row) and never 0, and a failed collection shows on the account page.

Mastodon is faked at the transport (respx) with its documented Status and Account entities."""

import datetime as dt

import httpx
import pytest
import respx
from django.urls import reverse

from analytics.models import (
    AccountCollection,
    AccountMetricDay,
    MetricReading,
    PostMetricDay,
    PostMetricsTracker,
)
from analytics.selectors.metrics import account_metric_series, post_metrics_latest
from analytics.services import collection
from analytics.tests.conftest import T
from analytics.tests.fakes import MASTODON, mastodon_account, mastodon_status

H = dt.timedelta(hours=1)
D = dt.timedelta(days=1)


class FakeMastodon:
    def __init__(self, mock, *, account_id: str):
        self.likes, self.followers = 21, 800
        self.status_calls = mock.get(url__regex=rf"{MASTODON}/api/v1/statuses/\w+$").mock(
            side_effect=self.status
        )
        self.account_calls = mock.get(f"{MASTODON}/api/v1/accounts/verify_credentials").mock(
            side_effect=lambda request: httpx.Response(
                200, json=mastodon_account(account_id, followers=self.followers)
            )
        )

    def status(self, request):
        sid = request.url.path.rsplit("/", 1)[-1]
        return httpx.Response(
            200, json=mastodon_status(sid, likes=self.likes, reblogs=7, replies=0)
        )


@pytest.fixture
def mastodon():
    with respx.mock(assert_all_called=False) as mock:
        yield mock


@pytest.fixture
def variant(agency_a, brand_a, published):
    return published(agency_a, brand_a)


@pytest.fixture
def fake(mastodon, variant):
    return FakeMastodon(mastodon, account_id=variant.social_account.external_id)


def dispatch(now):
    """The beat's two steps, with its clock: start schedules, claim due accounts."""
    collection.schedules_start_across_agencies(now=now)
    return collection.accounts_claim_due_across_agencies(now=now)


def collect(agency, account, now, in_agency):
    with in_agency(agency):
        return collection.account_collect(social_account_id=account.pk, now=now)


def accounts_page(client, brand) -> str:
    url = reverse("brands:detail", kwargs={"brand_id": brand.pk}) + "?tab=accounts"
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def tracker_of(variant):
    return PostMetricsTracker.unscoped.get(post_variant=variant)


def test_a_published_post_is_first_read_an_hour_after_publication(
    agency_a, variant, fake, in_agency
):
    account = variant.social_account
    # At T + 30 min the account's own daily reading is due, the post is not yet.
    assert dispatch(T + dt.timedelta(minutes=30)) == [(agency_a.pk, account.pk)]
    assert tracker_of(variant).next_due_at == T + H
    outcome = collect(agency_a, account, T + dt.timedelta(minutes=30), in_agency)
    assert (outcome.status, outcome.posts, outcome.account_read) == ("ok", 0, True)
    assert fake.status_calls.call_count == 0

    # Nothing is due again until the post's first hour.
    assert dispatch(T + dt.timedelta(minutes=59)) == []
    assert dispatch(T + H) == [(agency_a.pk, account.pk)]
    outcome = collect(agency_a, account, T + H, in_agency)
    assert (outcome.posts, outcome.account_read) == (1, False)
    assert tracker_of(variant).next_due_at == T + 2 * H


def test_readings_follow_the_ladder_as_the_post_ages(agency_a, variant, fake, in_agency):
    account = variant.social_account
    dispatch(T)
    readings = []
    for now in (T + H, T + 24 * H, T + 30 * H, T + 7 * D, T + 8 * D, T + 30 * D, T + 86 * D):
        # The collector's clock: each time the dispatcher would have claimed the account.
        PostMetricsTracker.unscoped.filter(post_variant=variant).update(next_due_at=now)
        collect(agency_a, account, now, in_agency)
        readings.append(tracker_of(variant).next_due_at - T)
    assert readings == [2 * H, 30 * H, 36 * H, 8 * D, 9 * D, 37 * D, 90 * D]
    collect_at = T + 90 * D
    PostMetricsTracker.unscoped.filter(post_variant=variant).update(next_due_at=collect_at)
    collect(agency_a, account, collect_at, in_agency)
    assert tracker_of(variant).next_due_at is None  # the ladder is done
    assert dispatch(T + 120 * D + H) == [(agency_a.pk, account.pk)]  # the account still is
    collect(agency_a, account, T + 120 * D + H, in_agency)
    assert tracker_of(variant).collections == 8


def test_a_metric_the_network_does_not_give_is_not_available_never_zero(
    agency_a, variant, fake, in_agency
):
    dispatch(T + H)
    collect(agency_a, variant.social_account, T + H, in_agency)

    with in_agency(agency_a):
        latest = post_metrics_latest(post_variant_ids=[variant.pk])[variant.pk]
    # Mastodon counts favourites, boosts and replies; it has no views, reach or clicks.
    assert (latest["likes"], latest["shares"], latest["comments"]) == (21, 7, 0)
    assert latest["impressions"] is None and latest["reach"] is None
    assert latest["views"] is None and latest["clicks"] is None
    stored = set(PostMetricDay.unscoped.filter(post_variant=variant).values_list("metric", flat=1))
    assert stored == {"likes", "shares", "comments"}  # a real 0 replies is stored, as 0


def test_repeated_readings_keep_one_row_per_metric_and_day(agency_a, variant, fake, in_agency):
    account = variant.social_account
    dispatch(T + H)
    collect(agency_a, account, T + H, in_agency)
    fake.likes = 30
    PostMetricsTracker.unscoped.filter(post_variant=variant).update(next_due_at=T + 2 * H)
    collect(agency_a, account, T + 2 * H, in_agency)
    likes = PostMetricDay.unscoped.filter(post_variant=variant, metric="likes")
    assert list(likes.values_list("day", "value")) == [(T.date(), 30)]

    fake.likes = 35
    PostMetricsTracker.unscoped.filter(post_variant=variant).update(next_due_at=T + D)
    collect(agency_a, account, T + D, in_agency)
    assert list(likes.order_by("day").values_list("day", "value")) == [
        (T.date(), 30),
        ((T + D).date(), 35),
    ]
    # The raw answer of every reading is kept: the series can be rebuilt from it.
    assert MetricReading.unscoped.filter(post_variant=variant).count() == 3
    assert MetricReading.unscoped.filter(post_variant=variant).first().raw["id"] == "113401"


def test_the_account_is_read_once_a_day_and_follower_growth_derived(
    agency_a, variant, fake, in_agency
):
    account = variant.social_account
    dispatch(T)
    collect(agency_a, account, T, in_agency)
    fake.followers = 812
    assert dispatch(T + 23 * H) == [(agency_a.pk, account.pk)]  # the post's reading only
    collect(agency_a, account, T + 23 * H, in_agency)
    assert fake.account_calls.call_count == 1
    dispatch(T + D)
    collect(agency_a, account, T + D, in_agency)
    assert fake.account_calls.call_count == 2
    with in_agency(agency_a):
        followers = account_metric_series(
            social_account_id=account.pk, metric="followers", since=T.date(), until=T.date() + D
        )
        growth = account_metric_series(
            social_account_id=account.pk,
            metric="follower_growth",
            since=T.date(),
            until=T.date() + D,
        )
    assert followers == [(T.date(), 800), (T.date() + D, 812)]
    assert growth == [(T.date() + D, 12)]  # the first day has no day before it to compare
    assert not AccountMetricDay.unscoped.filter(social_account=account, metric="reach").exists()


def test_an_account_claimed_is_not_claimed_again_while_its_lease_runs(agency_a, variant, fake):
    account = variant.social_account
    assert dispatch(T + H) == [(agency_a.pk, account.pk)]
    assert dispatch(T + H) == []
    assert dispatch(T + H + collection.LEASE + dt.timedelta(seconds=1)) == [
        (agency_a.pk, account.pk)
    ]


def test_a_rate_limit_stops_the_account_until_retry_after_and_shows_on_its_page(
    agency_a, brand_a, variant, mastodon, in_agency, login, member_of_a
):
    account = variant.social_account
    mastodon.get(f"{MASTODON}/api/v1/statuses/113401").respond(
        429, headers={"Retry-After": "600"}, json={"error": "Too many requests"}
    )
    dispatch(T + H)
    outcome = collect(agency_a, account, T + H, in_agency)

    assert outcome.status == "rate_limited"
    state = AccountCollection.unscoped.get(social_account=account)
    assert state.wait_until == T + H + dt.timedelta(seconds=600) and state.lease_until is None
    assert tracker_of(variant).next_due_at == T + H  # still due: nothing skipped
    assert dispatch(T + H + dt.timedelta(seconds=599)) == []
    assert dispatch(T + H + dt.timedelta(seconds=600)) == [(agency_a.pk, account.pk)]

    # The agency works in French: the page, and the error written for it.
    page = accounts_page(login(member_of_a), brand_a)
    assert "Échec du relevé des statistiques" in page
    assert "Mastodon nous a demandé de ralentir ; le relevé reprendra plus tard." in page


def test_a_failure_backs_off_and_a_later_success_clears_it(agency_a, variant, mastodon, in_agency):
    account = variant.social_account
    route = mastodon.get(f"{MASTODON}/api/v1/statuses/113401")
    route.respond(503, json={"error": "Service unavailable"})
    dispatch(T + H)
    assert collect(agency_a, account, T + H, in_agency).status == "failed"
    state = AccountCollection.unscoped.get(social_account=account)
    assert state.wait_until == T + H + collection.FIRST_BACKOFF
    assert state.last_error and state.last_error_at == T + H

    route.respond(200, json=mastodon_status("113401", likes=3, reblogs=0, replies=0))
    mastodon.get(f"{MASTODON}/api/v1/accounts/verify_credentials").respond(
        200, json=mastodon_account(account.external_id, followers=10)
    )
    later = T + 2 * H
    dispatch(later)
    assert collect(agency_a, account, later, in_agency).status == "ok"
    state.refresh_from_db()
    assert (state.last_error, state.failures, state.last_collected_at) == ("", 0, later)


def test_an_account_that_must_be_reconnected_is_not_claimed(agency_a, variant, fake):
    account = variant.social_account
    account.status = "needs_reconnect"
    account.save()
    assert dispatch(T + H) == []


def test_the_account_page_says_when_metrics_were_last_collected(
    agency_a, brand_a, variant, fake, in_agency, login, member_of_a
):
    dispatch(T + H)
    collect(agency_a, variant.social_account, T + H, in_agency)
    page = accounts_page(login(member_of_a), brand_a)
    assert "Statistiques relevées le" in page and "Échec du relevé" not in page


def test_another_agencys_metrics_are_not_read(agency_a, agency_b, variant, fake, in_agency):
    dispatch(T + H)
    collect(agency_a, variant.social_account, T + H, in_agency)
    with in_agency(agency_b):
        assert post_metrics_latest(post_variant_ids=[variant.pk])[variant.pk]["likes"] is None
        assert not PostMetricDay.objects.exists()


def test_the_beat_task_queues_one_collection_per_account_that_reads_it(
    agency_a, brand_a, published, mastodon, eager_tasks, django_capture_on_commit_callbacks
):
    from django.utils import timezone

    from analytics.tasks import dispatch_metric_collection

    variant = published(agency_a, brand_a, at=timezone.now() - 2 * H)
    FakeMastodon(mastodon, account_id=variant.social_account.external_id)
    with django_capture_on_commit_callbacks(execute=True):
        assert dispatch_metric_collection() == 1
    assert PostMetricDay.unscoped.filter(post_variant=variant, metric="likes").get().value == 21
    state = AccountCollection.unscoped.get(social_account=variant.social_account)
    assert state.lease_until is None and state.last_collected_at is not None


def test_the_failure_is_written_in_the_agencys_language(agency_a, variant, mastodon, in_agency):
    from django.utils import translation

    from analytics.selectors.collection import collection_notes

    agency_a.language = "fr"
    agency_a.save()
    mastodon.get(f"{MASTODON}/api/v1/statuses/113401").respond(
        429, headers={"Retry-After": "60"}, json={"error": "Too many requests"}
    )
    dispatch(T + H)
    collect(agency_a, variant.social_account, T + H, in_agency)
    with in_agency(agency_a), translation.override("fr"):
        [note] = collection_notes([variant.social_account])[variant.social_account.pk]
    assert note.text == "Échec du relevé des statistiques"
    assert note.error == "Mastodon nous a demandé de ralentir ; le relevé reprendra plus tard."
