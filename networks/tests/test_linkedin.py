import json

import httpx
import pytest
import respx

from networks.base import (
    AppCredentials,
    AuthExpired,
    Credentials,
    MediaItem,
    MediaKind,
    NotSupported,
    OutcomeUnknown,
    PermanentError,
    PostContent,
    RateLimited,
    TransientError,
)
from networks.linkedin.adapter import DEFAULT_VERSION, LinkedInAdapter
from networks.linkedin.text import little_text

from .conftest import load

API = "https://api.linkedin.com/rest"
ORG = "urn:li:organization:2414183"
SHARE = "urn:li:share:7168012345678901248"
CREDS = Credentials(access_token="AQVlinkedin", refresh_token="AQXrefresh", external_id=ORG)


@pytest.fixture
def adapter(make_adapter):
    return make_adapter(LinkedInAdapter)


def _created():
    return httpx.Response(201, headers={"x-restli-id": SHARE})


@respx.mock
def test_publish_sends_version_headers_and_reads_id_from_x_restli_id(adapter):
    route = respx.post(f"{API}/posts").mock(return_value=_created())

    result = adapter.publish(CREDS, PostContent(text="Lancement (enfin) #Casablanca"))

    assert result.external_id == SHARE
    assert result.url == f"https://www.linkedin.com/feed/update/{SHARE}/"
    request = route.calls.last.request
    assert request.headers["LinkedIn-Version"] == DEFAULT_VERSION
    assert request.headers["X-Restli-Protocol-Version"] == "2.0.0"
    body = json.loads(request.content)
    assert body["author"] == ORG
    assert body["commentary"] == "Lancement \\(enfin\\) {hashtag|\\#|Casablanca}"
    assert body["lifecycleState"] == "PUBLISHED"


@respx.mock
def test_link_becomes_an_article_card(adapter):
    route = respx.post(f"{API}/posts").mock(return_value=_created())
    adapter.publish(
        CREDS,
        PostContent(text="À lire", link="https://atlas.example/blog", link_title="Notre blog"),
    )
    assert json.loads(route.calls.last.request.content)["content"] == {
        "article": {"source": "https://atlas.example/blog", "title": "Notre blog"}
    }


@respx.mock
def test_images_are_initialised_uploaded_then_attached_as_multi_image(adapter):
    init = load("linkedin_image_init.json")
    second = {"value": {**init["value"], "image": "urn:li:image:SECOND"}}
    respx.post(f"{API}/images", params={"action": "initializeUpload"}).mock(
        side_effect=[httpx.Response(200, json=init), httpx.Response(200, json=second)]
    )
    upload = respx.put(url__startswith="https://www.linkedin.com/dms-uploads/").respond(201)
    route = respx.post(f"{API}/posts").mock(return_value=_created())
    images = [
        MediaItem(kind=MediaKind.IMAGE, mime_type="image/png", data=b"png", alt_text=a)
        for a in ("un", "deux")
    ]

    adapter.publish(CREDS, PostContent(text="Album", media=images))

    assert upload.call_count == 2
    assert json.loads(route.calls.last.request.content)["content"] == {
        "multiImage": {
            "images": [
                {"id": "urn:li:image:D4D10AQHgMaVvlUK6rQ", "altText": "un"},
                {"id": "urn:li:image:SECOND", "altText": "deux"},
            ]
        }
    }


@respx.mock
def test_video_is_uploaded_in_parts_and_finalised_with_etags(adapter):
    respx.post(f"{API}/videos", params={"action": "initializeUpload"}).respond(
        200, json=load("linkedin_video_init.json")
    )
    parts = respx.put(url__regex=r".*/part-\d$").mock(
        side_effect=[
            httpx.Response(200, headers={"etag": "etag-0"}),
            httpx.Response(200, headers={"etag": "etag-1"}),
        ]
    )
    finalize = respx.post(f"{API}/videos", params={"action": "finalizeUpload"}).respond(200)
    respx.post(f"{API}/posts").mock(return_value=_created())
    video = MediaItem(kind=MediaKind.VIDEO, mime_type="video/mp4", data=b"v" * 4194400)

    adapter.publish(CREDS, PostContent(text="Vidéo", media=[video]))

    assert [len(c.request.content) for c in parts.calls] == [4194304, 96]
    sent = json.loads(finalize.calls.last.request.content)["finalizeUploadRequest"]
    assert sent["uploadedPartIds"] == ["etag-0", "etag-1"]


@respx.mock
def test_sunset_version_is_permanent_and_explains_what_to_change(adapter):
    respx.post(f"{API}/posts").respond(426, json=load("linkedin_error_426.json"))
    with pytest.raises(PermanentError) as caught:
        adapter.publish(CREDS, PostContent(text="hello"))
    assert caught.value.code == "NONEXISTENT_VERSION"
    assert "LinkedIn-Version must be raised" in caught.value.explanation


