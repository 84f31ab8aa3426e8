"""Pinterest: finding our pin again, the account's pins, analytics, and the content rules."""

from datetime import UTC, date, datetime

import httpx
import pytest
import respx

from networks.base import Credentials, MediaItem, MediaKind, PostContent
from networks.metrics import utc_today
from networks.pinterest.adapter import PinterestAdapter
from networks.rules import check_content

from .conftest import load

API = "https://api.pinterest.com/v5"
BOARD = "549755885175"
PIN = "813744226420795884"
CREDS = Credentials(access_token="pina_AMAXQWYWAAAA", external_id="549755885175")
IMAGE = MediaItem(kind=MediaKind.IMAGE, mime_type="image/jpeg", data=b"\xff\xd8jpeg")


@pytest.fixture
def adapter(make_adapter):
    return make_adapter(PinterestAdapter)


def _content(**kwargs) -> PostContent:
    kwargs.setdefault("text", "La recette de nos cornes de gazelle, pas à pas.")
    kwargs.setdefault("media", [IMAGE])
    kwargs.setdefault("options", {"board_id": BOARD})
    return PostContent(**kwargs)


# ------------------------------------------------------------------ lookups


@respx.mock
def test_find_existing_post_recognises_our_pin_on_the_board(adapter):
    route = respx.get(f"{API}/boards/{BOARD}/pins").respond(
        200, json=load("pinterest_board_pins.json")
    )
    ours = _content(
        options={
            "board_id": BOARD,
            "title": "Cornes de gazelle",
            "link": "https://cafetanger.example/recettes/cornes-de-gazelle",
        }
    )

    found = adapter.find_existing_post(CREDS, ours)

    assert found.external_id == PIN
    assert found.url == f"https://www.pinterest.com/pin/{PIN}/"
    assert route.calls.last.request.url.params["page_size"] == "25"
    since = datetime(2026, 12, 6, 10, tzinfo=UTC)  # after the pin was created (UTC)
    assert adapter.find_existing_post(CREDS, ours, since=since) is None
    assert adapter.find_existing_post(CREDS, ours, exclude_ids={PIN}) is None


@respx.mock
def test_a_pin_with_the_same_description_but_another_title_is_not_ours(adapter):
    respx.get(f"{API}/boards/{BOARD}/pins").respond(200, json=load("pinterest_board_pins.json"))
    other = _content(options={"board_id": BOARD, "title": "Autre recette"})
    assert adapter.find_existing_post(CREDS, other) is None


@respx.mock
def test_the_recent_pins_are_paged_until_one_older_than_since(adapter):
    route = respx.get(f"{API}/pins").mock(
        side_effect=[
            httpx.Response(200, json=load("pinterest_pins.json")),
            httpx.Response(200, json=load("pinterest_pins_page2.json")),
        ]
    )

    posts = adapter.list_recent_posts(CREDS, datetime(2026, 10, 1, tzinfo=UTC))

    assert [p.external_id for p in posts] == ["813744226420795884", "813744226420795001"]
    assert posts[0].created_at == datetime(2026, 12, 6, 9, 30, 12, tzinfo=UTC)
    assert posts[1].text == "Msemen"  # no description: the title
    assert posts[0].comments_count is None
    assert route.calls[0].request.url.params["pin_filter"] == "exclude_repins"


# ------------------------------------------------------------------ metrics


@respx.mock
def test_pin_metrics_use_lifetime_figures_and_leave_what_pinterest_lacks_absent(adapter):
    route = respx.get(f"{API}/pins/{PIN}/analytics").respond(
        200, json=load("pinterest_pin_analytics.json")
    )

    m = adapter.post_metrics(CREDS, PIN)

    assert m.values() == {
        "impressions": 4210,
        "saves": 96,
        "clicks": 229,  # pin clicks and outbound clicks
        "likes": 27,
        "comments": 3,
    }
    assert m.reach is None and m.shares is None and m.video_views is None
    params = route.calls.last.request.url.params
    assert "IMPRESSION" in params["metric_types"].split(",")
    assert params["end_date"] == utc_today().isoformat()
    assert (utc_today() - date.fromisoformat(params["start_date"])).days == 89


@respx.mock
def test_video_pin_metrics_count_views_and_watch_time_in_seconds(adapter):
    respx.get(f"{API}/pins/{PIN}/analytics").respond(
        200, json=load("pinterest_pin_analytics_video.json")
    )
    m = adapter.post_metrics(CREDS, PIN)
    assert (m.video_views, m.watch_time, m.likes) == (422, 3462, None)


@respx.mock
def test_account_figures_per_ready_day_and_followers_today(adapter):
    respx.get(f"{API}/user_account").respond(200, json=load("pinterest_user_account.json"))
    route = respx.get(f"{API}/user_account/analytics").respond(
        200, json=load("pinterest_user_analytics.json")
    )
    today = utc_today()

    days = adapter.account_metrics_days(CREDS, since=date(2026, 12, 4), until=today)

    by_day = {s.day: s.values() for s in days}
    assert by_day[date(2026, 12, 4)] == {"impressions": 5120}
    assert by_day[date(2026, 12, 5)] == {"impressions": 4875}
    assert by_day[today]["followers"] == 1287
    assert date(2026, 12, 6) not in by_day or today == date(2026, 12, 6)
    assert route.calls.last.request.url.params["metric_types"] == "IMPRESSION"
    assert adapter.account_metrics(CREDS).followers == 1287


# ------------------------------------------------------------------ rules


def _check(**kwargs):
    return {v.code for v in check_content("pinterest", _content(**kwargs))}


def test_rules_a_pin_is_one_image_or_one_video_with_500_characters():
    assert _check() == set()
    assert "media_required" in _check(media=[])
    assert "too_many_media" in _check(media=[IMAGE, IMAGE])
    assert "text_too_long" in _check(text="é" * 501)
    assert _check(text="é" * 500) == set()
    gif = MediaItem(kind=MediaKind.GIF, mime_type="image/gif", data=b"g")
    assert "media_kind_not_allowed" in _check(media=[gif])
    webp = MediaItem(kind=MediaKind.IMAGE, mime_type="image/webp", data=b"w")
    assert "media_type_not_allowed" in _check(media=[webp])


def test_rules_video_size_length_and_shape():
    def video(**fields):
        return MediaItem(kind=MediaKind.VIDEO, mime_type="video/mp4", data=b"v", **fields)

    assert _check(media=[video(duration_seconds=30, width=1080, height=1920)]) == set()
    assert "video_too_short" in _check(media=[video(duration_seconds=3)])
    assert "video_too_long" in _check(media=[video(duration_seconds=901)])
    assert "aspect_ratio_not_allowed" in _check(media=[video(width=400, height=1000)])
    assert "aspect_ratio_not_allowed" in _check(media=[video(width=2000, height=1000)])
    assert "media_too_large" in _check(media=[video(size=2 * 1024**3 + 1)])
    big_image = MediaItem(kind=MediaKind.IMAGE, mime_type="image/png", size=21 * 1024**2)
    assert "media_too_large" in _check(media=[big_image])


def test_a_link_is_the_pins_own_field_not_part_of_the_description():
    assert _check(text="é" * 500, link="https://cafetanger.example/une-longue-adresse") == set()
