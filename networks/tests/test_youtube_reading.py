"""YouTube: reading comments, searching, the channel's own videos and metrics."""

import json
from datetime import UTC, datetime

import httpx
import pytest
import respx

from networks.base import Credentials, MediaItem, MediaKind, PostContent
from networks.youtube.adapter import YouTubeAdapter

from .conftest import load

API = "https://www.googleapis.com/youtube/v3"
CHANNEL = "UC_x5XG1OV2P6uZZ5FSM9Ttw"
VIDEO = "Ks-_Mh1QhMc"
CREDS = Credentials(access_token="yt-access", refresh_token="yt-refresh", external_id=CHANNEL)
OPTIONS = {"title": "Marrakech en 60 secondes", "privacy_status": "public", "made_for_kids": False}


@pytest.fixture
def adapter(make_adapter):
    return make_adapter(YouTubeAdapter)


def content(**options) -> PostContent:
    clip = MediaItem(kind=MediaKind.VIDEO, mime_type="video/mp4", size=10, data=b"v" * 10)
    return PostContent(
        text="Une journée dans la médina.", media=[clip], options={**OPTIONS, **options}
    )


# ------------------------------------------------------------------ comments and search


@respx.mock
def test_comments_come_with_their_replies_newest_first(adapter):
    route = respx.get(f"{API}/commentThreads").respond(
        200, json=load("youtube_comment_threads.json")
    )
    found = adapter.list_comments(CREDS, VIDEO)
    params = route.calls.last.request.url.params
    assert (params["videoId"], params["part"], params["order"]) == (
        VIDEO,
        "snippet,replies",
        "time",
    )
    assert [(c.external_id, c.parent_id) for c in found] == [
        ("UgzDE2tasfmrYLyNkGt4AaABAg", ""),
        ("UgzDE2tasfmrYLyNkGt4AaABAg.9xYz1AbCdEf9xYz2GhIjKl", "UgzDE2tasfmrYLyNkGt4AaABAg"),
        ("Ugw3ExAmPlE0ldC0mMeNt4AaABAg", ""),
    ]
    first = found[0]
    assert first.text == "Magnifique ! C'est quel riad ?"  # textOriginal, not the HTML
    assert first.author.external_id == "UCa9b8c7d6e5f4g3h2i1j0kA"
    assert first.url == f"https://www.youtube.com/watch?v={VIDEO}&lc=UgzDE2tasfmrYLyNkGt4AaABAg"
    later = adapter.list_comments(CREDS, VIDEO, since=datetime(2026, 12, 6, 20, 35, tzinfo=UTC))
    assert [c.external_id for c in later] == ["UgzDE2tasfmrYLyNkGt4AaABAg.9xYz1AbCdEf9xYz2GhIjKl"]


@respx.mock
def test_a_reply_to_a_reply_goes_to_its_thread(adapter):
    route = respx.post(f"{API}/comments").respond(200, json=load("youtube_comment_inserted.json"))
    reply_id = adapter.reply(CREDS, "UgzDE2tasfmrYLyNkGt4AaABAg.9xYz1AbCdEf9xYz2GhIjKl", "Merci")
    assert reply_id == "UgzDE2tasfmrYLyNkGt4AaABAg.9xYz3MnOpQr9xYz4StUvWx"
    assert route.calls.last.request.url.params["part"] == "snippet"
    assert json.loads(route.calls.last.request.content) == {
        "snippet": {"parentId": "UgzDE2tasfmrYLyNkGt4AaABAg", "textOriginal": "Merci"}
    }


@respx.mock
def test_hiding_holds_the_comment_for_review_and_showing_publishes_it_again(adapter):
    route = respx.post(f"{API}/comments/setModerationStatus").respond(204)
    adapter.hide_comment(CREDS, "c1")
    adapter.hide_comment(CREDS, "c1", hidden=False)
    statuses = [call.request.url.params["moderationStatus"] for call in route.calls]
    assert statuses == ["heldForReview", "published"]
    assert route.calls.last.request.url.params["id"] == "c1"


@respx.mock
def test_deleting_someone_elses_comment_rejects_it(adapter):
    delete = respx.delete(f"{API}/comments").mock(
        side_effect=[
            httpx.Response(204),
            httpx.Response(403, json=load("youtube_error_forbidden.json")),
        ]
    )
    moderate = respx.post(f"{API}/comments/setModerationStatus").respond(204)
    adapter.delete_comment(CREDS, "ours")
    assert not moderate.called
    adapter.delete_comment(CREDS, "theirs")
    assert delete.calls.last.request.url.params["id"] == "theirs"
    assert moderate.calls.last.request.url.params["moderationStatus"] == "rejected"


