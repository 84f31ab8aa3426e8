"""Google Business Profile: connecting (accounts and their locations), local posts (options,
photo URL, button, event, offer; the unknown-outcome lookup), errors and content rules."""

import json
from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
import respx

from networks.base import (
    AppCredentials,
    AuthExpired,
    Credentials,
    MediaItem,
    MediaKind,
    OutcomeUnknown,
    PermanentError,
    PostContent,
    RateLimited,
    TokenSet,
    TransientError,
)
from networks.google_business.adapter import GoogleBusinessAdapter
from networks.options import check_options
from networks.rules import check_content

from .conftest import load

ACCOUNT = "accounts/108261983375230571234"
LOCATION = f"{ACCOUNT}/locations/4511237863512908765"
V4 = "https://mybusiness.googleapis.com/v4"
POSTS = f"{V4}/{LOCATION}/localPosts"
REVIEWS = f"{V4}/{LOCATION}/reviews"
REVIEW = f"{LOCATION}/reviews/AbFvOqmQ1"
CREDS = Credentials(access_token="ya29.a0", refresh_token="1//0g", external_id=LOCATION)
PHOTO = MediaItem(
    kind=MediaKind.IMAGE,
    mime_type="image/jpeg",
    url="https://cdn.cafe-atlas.example/msemen.jpg",
    width=1200,
    height=900,
)


@pytest.fixture
def adapter(make_adapter):
    return make_adapter(GoogleBusinessAdapter)


# ------------------------------------------------------------------ OAuth and connecting


def test_authorisation_uses_pkce_and_asks_for_a_refresh_token():
    url = GoogleBusinessAdapter().authorization_url(
        AppCredentials("cid.apps.googleusercontent.com"),
        redirect_uri="https://app.example/connections/callback/google_business/",
        state="s" * 32,
        code_challenge="c" * 43,
    )
    query = parse_qs(urlsplit(url).query)
    assert url.startswith("https://accounts.google.com/o/oauth2/v2/auth?")
    assert query["scope"] == ["https://www.googleapis.com/auth/business.manage"]
    assert query["code_challenge_method"] == ["S256"]
    assert query["access_type"] == ["offline"]
    assert query["prompt"] == ["consent"]


@respx.mock
def test_connecting_offers_each_location_of_every_account_once(adapter):
    respx.get("https://mybusinessaccountmanagement.googleapis.com/v1/accounts").respond(
        200, json=load("google_business_accounts.json")
    )
    info = "https://mybusinessbusinessinformation.googleapis.com/v1"
    respx.get(f"{info}/accounts/110823465271139877201/locations").respond(200, json={})
    group = respx.get(f"{info}/{ACCOUNT}/locations").mock(
        side_effect=[
            httpx.Response(200, json=load("google_business_locations.json")),
            httpx.Response(200, json=load("google_business_locations_page2.json")),
        ]
    )

    profiles = adapter.connected_profiles(
        TokenSet(access_token="ya29.a0", refresh_token="1//0g", expires_in=3599),
        app=AppCredentials("cid", "secret"),
    )

    assert [(p.external_id, p.display_name, p.handle) for p in profiles] == [
        (LOCATION, "Café Atlas Maârif", "12 rue Ibnou Mounir, Casablanca"),
        (
            f"{ACCOUNT}/locations/7022364517092736411",
            "Café Atlas Gueliz",
            "5 avenue Mohammed V, Marrakech",
        ),
    ]
    assert all(p.refresh_token == "1//0g" and p.network == "google_business" for p in profiles)
    first, second = (parse_qs(c.request.url.query.decode()) for c in group.calls)
    assert first["readMask"] == ["name,title,storefrontAddress,metadata"]
    assert second["pageToken"] == ["CAEQAQ"]


@respx.mock
def test_refresh_keeps_the_refresh_token_google_does_not_send_again(adapter):
    route = respx.post("https://oauth2.googleapis.com/token").respond(
        200, json={"access_token": "ya29.new", "expires_in": 3599, "token_type": "Bearer"}
    )
    renewed = adapter.refresh(CREDS, AppCredentials("cid", "secret"))
    assert (renewed.access_token, renewed.refresh_token) == ("ya29.new", "1//0g")
    assert "grant_type=refresh_token" in route.calls.last.request.content.decode()


def test_disconnecting_one_location_does_not_revoke_the_shared_grant(adapter):
    assert not adapter.revoke_token(
        app=AppCredentials("cid", "s"), access_token="ya29.a0", refresh_token="1//0g"
    )


# ------------------------------------------------------------------ local posts


