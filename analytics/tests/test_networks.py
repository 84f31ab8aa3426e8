"""Each network's answers, in its documented shape, land in the one vocabulary through the
collector: Facebook /{post-id}/insights and Page insights (period=day, re-read for three days),
Instagram /{media-id}/insights and user insights, LinkedIn organizationalEntityShareStatistics
and networkSizes, X public_metrics, Bluesky's post counts. What a network does not give has no
row ("not available")."""

import datetime as dt

import httpx
import pytest
import respx

from analytics.models import AccountMetricDay, PostMetricDay
from analytics.services import collection
from analytics.tests.conftest import T
from analytics.tests.fakes import bluesky_post, graph_daily
from networks.tests.conftest import load

D = dt.timedelta(days=1)
GRAPH = r"https://graph\.facebook\.com/v[0-9.]+"
PAGE = "104729925234"
FB_POST = "104729925234_122106371212345678"


def run(agency, variant, now, in_agency):
    collection.schedules_start_across_agencies(now=now)
    assert collection.accounts_claim_due_across_agencies(now=now)
    with in_agency(agency):
        outcome = collection.account_collect(social_account_id=variant.social_account_id, now=now)
    assert outcome.status == "ok", outcome.error
    return outcome


def post_values(variant) -> dict[str, int]:
    return dict(PostMetricDay.unscoped.filter(post_variant=variant).values_list("metric", "value"))


def account_values(account, day) -> dict[str, int]:
    return dict(
        AccountMetricDay.unscoped.filter(social_account=account, day=day).values_list(
            "metric", "value"
        )
    )


@pytest.fixture
def mock():
    with respx.mock(assert_all_called=False) as router:
        yield router


def test_facebook_post_views_reach_clicks_and_counts_no_impressions(
    agency_a, brand_a, published, mock, in_agency
):
    variant = published(agency_a, brand_a, network="facebook", external_id=FB_POST)
    account = variant.social_account
    account.external_id = PAGE
    account.save()
    mock.get(url__regex=rf"{GRAPH}/{FB_POST}/insights").respond(
        200, json=load("facebook_insights.json")
    )
    mock.get(url__regex=rf"{GRAPH}/{FB_POST}(\?|$)").respond(
        200, json=load("facebook_post_counts.json")
    )
    page_insights = mock.get(url__regex=rf"{GRAPH}/{PAGE}/insights")
    page_insights.respond(200, json={"data": [], "paging": {}})
    mock.get(url__regex=rf"{GRAPH}/{PAGE}(\?|$)").respond(
        200, json={"id": PAGE, "followers_count": 5210, "fan_count": 4980}
    )

    run(agency_a, variant, T + dt.timedelta(hours=1), in_agency)

    assert post_values(variant) == {
        "views": 5120,
        "reach": 3900,
        "clicks": 210,
        "likes": 340,
        "comments": 45,
        "shares": 12,
    }


def test_facebook_page_days_are_read_again_for_three_days_and_corrected(
    agency_a, brand_a, published, mock, in_agency
):
    variant = published(agency_a, brand_a, network="facebook", external_id=FB_POST)
    account = variant.social_account
    account.external_id = PAGE
    account.save()
    mock.get(url__regex=rf"{GRAPH}/{FB_POST}.*").respond(200, json={"data": []})
    mock.get(url__regex=rf"{GRAPH}/{PAGE}(\?|$)").respond(
        200, json={"id": PAGE, "followers_count": 5210, "fan_count": 4980}
    )
    day = T.date()
    reach = {day - 3 * D: 900, day - 2 * D: 950, day - D: 400}  # yesterday not final yet
    route = mock.get(url__regex=rf"{GRAPH}/{PAGE}/insights")

    def insights(request):
        return httpx.Response(
            200,
            json={
                "data": [
                    graph_daily("page_total_media_view_unique", "Daily Total Reach", reach, PAGE),
                    graph_daily(
                        "page_daily_follows_unique",
                        "Daily New Follows",
                        {d: 3 for d in reach},
                        PAGE,
                    ),
                ],
                "paging": {},
            },
        )

    route.mock(side_effect=insights)
    run(agency_a, variant, T, in_agency)
    params = route.calls.last.request.url.params
    assert (params["period"], params["since"], params["until"]) == (
        "day",
        (day - 3 * D).isoformat(),
        (day + D).isoformat(),
    )
    assert account_values(account, day - D) == {"reach": 400, "follower_growth": 3}
    assert account_values(account, day)["followers"] == 5210

    reach[day - D] = 980  # Facebook corrected yesterday's figure
    reach[day] = 1010
    run(agency_a, variant, T + D, in_agency)
    assert account_values(account, day - D)["reach"] == 980
    rows = AccountMetricDay.unscoped.filter(social_account=account, metric="reach")
    assert rows.count() == 4  # one per day, however often read


def test_instagram_media_and_user_insights(agency_a, brand_a, published, mock, in_agency):
    media = "17920238422030506"
    variant = published(agency_a, brand_a, network="instagram", external_id=media)
    account = variant.social_account
    user = account.external_id
    mock.get(url__regex=rf"{GRAPH}/{media}/insights").respond(
        200, json=load("instagram_insights.json")
    )
    mock.get(url__regex=rf"{GRAPH}/{user}(\?|$)").respond(
        200, json={"id": user, "followers_count": 15400, "media_count": 210}
    )
    day = T.date()
    mock.get(url__regex=rf"{GRAPH}/{user}/insights").respond(
        200,
        json={
            "data": [
                graph_daily("reach", "Reach", {day - D: 3100}, user),
                graph_daily("follower_count", "Follower Count", {day - D: 27}, user),
            ],
            "paging": {},
        },
    )

    run(agency_a, variant, T + dt.timedelta(hours=1), in_agency)

    assert post_values(variant) == {
        "views": 8400,
        "reach": 6100,
        "likes": 530,
        "comments": 41,
        "shares": 18,
        "saves": 66,
    }
    assert account_values(account, day - D) == {"reach": 3100, "follower_growth": 27}
    assert account_values(account, day) == {"followers": 15400}


