"""Google Business Profile: a location's reviews (read, replied, the reply deleted) and its
daily metrics, against payloads shaped like Google's documented Review and
fetchMultiDailyMetricsTimeSeries responses."""

import json
from datetime import UTC, date, datetime
from urllib.parse import parse_qs

import httpx
import pytest
import respx

from networks.base import Credentials, NotSupported, PermanentError, TransientError
from networks.google_business.adapter import GoogleBusinessAdapter

from .conftest import load

LOCATION = "accounts/108261983375230571234/locations/4511237863512908765"
V4 = "https://mybusiness.googleapis.com/v4"
REVIEWS = f"{V4}/{LOCATION}/reviews"
REVIEW = f"{LOCATION}/reviews/AbFvOqmQ1"
CREDS = Credentials(access_token="ya29.a0", refresh_token="1//0g", external_id=LOCATION)


@pytest.fixture
def adapter(make_adapter):
    return make_adapter(GoogleBusinessAdapter)


# ------------------------------------------------------------------ reviews


@respx.mock
def test_reviews_are_the_locations_comments_with_their_rating_and_reply(adapter):
    route = respx.get(REVIEWS).mock(
        side_effect=[
            httpx.Response(200, json=load("google_business_reviews.json")),
            httpx.Response(200, json=load("google_business_reviews_page2.json")),
        ]
    )

    comments = adapter.list_comments(CREDS, LOCATION)

    assert [c.external_id.rsplit("/", 1)[1] for c in comments] == [
        "AbFvOqmQ1",
        "AbFvOqkZ2",
        "reply",
        "AbFvOqaa3",
    ]
    slow, wordless, reply, _older = comments
    assert slow.raw["rating"] == 2 and slow.author.name == "Youssef El Amrani"
    assert slow.created_at == datetime(2026, 12, 5, 8, 12, 44, 103000, tzinfo=UTC)
    assert wordless.text == "★★★★★" and wordless.raw["starRating"] == "FIVE"
    assert reply.parent_id == wordless.external_id
    assert reply.author.external_id == LOCATION  # the business's own answer
    query = parse_qs(route.calls[0].request.url.query.decode())
    assert query["orderBy"] == ["updateTime desc"]


@respx.mock
def test_reviews_since_a_time_stop_at_the_first_older_one(adapter):
    route = respx.get(REVIEWS).respond(200, json=load("google_business_reviews.json"))
    comments = adapter.list_comments(CREDS, LOCATION, since=datetime(2026, 12, 3, tzinfo=UTC))
    assert [c.external_id for c in comments] == [REVIEW]
    assert route.call_count == 1


@respx.mock(assert_all_called=False)
def test_a_local_post_has_no_comments_and_costs_no_call(adapter):
    assert adapter.list_comments(CREDS, f"{LOCATION}/localPosts/1") == []
    assert not respx.calls


@respx.mock
def test_replying_puts_the_reply_and_finding_it_again_reads_the_review(adapter):
    put = respx.put(f"{V4}/{REVIEW}/reply").respond(
        200, json=load("google_business_review_reply.json")
    )
    respx.get(f"{V4}/{REVIEW}").respond(200, json=load("google_business_review.json"))
    text = "Toutes nos excuses Youssef : nous renforçons l'équipe du matin."

    reply_id = adapter.reply(CREDS, REVIEW, text)

    assert reply_id == f"{REVIEW}/reply"
    assert json.loads(put.calls.last.request.content) == {"comment": text}
    assert adapter.find_existing_reply(CREDS, REVIEW, text) == reply_id
    assert adapter.find_existing_reply(CREDS, REVIEW, "Autre réponse") is None


@respx.mock
def test_a_reply_that_times_out_may_be_sent_again_it_replaces_itself(adapter):
    respx.put(f"{V4}/{REVIEW}/reply").mock(side_effect=httpx.ReadTimeout("slow"))
    with pytest.raises(TransientError):  # PUT is an upsert: not an unknown outcome
        adapter.reply(CREDS, REVIEW, "Merci")


@respx.mock
def test_only_the_owners_reply_can_be_deleted(adapter):
    route = respx.delete(f"{V4}/{REVIEW}/reply").respond(200, json={})
    adapter.delete_comment(CREDS, f"{REVIEW}/reply")
    assert route.called
    with pytest.raises(PermanentError) as caught:
        adapter.delete_comment(CREDS, REVIEW)
    assert caught.value.code == "review_not_deletable"


def test_an_overlong_reply_is_refused_before_sending(adapter):
    with pytest.raises(PermanentError) as caught:
        adapter.reply(CREDS, REVIEW, "é" * 2049)
    assert caught.value.code == "reply_too_long"


# ------------------------------------------------------------------ metrics


@respx.mock
def test_daily_metrics_add_up_impressions_and_clicks_per_day(adapter):
    route = respx.get(
        "https://businessprofileperformance.googleapis.com/v1/locations/4511237863512908765"
        ":fetchMultiDailyMetricsTimeSeries"
    ).respond(200, json=load("google_business_performance.json"))

    days = adapter.account_metrics_days(CREDS, since=date(2026, 11, 30), until=date(2026, 12, 1))

    assert [(d.day, d.impressions, d.clicks) for d in days] == [
        (date(2026, 11, 30), 676, 34),
        (date(2026, 12, 1), 622, 20),  # CALL_CLICKS without a value: zero, as Google omits it
    ]
    assert days[1].followers is None and days[1].values() == {"impressions": 622, "clicks": 20}
    query = parse_qs(route.calls.last.request.url.query.decode())
    assert "WEBSITE_CLICKS" in query["dailyMetrics"]
    assert query["dailyRange.startDate.day"] == ["30"]
    assert query["dailyRange.endDate.month"] == ["12"]


@respx.mock
def test_account_metrics_are_googles_latest_day(adapter):
    respx.get(url__startswith="https://businessprofileperformance.googleapis.com/").respond(
        200, json=load("google_business_performance.json")
    )
    latest = adapter.account_metrics(CREDS)
    assert latest.day == date(2026, 12, 1)


def test_local_posts_have_no_metrics(adapter):
    with pytest.raises(NotSupported):
        adapter.post_metrics(CREDS, f"{LOCATION}/localPosts/1")