@respx.mock
def test_publish_sends_a_local_post_with_its_photo_url_and_button(adapter):
    route = respx.post(POSTS).respond(200, json=load("google_business_local_post.json"))

    result = adapter.publish(
        CREDS,
        PostContent(
            text="Nouveau : le msemen au miel, tous les matins.",
            media=[PHOTO],
            options={
                "call_to_action": "ORDER",
                "call_to_action_url": "https://cafe-atlas.example/commande",
            },
        ),
    )

    assert result.external_id.endswith("/localPosts/2846171902746312288")
    assert result.url.startswith("https://local.google.com/place?")
    request = route.calls.last.request
    assert request.headers["Authorization"] == "Bearer ya29.a0"
    assert json.loads(request.content) == {
        "topicType": "STANDARD",
        "summary": "Nouveau : le msemen au miel, tous les matins.",
        "callToAction": {"actionType": "ORDER", "url": "https://cafe-atlas.example/commande"},
        "media": [
            {"mediaFormat": "PHOTO", "sourceUrl": "https://cdn.cafe-atlas.example/msemen.jpg"}
        ],
    }


@respx.mock
def test_the_link_becomes_a_learn_more_button_and_call_takes_no_url(adapter):
    route = respx.post(POSTS).respond(200, json=load("google_business_local_post.json"))
    adapter.publish(CREDS, PostContent(text="Menu", link="https://cafe-atlas.example/menu"))
    adapter.publish(CREDS, PostContent(text="Réservez", options={"call_to_action": "CALL"}))
    first, second = (json.loads(c.request.content) for c in route.calls)
    assert first["callToAction"] == {
        "actionType": "LEARN_MORE",
        "url": "https://cafe-atlas.example/menu",
    }
    assert second["callToAction"] == {"actionType": "CALL"}


@respx.mock
def test_an_event_and_an_offer_carry_their_schedule_and_coupon(adapter):
    route = respx.post(POSTS).respond(200, json=load("google_business_local_post.json"))
    event = {
        "topic_type": "EVENT",
        "event_title": "Soirée gnaoua",
        "event_start": "2026-12-19T20:00",
        "event_end": "2026-12-19T23:30",
    }
    adapter.publish(CREDS, PostContent(text="Samedi soir", options=event))
    adapter.publish(
        CREDS,
        PostContent(
            text="-20 % sur les petits déjeuners",
            options={
                "topic_type": "OFFER",
                "event_title": "Petit déjeuner",
                "event_start": "2026-12-07",
                "event_end": "2026-12-14",
                "offer_coupon_code": "ATLAS20",
                "offer_terms": "Sur place uniquement.",
            },
        ),
    )
    sent_event, sent_offer = (json.loads(c.request.content) for c in route.calls)
    assert sent_event["event"] == {
        "title": "Soirée gnaoua",
        "schedule": {
            "startDate": {"year": 2026, "month": 12, "day": 19},
            "endDate": {"year": 2026, "month": 12, "day": 19},
            "startTime": {"hours": 20, "minutes": 0},
            "endTime": {"hours": 23, "minutes": 30},
        },
    }
    assert sent_offer["topicType"] == "OFFER"
    assert sent_offer["offer"] == {
        "couponCode": "ATLAS20",
        "termsConditions": "Sur place uniquement.",
    }
    assert "callToAction" not in sent_offer


@pytest.mark.parametrize(
    "content, code",
    [
        (PostContent(text="x", options={"topic_type": "EVENT"}), "option_invalid"),
        (
            PostContent(
                text="x",
                options={
                    "topic_type": "EVENT",
                    "event_start": "2026-12-19",
                    "event_end": "2026-12-20",
                },
            ),
            "option_required",
        ),
        (
            PostContent(
                text="x",
                options={
                    "topic_type": "EVENT",
                    "event_title": "t",
                    "event_start": "2026-12-20",
                    "event_end": "2026-12-19",
                },
            ),
            "option_invalid",
        ),
        (PostContent(text="x", options={"call_to_action": "BOOK"}), "option_required"),
        (
            PostContent(
                text="x", media=[MediaItem(kind=MediaKind.IMAGE, mime_type="image/png", data=b"p")]
            ),
            "media_url_required",
        ),
    ],
)
@respx.mock(assert_all_called=False)
def test_what_google_would_refuse_is_refused_before_any_call(adapter, content, code):
    with pytest.raises(PermanentError) as caught:
        adapter.publish(CREDS, content)
    assert caught.value.code == code
    assert not respx.calls


def test_the_options_declare_the_topic_and_button_choices():
    options = GoogleBusinessAdapter.publish_options
    assert check_options(options, {"topic_type": "EVENT", "call_to_action": "SIGN_UP"}) == []
    problems = check_options(options, {"call_to_action": "DOWNLOAD", "call_to_action_url": "x"})
    assert {p.code for p in problems} == {"option_not_a_choice", "option_not_a_url"}