@respx.mock
def test_search_finds_videos_published_after_the_cursor(adapter):
    route = respx.get(f"{API}/search").respond(200, json=load("youtube_search.json"))
    found = adapter.search_mentions(CREDS, "Atlas Voyages", since_id="2026-12-01T08:00:00+00:00")
    params = route.calls.last.request.url.params
    assert (params["q"], params["type"], params["order"]) == ("Atlas Voyages", "video", "date")
    assert params["publishedAfter"] == "2026-12-01T08:00:00Z"
    assert [m.external_id for m in found] == ["Zx9Yw8Vu7Ts"]  # the cursor's own video left out
    mention = found[0]
    assert mention.text.startswith("Mon séjour avec Atlas Voyages & l'Atlas\nVlog")
    assert mention.author.name == "Nomade & Co"
    assert mention.url == "https://www.youtube.com/watch?v=Zx9Yw8Vu7Ts"
    assert mention.created_at == datetime(2026, 12, 5, 18, 0, tzinfo=UTC)


@respx.mock
def test_search_without_a_time_cursor_starts_a_week_back(adapter):
    route = respx.get(f"{API}/search").respond(200, json={"items": []})
    assert adapter.search_mentions(CREDS, "atlas", since_id="Zx9Yw8Vu7Ts") == []
    after = datetime.fromisoformat(route.calls.last.request.url.params["publishedAfter"])
    assert 6.9 < (datetime.now(UTC) - after).total_seconds() / 86400 < 7.1


# ------------------------------------------------------------------ own videos and metrics


@respx.mock
def test_recent_posts_come_from_the_uploads_playlist_with_comment_counts(adapter):
    respx.get(f"{API}/channels").respond(200, json=load("youtube_channels_mine.json"))
    items = respx.get(f"{API}/playlistItems").respond(200, json=load("youtube_playlist_items.json"))
    stats = respx.get(f"{API}/videos").respond(200, json=load("youtube_videos_statistics.json"))

    found = adapter.list_recent_posts(CREDS, datetime(2026, 11, 1, tzinfo=UTC))

    assert items.calls.last.request.url.params["playlistId"] == "UU_x5XG1OV2P6uZZ5FSM9Ttw"
    assert stats.calls.last.request.url.params["id"] == VIDEO
    assert [(p.external_id, p.comments_count) for p in found] == [(VIDEO, 47)]
    assert items.call_count == 1  # an older video ends the paging
    assert found[0].text == "Marrakech en 60 secondes\nUne journée dans la médina."


@respx.mock
def test_find_existing_post_recognises_the_video_by_title_and_description(adapter):
    respx.get(f"{API}/channels").respond(200, json=load("youtube_channels_mine.json"))
    respx.get(f"{API}/playlistItems").respond(200, json=load("youtube_playlist_items.json"))
    post = content()
    found = adapter.find_existing_post(CREDS, post)
    assert found.external_id == VIDEO
    assert adapter.find_existing_post(CREDS, post, exclude_ids={VIDEO}) is None
    other = content(title="Autre titre")
    assert adapter.find_existing_post(CREDS, other) is None


@respx.mock
def test_video_metrics_leave_out_what_youtube_hides(adapter):
    body = load("youtube_videos_statistics.json")
    route = respx.get(f"{API}/videos").respond(200, json=body)
    snapshot = adapter.post_metrics(CREDS, VIDEO)
    assert route.calls.last.request.url.params["part"] == "statistics"
    assert snapshot.values() == {"views": 15320, "likes": 812, "comments": 47}
    del body["items"][0]["statistics"]["likeCount"]  # the owner hid the likes
    route.respond(200, json=body)
    assert adapter.post_metrics(CREDS, VIDEO).likes is None


@respx.mock
def test_channel_metrics_are_subscribers_and_views(adapter):
    body = load("youtube_channels_mine.json")
    respx.get(f"{API}/channels").respond(200, json=body)
    assert adapter.account_metrics(CREDS).values() == {"followers": 12400, "views": 284512}
    body["items"][0]["statistics"]["hiddenSubscriberCount"] = True
    respx.get(f"{API}/channels").respond(200, json=body)
    assert adapter.account_metrics(CREDS).followers is None
