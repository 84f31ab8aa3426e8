"""Threads: finding our post again, the account's posts, replies (read, answer, hide), search
and mentions, insights, and the content rules."""

from datetime import UTC, date, datetime
from urllib.parse import parse_qs

import httpx
import pytest
import respx

from networks.base import Credentials, MediaItem, MediaKind, PostContent, TokenSet
from networks.metrics import utc_today
from networks.rules import check_content
from networks.threads.adapter import ThreadsAdapter
from networks.threads.rules import count_threads

from .conftest import load

API = "https://graph.threads.net/v1.0"
USER = "17841401234567890"
POST = "18031547123456789"
CREDS = Credentials(access_token="THQVJlongLivedToken", external_id=USER)
TEXT = "Nouveau : le msemen du dimanche, dès 9 h."
LINK = "https://cafetanger.example/menu"


@pytest.fixture
def adapter(make_adapter):
    return make_adapter(ThreadsAdapter)


@respx.mock
def test_find_existing_post_recognises_the_text_publish_sent(adapter):
    route = respx.get(f"{API}/{USER}/threads").respond(200, json=load("threads_user_threads.json"))
    content = PostContent(text=TEXT, link=LINK)

    found = adapter.find_existing_post(CREDS, content)

    assert found.external_id == POST
    assert found.url == "https://www.threads.net/@cafetanger/post/C9xYz12AbCd"
    assert route.calls.last.request.url.params["limit"] == "25"
    assert adapter.find_existing_post(CREDS, content, exclude_ids={POST}) is None
    late = datetime(2026, 12, 6, 10, tzinfo=UTC)
    assert adapter.find_existing_post(CREDS, content, since=late) is None


@respx.mock
def test_the_same_text_as_another_kind_of_post_is_not_ours(adapter):
    respx.get(f"{API}/{USER}/threads").respond(200, json=load("threads_user_threads.json"))
    image = MediaItem(kind=MediaKind.IMAGE, mime_type="image/jpeg", url="https://cdn.example/t")
    text = "La terrasse est ouverte."
    assert adapter.find_existing_post(CREDS, PostContent(text=text)) is None
    found = adapter.find_existing_post(CREDS, PostContent(text=text, media=[image]))
    assert found.external_id == "18031546999999999"


@respx.mock
def test_recent_posts_leave_reposts_of_others_out_and_stop_at_since(adapter):
    respx.get(f"{API}/{USER}/threads").respond(200, json=load("threads_user_threads.json"))

    posts = adapter.list_recent_posts(CREDS, datetime(2026, 12, 1, tzinfo=UTC))

    assert [p.external_id for p in posts] == [POST]
    assert posts[0].created_at == datetime(2026, 12, 6, 9, 30, 12, tzinfo=UTC)
    assert posts[0].comments_count is None


@respx.mock
def test_replies_come_from_the_conversation_with_nesting_and_hidden_state(adapter):
    route = respx.get(f"{API}/{POST}/conversation").respond(
        200, json=load("threads_conversation.json")
    )

    comments = adapter.list_comments(CREDS, POST)

    assert [c.author.handle for c in comments] == ["amina.b", "cafetanger", "spam.account"]
    assert comments[0].parent_id == "" and comments[1].parent_id == "18050206876707110"
    assert [c.hidden for c in comments] == [False, False, True]
    assert route.calls.last.request.url.params["reverse"] == "false"
    later = adapter.list_comments(CREDS, POST, since=datetime(2026, 12, 6, 10, 30, tzinfo=UTC))
    assert [c.author.handle for c in later] == ["spam.account"]


@respx.mock
def test_a_reply_is_a_text_container_naming_its_parent_then_published(adapter):
    create = respx.post(f"{API}/{USER}/threads").respond(200, json={"id": "17889615691921700"})
    respx.get(f"{API}/17889615691921700").respond(200, json={"status": "FINISHED"})
    publish = respx.post(f"{API}/{USER}/threads_publish").respond(
        200, json={"id": "18050206876707199"}
    )

    reply_id = adapter.reply(CREDS, "18050206876707110", "Merci !")

    assert reply_id == "18050206876707199"
    sent = {k: v[0] for k, v in parse_qs(create.calls.last.request.content.decode()).items()}
    assert sent["reply_to_id"] == "18050206876707110" and sent["media_type"] == "TEXT"
    assert b"creation_id=17889615691921700" in publish.calls.last.request.content


@respx.mock
def test_hiding_and_unhiding_a_reply_uses_manage_reply(adapter):
    route = respx.post(f"{API}/18050206876707112/manage_reply").respond(200, json={"success": True})
    adapter.hide_comment(CREDS, "18050206876707112")
    adapter.hide_comment(CREDS, "18050206876707112", hidden=False)
    assert [b"hide=true" in c.request.content for c in route.calls] == [True, False]
    assert b"hide=false" in route.calls.last.request.content