@respx.mock
def test_deprecation_header_is_surfaced_as_a_warning(adapter):
    respx.post(f"{API}/posts").mock(
        return_value=httpx.Response(
            201,
            headers={
                "x-restli-id": SHARE,
                "Deprecation": "true",
                "Sunset": "Wed, 01 Jul 2027 00:00:00 GMT",
            },
        )
    )
    result = adapter.publish(CREDS, PostContent(text="hello"))
    assert result.warnings and "deprecated" in result.warnings[0]


@respx.mock
def test_revoked_token_raises_auth_expired(adapter):
    respx.post(f"{API}/posts").respond(401, json=load("linkedin_error_401.json"))
    with pytest.raises(AuthExpired, match="REVOKED_ACCESS_TOKEN"):
        adapter.publish(CREDS, PostContent(text="hello"))


@respx.mock
def test_rate_limit_carries_retry_after(adapter):
    respx.post(f"{API}/posts").respond(
        429, json=load("linkedin_error_429.json"), headers={"Retry-After": "3600"}
    )
    with pytest.raises(RateLimited) as caught:
        adapter.publish(CREDS, PostContent(text="hello"))
    assert caught.value.retry_after == 3600.0


@respx.mock
def test_server_error_is_transient(adapter):
    respx.post(f"{API}/posts").respond(504)
    with pytest.raises(TransientError):
        adapter.publish(CREDS, PostContent(text="hello"))


@respx.mock
def test_too_long_commentary_is_permanent_with_linkedin_message(adapter):
    respx.post(f"{API}/posts").respond(422, json=load("linkedin_error_422.json"))
    with pytest.raises(PermanentError) as caught:
        adapter.publish(CREDS, PostContent(text="x" * 3100))
    assert caught.value.code == "UNPROCESSABLE_ENTITY"
    assert "Maximum length is 3000" in caught.value.explanation


@respx.mock
def test_timeout_on_publish_is_outcome_unknown(adapter):
    respx.post(f"{API}/posts").mock(side_effect=httpx.ReadTimeout("slow"))
    with pytest.raises(OutcomeUnknown):
        adapter.publish(CREDS, PostContent(text="hello"))


@respx.mock
def test_find_existing_post_undoes_little_text_escaping(adapter):
    route = respx.get(url__startswith=f"{API}/posts?author=").respond(
        200, json=load("linkedin_posts_by_author.json")
    )

    found = adapter.find_existing_post(
        CREDS, PostContent(text="Lancement (enfin) de notre offre #Casablanca")
    )

    assert found.external_id == SHARE
    assert "author=urn%3Ali%3Aorganization%3A2414183" in str(route.calls.last.request.url)


@respx.mock
def test_comments_first_comment_reply_and_delete(adapter):
    respx.get(url__startswith=f"{API}/socialActions/").respond(
        200, json=load("linkedin_comments.json")
    )
    create = respx.post(url__startswith=f"{API}/socialActions/").mock(
        return_value=httpx.Response(201, headers={"x-restli-id": "7168019999999999000"})
    )
    delete = respx.delete(url__startswith=f"{API}/socialActions/").respond(204)

    comments = adapter.list_comments(CREDS, SHARE)
    adapter.publish_first_comment(CREDS, SHARE, "Le lien : https://atlas.example")
    adapter.reply(CREDS, comments[0].external_id, "Merci !")
    adapter.delete_comment(CREDS, comments[0].external_id)

    assert comments[0].text == "Félicitations pour ce lancement !"
    assert comments[0].created_at.year == 2026
    reply = json.loads(create.calls.last.request.content)
    assert reply["object"] == "urn:li:activity:7168012345678901248"
    assert reply["parentComment"] == comments[0].external_id
    assert delete.calls.last.request.url.path.endswith("/comments/7168019999999999999")


@respx.mock
def test_share_statistics_and_follower_count(adapter):
    respx.get(url__startswith=f"{API}/organizationalEntityShareStatistics").respond(
        200, json=load("linkedin_share_statistics.json")
    )
    respx.get(url__startswith=f"{API}/networkSizes/").respond(
        200, json=load("linkedin_network_size.json")
    )

    m = adapter.post_metrics(CREDS, SHARE)

    assert (m.impressions, m.reach, m.clicks, m.likes, m.comments, m.shares) == (
        3900,
        2400,
        96,
        120,
        9,
        14,
    )
    assert adapter.account_metrics(CREDS).followers == 18342
    with pytest.raises(NotSupported):
        adapter.post_metrics(Credentials("t", external_id="urn:li:person:abc"), SHARE)


@respx.mock
def test_refresh_keeps_the_old_refresh_token_when_none_is_returned(adapter):
    respx.post("https://www.linkedin.com/oauth/v2/accessToken").respond(
        200, json={"access_token": "AQVnew", "expires_in": 5184000}
    )

    renewed = adapter.refresh(CREDS, AppCredentials("cid", "secret"))

    assert renewed.access_token == "AQVnew"
    assert renewed.refresh_token == "AQXrefresh"


def test_little_text_escapes_reserved_characters():
    assert little_text("a_b *c* @d [e] <f> ~g~ \\ | {h}") == (
        "a\\_b \\*c\\* \\@d \\[e\\] \\<f\\> \\~g\\~ \\\\ \\| \\{h\\}"
    )