def test_linkedin_share_statistics_and_followers(agency_a, brand_a, published, mock, in_agency):
    share = "urn:li:share:7168012345678901248"
    variant = published(
        agency_a,
        brand_a,
        network="linkedin",
        external_id=share,
    )
    account = variant.social_account
    account.external_id = "urn:li:organization:2414183"
    account.save()
    api = "https://api.linkedin.com/rest"
    mock.get(url__startswith=f"{api}/organizationalEntityShareStatistics").respond(
        200, json=load("linkedin_share_statistics.json")
    )
    mock.get(url__startswith=f"{api}/networkSizes/").respond(
        200, json=load("linkedin_network_size.json")
    )

    run(agency_a, variant, T + dt.timedelta(hours=1), in_agency)

    assert post_values(variant) == {
        "impressions": 3900,
        "reach": 2400,
        "clicks": 96,
        "likes": 120,
        "comments": 9,
        "shares": 14,
    }
    assert set(account_values(account, T.date())) == {"followers"}


def test_x_public_metrics(agency_a, brand_a, published, mock, in_agency):
    tweet = "1445880548472328192"
    variant = published(agency_a, brand_a, network="x", external_id=tweet)
    mock.get(url__startswith=f"https://api.x.com/2/tweets/{tweet}").respond(
        200, json=load("x_tweet_metrics.json")
    )
    mock.get(url__startswith="https://api.x.com/2/users/me").respond(
        200,
        json={
            "data": {
                "id": "2244994945",
                "name": "Atlas",
                "username": "atlasbrand",
                "public_metrics": {
                    "followers_count": 9120,
                    "following_count": 180,
                    "tweet_count": 3400,
                    "listed_count": 12,
                },
            }
        },
    )

    run(agency_a, variant, T + dt.timedelta(hours=1), in_agency)

    # Retweets and quotes are both shares; X gives no reach and no clicks here.
    assert post_values(variant) == {
        "impressions": 4012,
        "likes": 73,
        "comments": 5,
        "shares": 10,
        "saves": 6,
    }
    assert account_values(variant.social_account, T.date()) == {"followers": 9120}


def test_bluesky_counts(agency_a, brand_a, published, mock, in_agency):
    uri = "at://did:plc:atlas/app.bsky.feed.post/3kabc"
    variant = published(
        agency_a, brand_a, network="bluesky", external_id=uri, instance_url="https://bsky.social"
    )
    mock.get(url__startswith="https://bsky.social/xrpc/app.bsky.feed.getPosts").respond(
        200, json=bluesky_post(uri, likes=14, reposts=3, quotes=1, replies=2)
    )
    mock.get(url__startswith="https://bsky.social/xrpc/app.bsky.actor.getProfile").respond(
        200, json={"did": "did:plc:atlas", "handle": "atlas.bsky.social", "followersCount": 640}
    )

    run(agency_a, variant, T + dt.timedelta(hours=1), in_agency)

    assert post_values(variant) == {"likes": 14, "shares": 4, "comments": 2}
    assert account_values(variant.social_account, T.date()) == {"followers": 640}


def test_an_expired_token_is_renewed_once_and_the_reading_taken(
    agency_a, brand_a, published, mock, in_agency, settings
):
    settings.SOCIAL_APPS = {**settings.SOCIAL_APPS, "linkedin": ("client", "secret")}
    share = "urn:li:share:7168012345678901248"
    variant = published(agency_a, brand_a, network="linkedin", external_id=share)
    account = variant.social_account
    account.external_id = "urn:li:organization:2414183"
    account.save()
    api = "https://api.linkedin.com/rest"
    stats = mock.get(url__startswith=f"{api}/organizationalEntityShareStatistics").mock(
        side_effect=[
            httpx.Response(401, json={"status": 401, "message": "Expired token"}),
            httpx.Response(200, json=load("linkedin_share_statistics.json")),
        ]
    )
    mock.get(url__startswith=f"{api}/networkSizes/").respond(
        200, json=load("linkedin_network_size.json")
    )
    token = mock.post(url__regex=r"https://www\.linkedin\.com/oauth/v2/accessToken").respond(
        200, json={"access_token": "renewed", "expires_in": 5184000}
    )

    run(agency_a, variant, T + dt.timedelta(hours=1), in_agency)

    assert token.call_count == 1 and stats.call_count == 2
    assert stats.calls[1].request.headers["Authorization"] == "Bearer renewed"
    assert post_values(variant)["impressions"] == 3900


def test_a_dead_token_asks_for_a_reconnection_and_says_so(
    agency_a, brand_a, published, mock, in_agency
):
    variant = published(agency_a, brand_a)  # Mastodon: no refresh, a 401 is final
    mock.get("https://mastodon.social/api/v1/statuses/113401").respond(
        401, json={"error": "The access token is invalid"}
    )
    now = T + dt.timedelta(hours=1)
    collection.schedules_start_across_agencies(now=now)
    collection.accounts_claim_due_across_agencies(now=now)
    with in_agency(agency_a):
        outcome = collection.account_collect(social_account_id=variant.social_account_id, now=now)
    assert outcome.status == "needs_reconnect"
    assert "reconnect" in outcome.error
    variant.social_account.refresh_from_db()
    assert variant.social_account.status == "needs_reconnect"
