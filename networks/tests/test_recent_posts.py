"""list_recent_posts: the account's own recent posts, whoever published them, as each network's
documented listing gives them (id, link, text, time, comment count where the network says),
without reposts, replies, drafts or private messages, and no further back than asked."""

from datetime import UTC, datetime
from urllib.parse import parse_qs, urlparse

import httpx
import respx

from networks.base import Credentials
from networks.bluesky.adapter import BlueskyAdapter
from networks.facebook.adapter import FacebookAdapter
from networks.instagram.adapter import InstagramAdapter
from networks.linkedin.adapter import LinkedInAdapter
from networks.mastodon.adapter import MastodonAdapter
from networks.meta import DEFAULT_GRAPH_VERSION
from networks.x.adapter import XAdapter

from .conftest import load

GRAPH = f"https://graph.facebook.com/{DEFAULT_GRAPH_VERSION}"
SINCE = datetime(2026, 11, 3, tzinfo=UTC)


def _query(route, call=-1) -> dict[str, str]:
    url = urlparse(str(route.calls[call].request.url))
    return {k: v[0] for k, v in parse_qs(url.query).items()}


@respx.mock
def test_facebook_lists_the_pages_published_posts_with_their_comment_counts(make_adapter):
    adapter = make_adapter(FacebookAdapter)
    creds = Credentials(access_token="EAAPageToken", external_id="104729925234")
    route = respx.get(f"{GRAPH}/104729925234/published_posts").mock(
        side_effect=[
            httpx.Response(200, json=load("facebook_published_posts_page.json")),
            httpx.Response(200, json=load("facebook_published_posts_page2.json")),
        ]
    )

    posts = adapter.list_recent_posts(creds, SINCE)

    first = _query(route, 0)
    assert first["since"] == str(int(SINCE.timestamp()))
    assert "comments.summary(true).limit(0)" in first["fields"]
    assert _query(route, 1)["after"] == "QVFIUjRtc2c"  # the next page by its cursor
    # The October post is older than asked: the listing stops there.
    assert [p.external_id for p in posts] == [
        "104729925234_122106371212345999",
        "104729925234_122106371212345888",
    ]
    assert posts[0].comments_count == 4 and posts[0].text.startswith("Soldes d'hiver")
    assert posts[0].url == "https://www.facebook.com/104729925234/posts/122106371212345999"
    assert posts[0].created_at == datetime(2026, 11, 28, 9, tzinfo=UTC)
    assert posts[1].other_ids == ("1090283745",)  # the video's own id, as publishing stores it


@respx.mock
def test_instagram_lists_the_accounts_media(make_adapter):
    adapter = make_adapter(InstagramAdapter)
    creds = Credentials(access_token="EAAUserToken", external_id="17841405822304914")
    route = respx.get(f"{GRAPH}/17841405822304914/media").respond(
        200, json=load("instagram_user_media.json")
    )

    posts = adapter.list_recent_posts(creds, SINCE)

    assert _query(route)["fields"] == "id,caption,permalink,timestamp,comments_count"
    assert route.call_count == 1  # no "next": one page
    assert [(p.external_id, p.comments_count) for p in posts] == [
        ("17920238422030599", 7),
        ("17920238422030506", 0),
    ]
    assert posts[0].url == "https://www.instagram.com/p/DBx1a2b3c4D/"


@respx.mock
def test_mastodon_lists_the_accounts_statuses_without_replies_boosts_or_direct_ones(make_adapter):
    adapter = make_adapter(MastodonAdapter)
    base = "https://mastodon.example"
    creds = Credentials(access_token="tok", instance_url=base, external_id="109302")
    route = respx.get(f"{base}/api/v1/accounts/109302/statuses").respond(
        200, json=load("mastodon_account_statuses.json")
    )

    posts = adapter.list_recent_posts(creds, SINCE)

    query = _query(route)
    assert query["exclude_replies"] == "true" and query["exclude_reblogs"] == "true"
    assert [(p.external_id, p.comments_count) for p in posts] == [("113600000000000002", 3)]
    assert posts[0].text == "Nouveau menu d'hiver ☕"


@respx.mock
def test_bluesky_lists_the_author_feed_without_reposts(make_adapter):
    adapter = make_adapter(BlueskyAdapter)
    did = "did:plc:z72i7hdynmk6r22z27h6tvur"
    creds = Credentials(
        access_token="jwt",
        instance_url="https://bsky.social",
        external_id=did,
        extra={"handle": "atlasbrand.bsky.social"},
    )
    route = respx.get("https://bsky.social/xrpc/app.bsky.feed.getAuthorFeed").respond(
        200, json=load("bluesky_author_feed.json")
    )

    posts = adapter.list_recent_posts(creds, SINCE)

    assert _query(route) == {"actor": did, "filter": "posts_no_replies", "limit": "100"}
    assert [(p.external_id, p.comments_count) for p in posts] == [
        (f"at://{did}/app.bsky.feed.post/3lbqqqqqqqq2a", 2)
    ]
    assert posts[0].url == "https://bsky.app/profile/atlasbrand.bsky.social/post/3lbqqqqqqqq2a"


@respx.mock
def test_x_lists_the_users_posts_page_by_page(make_adapter):
    adapter = make_adapter(XAdapter)
    creds = Credentials(access_token="x-access", external_id="2244994945")
    route = respx.get("https://api.x.com/2/users/2244994945/tweets").mock(
        side_effect=[
            httpx.Response(200, json=load("x_user_tweets_metrics.json")),
            httpx.Response(200, json=load("x_user_tweets_last.json")),
        ]
    )

    posts = adapter.list_recent_posts(creds, SINCE)

    first = _query(route, 0)
    assert first["exclude"] == "replies,retweets"
    assert first["start_time"] == "2026-11-03T00:00:00Z"
    assert "public_metrics" in first["tweet.fields"]
    assert _query(route, 1)["pagination_token"] == "7140dibdnow9c7btw3z2vwioavpvutgzrzm9icis4ndix"
    assert [(p.external_id, p.comments_count) for p in posts] == [
        ("1862000000000000002", 6),
        ("1862000000000000001", 0),
    ]


@respx.mock
def test_linkedin_lists_the_organisations_published_posts_without_a_count(make_adapter):
    adapter = make_adapter(LinkedInAdapter)
    creds = Credentials(access_token="AQV", external_id="urn:li:organization:2414183")
    route = respx.get("https://api.linkedin.com/rest/posts").respond(
        200, json=load("linkedin_posts_by_author_recent.json")
    )

    posts = adapter.list_recent_posts(creds, SINCE)

    request = route.calls.last.request
    assert request.headers["LinkedIn-Version"] == adapter.version
    assert request.headers["X-Restli-Protocol-Version"] == "2.0.0"
    assert _query(route)["q"] == "author" and _query(route)["sortBy"] == "CREATED"
    assert [p.external_id for p in posts] == ["urn:li:share:7268012345678901999"]  # no draft
    assert posts[0].comments_count is None
    assert posts[0].text == "Nous recrutons (Casablanca) #emploi"
    assert posts[0].created_at == datetime(2026, 11, 28, 9, tzinfo=UTC)