@respx.mock
def test_timeout_on_publish_is_outcome_unknown_and_the_post_is_found_again(adapter):
    respx.post(POSTS).mock(side_effect=httpx.ReadTimeout("slow"))
    listing = respx.get(POSTS).respond(200, json=load("google_business_local_posts.json"))
    content = PostContent(text="Nouveau : le msemen au miel, tous les matins.")

    with pytest.raises(OutcomeUnknown):
        adapter.publish(CREDS, content)
    found = adapter.find_existing_post(
        CREDS, content, since=datetime(2026, 12, 6, 9, 0, tzinfo=UTC)
    )

    assert found.external_id.endswith("/localPosts/2846171902746312288")
    assert parse_qs(listing.calls.last.request.url.query.decode())["pageSize"] == ["100"]
    assert adapter.find_existing_post(CREDS, PostContent(text="Autre chose")) is None


@respx.mock
def test_recent_posts_leave_out_older_and_rejected_posts(adapter):
    respx.get(POSTS).respond(200, json=load("google_business_local_posts.json"))
    recent = adapter.list_recent_posts(CREDS, datetime(2026, 11, 1, tzinfo=UTC))
    assert [p.external_id.rsplit("/", 1)[1] for p in recent] == ["2846171902746312288"]
    assert recent[0].comments_count == 0


@respx.mock
def test_a_local_post_is_deleted(adapter):
    post = f"{LOCATION}/localPosts/2846171902746312288"
    route = respx.delete(f"{V4}/{post}").respond(200, json={})
    adapter.delete_post(CREDS, post)
    assert route.called
    with pytest.raises(PermanentError):
        adapter.delete_post(CREDS, "accounts/1/locations/2/localPosts/3")


# ------------------------------------------------------------------ errors


@pytest.mark.parametrize(
    "status, fixture, error",
    [
        (401, "google_business_error_unauthenticated.json", AuthExpired),
        (403, "google_business_error_scope.json", AuthExpired),
        (403, "google_business_error_permission_denied.json", PermanentError),
        (400, "google_business_error_invalid_argument.json", PermanentError),
    ],
)
@respx.mock
def test_googles_error_statuses_are_mapped(adapter, status, fixture, error):
    respx.post(POSTS).respond(status, json=load(fixture))
    with pytest.raises(error) as caught:
        adapter.publish(CREDS, PostContent(text="Appelez le 0522 00 00 00"))
    if error is PermanentError:
        assert caught.value.code == load(fixture)["error"]["status"]


@respx.mock
def test_an_invalid_argument_names_the_field(adapter):
    respx.post(POSTS).respond(400, json=load("google_business_error_invalid_argument.json"))
    with pytest.raises(PermanentError) as caught:
        adapter.publish(CREDS, PostContent(text="Appelez le 0522 00 00 00"))
    assert "summary: Standard local post cannot have phone number" in caught.value.explanation


@respx.mock
def test_quota_exhausted_waits_as_google_says(adapter):
    respx.post(POSTS).respond(429, json=load("google_business_error_resource_exhausted.json"))
    with pytest.raises(RateLimited) as caught:
        adapter.publish(CREDS, PostContent(text="x"))
    assert caught.value.retry_after == 42.0
    respx.post(POSTS).respond(
        429,
        json=load("google_business_error_resource_exhausted.json"),
        headers={"Retry-After": "7"},
    )
    with pytest.raises(RateLimited) as caught:
        adapter.publish(CREDS, PostContent(text="x"))
    assert caught.value.retry_after == 7.0


@respx.mock
def test_unavailable_is_transient(adapter):
    respx.post(POSTS).respond(503, json={"error": {"code": 503, "status": "UNAVAILABLE"}})
    with pytest.raises(TransientError):
        adapter.publish(CREDS, PostContent(text="x"))


# ------------------------------------------------------------------ rules


def test_rules_one_photo_and_1500_characters():
    content = PostContent(text="x" * 1501, media=[PHOTO, PHOTO])
    codes = {v.code for v in check_content("google_business", content)}
    assert codes == {"text_too_long", "too_many_media"}
    small = MediaItem(
        kind=MediaKind.IMAGE,
        mime_type="image/jpeg",
        url="https://a.example/s.jpg",
        width=200,
        height=200,
    )
    assert [
        v.code for v in check_content("google_business", PostContent(text="x", media=[small]))
    ] == ["media_too_small"]
    video = MediaItem(kind=MediaKind.VIDEO, mime_type="video/mp4", url="https://a.example/v.mp4")
    assert "media_kind_not_allowed" in {
        v.code for v in check_content("google_business", PostContent(text="x", media=[video]))
    }