@respx.mock
def test_keyword_search_is_recent_posts_newer_than_the_last_read(adapter):
    route = respx.get(f"{API}/keyword_search").respond(
        200, json=load("threads_keyword_search.json")
    )

    mentions = adapter.search_mentions(CREDS, "Café Tanger")
    newer = adapter.search_mentions(CREDS, "Café Tanger", since_id="18066700000000002")

    assert [m.author.handle for m in mentions] == ["youssef.t", "leila.m"]
    assert [m.external_id for m in newer] == ["18066700000000003"]
    params = route.calls.last.request.url.params
    assert params["q"] == "Café Tanger" and params["search_type"] == "RECENT"


@respx.mock
def test_mentions_are_the_posts_that_tag_the_account(adapter):
    respx.get(f"{API}/{USER}/mentions").respond(200, json=load("threads_mentions.json"))
    [mention] = adapter.mention_notifications(CREDS)
    assert mention.text == "Merci @cafetanger pour l'accueil"
    assert mention.url.endswith("/C9z00000010")


@respx.mock
def test_the_token_opens_the_threads_profile(adapter):
    respx.get(f"{API}/me").respond(200, json=load("threads_me.json"))
    tokens = TokenSet(access_token="THQVJlong", expires_in=5183944, raw={"user_id": 1})

    [profile] = adapter.connected_profiles(tokens, app=None)

    assert profile.external_id == USER and profile.handle == "@cafetanger"
    assert profile.display_name == "Café Tanger"
    assert "threads_manage_replies" in profile.scopes


# ------------------------------------------------------------------ metrics


@respx.mock
def test_post_insights_add_reposts_and_quotes_as_shares_and_leave_the_rest_absent(adapter):
    route = respx.get(f"{API}/{POST}/insights").respond(
        200, json=load("threads_media_insights.json")
    )

    m = adapter.post_metrics(CREDS, POST)

    assert m.values() == {"views": 1520, "likes": 88, "comments": 12, "shares": 7}
    assert m.reach is None and m.impressions is None and m.saves is None and m.clicks is None
    assert route.calls.last.request.url.params["metric"] == (
        "views,likes,replies,reposts,quotes,shares"
    )


@respx.mock
def test_no_sharing_figure_at_all_means_shares_absent_not_zero(adapter):
    respx.get(f"{API}/{POST}/insights").respond(
        200, json={"data": load("threads_media_insights.json")["data"][:2]}
    )
    assert adapter.post_metrics(CREDS, POST).shares is None


@respx.mock
def test_account_profile_views_per_day_and_followers_today(adapter):
    def insights(request: httpx.Request) -> httpx.Response:
        metric = request.url.params["metric"]
        name = (
            "threads_user_followers.json"
            if metric == "followers_count"
            else "threads_user_views.json"
        )
        return httpx.Response(200, json=load(name))

    route = respx.get(f"{API}/{USER}/threads_insights").mock(side_effect=insights)
    today = utc_today()

    days = adapter.account_metrics_days(CREDS, since=date(2026, 12, 4), until=today)

    by_day = {s.day: s.values() for s in days}
    assert by_day[date(2026, 12, 4)] == {"profile_views": 310}
    assert by_day[date(2026, 12, 5)]["profile_views"] == 275
    assert by_day[today]["followers"] == 4210
    daily = [c.request.url.params for c in route.calls if c.request.url.params["metric"] == "views"]
    assert daily[0]["since"] == str(int(datetime(2026, 12, 4, tzinfo=UTC).timestamp()))
    assert adapter.account_metrics(CREDS).followers == 4210


# ------------------------------------------------------------------ rules


def _check(**kwargs):
    return {v.code for v in check_content("threads", PostContent(**kwargs))}


def test_emoji_count_their_utf8_bytes_against_the_500():
    assert count_threads("abc") == 3
    assert count_threads("é") == 1  # a letter is one, whatever its bytes
    assert count_threads("☕") == 3 and count_threads("🥐") == 4
    assert _check(text="a" * 496 + "🥐") == set()
    assert "text_too_long" in _check(text="a" * 497 + "🥐")


def test_carousels_of_up_to_20_may_mix_images_and_videos():
    image = MediaItem(kind=MediaKind.IMAGE, mime_type="image/jpeg", url="https://cdn.example/a")
    video = MediaItem(kind=MediaKind.VIDEO, mime_type="video/mp4", url="https://cdn.example/v")
    assert _check(text="x", media=[image] * 10 + [video] * 10) == set()
    assert "too_many_media" in _check(text="x", media=[image] * 21)
    long = MediaItem(kind=MediaKind.VIDEO, mime_type="video/mp4", duration_seconds=301)
    assert "video_too_long" in _check(text="x", media=[long])
    webp = MediaItem(kind=MediaKind.IMAGE, mime_type="image/webp")
    assert "media_type_not_allowed" in _check(text="x", media=[webp])
    big = MediaItem(kind=MediaKind.IMAGE, mime_type="image/png", size=9 * 1024 * 1024)
    assert "media_too_large" in _check(text="x", media=[big])


def test_a_thread_is_allowed_and_each_follow_up_is_checked():
    assert _check(text="1/2", thread=["2/2"]) == set()
    assert "text_too_long" in _check(text="1/2", thread=["x" * 501])
