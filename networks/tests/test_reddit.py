"""Reddit search with an app-only token (answers shaped like Reddit's documented token and
Listing responses), its rate-limit headers, and hostile answers."""

import base64
from datetime import UTC, datetime

import httpx
import pytest
import respx

from networks.reddit import SEARCH_URL, TOKEN_URL, RedditError, app_token, search_posts
from networks.tests.conftest import load

UA = "web:agency-social:1.0 (by /u/atlas_digital)"


@respx.mock
def test_the_app_token_is_asked_with_basic_auth_and_the_client_credentials_grant():
    route = respx.post(TOKEN_URL).respond(
        json={"access_token": "tok", "token_type": "bearer", "expires_in": 86400, "scope": "*"}
    )
    token = app_token("id1", "s3cret", user_agent=UA)
    request = route.calls[0].request
    assert request.headers["Authorization"] == "Basic " + base64.b64encode(b"id1:s3cret").decode()
    assert request.content == b"grant_type=client_credentials"
    assert request.headers["User-Agent"] == UA
    assert (token.access_token, token.expires_in) == ("tok", 86400)


@respx.mock
def test_wrong_credentials_are_a_refused_token():
    respx.post(TOKEN_URL).respond(401, json={"message": "Unauthorized", "error": 401})
    with pytest.raises(RedditError) as error:
        app_token("id1", "bad", user_agent=UA)
    assert error.value.token_refused


@respx.mock
def test_a_search_gives_new_posts_oldest_first_with_the_rate_limit_left():
    route = respx.get(SEARCH_URL).respond(
        json=load("reddit_search.json"),
        headers={
            "X-Ratelimit-Used": "3",
            "X-Ratelimit-Remaining": "97.0",
            "X-Ratelimit-Reset": "412",
        },
    )
    page = search_posts("tok", '"café tanger"', user_agent=UA)
    params = route.calls[0].request.url.params
    assert (params["q"], params["sort"], params["type"]) == ('"café tanger"', "new", "link")
    assert route.calls[0].request.headers["Authorization"] == "bearer tok"
    assert [p.name for p in page.posts] == ["t3_1h2abcd", "t3_1h2abce"]
    post = page.posts[1]
    assert post.url == "https://www.reddit.com/r/Morocco/comments/1h2abce/cafe_tanger_a_casablanca/"
    assert (post.author, post.subreddit, post.score, post.num_comments) == (
        "casa_foodie",
        "Morocco",
        42,
        7,
    )
    assert post.created_at == datetime.fromtimestamp(1795600800, UTC)
    assert (page.remaining, page.reset_seconds) == (97.0, 412.0)


@respx.mock
def test_posts_not_newer_than_the_cursor_are_left_out():
    respx.get(SEARCH_URL).respond(json=load("reddit_search.json"))
    page = search_posts("tok", "x", user_agent=UA, since=1795597200.0)
    assert [p.name for p in page.posts] == ["t3_1h2abce"]


@pytest.mark.parametrize(
    ("response", "problem", "retry_after"),
    [
        (httpx.Response(429, headers={"X-Ratelimit-Reset": "120"}), "slow down", 120.0),
        (httpx.Response(401), "refused the app's token", None),
        (httpx.Response(500), "HTTP 500", None),
        (httpx.Response(200, text="<html>"), "not JSON", None),
        (httpx.Response(200, json=[]), "not a JSON object", None),
        (httpx.Response(200, json={"kind": "t3", "data": {}}), "not a Listing", None),
        (
            httpx.Response(200, json={"kind": "Listing", "data": {"children": 5}}),
            "not a Listing",
            None,
        ),
    ],
    ids=["rate-limited", "token", "server", "html", "list", "not-listing", "children-number"],
)
def test_hostile_answers_are_reddit_errors(response, problem, retry_after):
    with respx.mock:
        respx.get(SEARCH_URL).mock(return_value=response)
        with pytest.raises(RedditError) as error:
            search_posts("tok", "x", user_agent=UA)
    assert problem in str(error.value)
    assert error.value.retry_after == retry_after


@respx.mock
def test_children_of_the_wrong_shape_are_skipped_and_wrong_types_emptied():
    respx.get(SEARCH_URL).respond(
        json={
            "kind": "Listing",
            "data": {
                "children": [
                    "x",
                    {"kind": "t1", "data": {}},
                    {"kind": "t3", "data": {"id": "a", "title": ["no"], "created_utc": "soon"}},
                ]
            },
        }
    )
    (post,) = search_posts("tok", "x", user_agent=UA).posts
    assert (post.name, post.title, post.created_at, post.url) == ("t3_a", "", None, "")
