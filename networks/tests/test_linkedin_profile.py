import json
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
import respx

from networks.base import (
    AppCredentials,
    Credentials,
    MediaItem,
    MediaKind,
    Network,
    NotSupported,
    PermanentError,
    PostContent,
    TokenSet,
)
from networks.linkedin.adapter import DEFAULT_VERSION
from networks.linkedin_profile.adapter import LinkedInProfileAdapter
from networks.registry import display_name
from networks.rules import check_content

from .conftest import load

API = "https://api.linkedin.com/rest"
PERSON = "urn:li:person:782bbtaQ"
SHARE = "urn:li:share:7168012345678901300"
CREDS = Credentials(access_token="AQVmember", external_id=PERSON)


@pytest.fixture
def adapter(make_adapter):
    return make_adapter(LinkedInProfileAdapter)


def test_authorisation_asks_for_openid_connect_and_member_posting():
    url = LinkedInProfileAdapter().authorization_url(
        AppCredentials("cid"), redirect_uri="https://app.example/cb", state="s" * 20
    )
    query = parse_qs(urlsplit(url).query)
    assert url.startswith("https://www.linkedin.com/oauth/v2/authorization?")
    assert query["scope"] == ["openid profile email w_member_social"]
    assert display_name(Network.LINKEDIN_PROFILE) == "LinkedIn (profile)"


@respx.mock
def test_connecting_reads_the_member_from_userinfo(adapter):
    route = respx.get("https://api.linkedin.com/v2/userinfo").respond(
        200, json=load("linkedin_profile_userinfo.json")
    )

    profiles = adapter.connected_profiles(
        TokenSet(access_token="AQVmember", expires_in=5184000, scope="openid,w_member_social"),
        app=AppCredentials("cid", "secret"),
    )

    assert len(profiles) == 1
    member = profiles[0]
    assert member.network == "linkedin_profile"
    assert member.external_id == PERSON
    assert member.display_name == "Salma Bennani"
    assert member.handle == "salma.bennani@atlas.example"
    assert member.scopes == ["openid", "w_member_social"]
    assert route.calls.last.request.headers["Authorization"] == "Bearer AQVmember"


@respx.mock
def test_publish_with_an_image_has_the_person_as_author_and_owner(adapter):
    init = respx.post(f"{API}/images", params={"action": "initializeUpload"}).respond(
        200, json=load("linkedin_image_init.json")
    )
    respx.put(url__startswith="https://www.linkedin.com/dms-uploads/").respond(201)
    posts = respx.post(f"{API}/posts").respond(201, headers={"x-restli-id": SHARE})
    image = MediaItem(kind=MediaKind.IMAGE, mime_type="image/jpeg", data=b"jpg", alt_text="Nous")

    result = adapter.publish(CREDS, PostContent(text="Fière de l'équipe #Rabat", media=[image]))

    assert result.external_id == SHARE
    owner = json.loads(init.calls.last.request.content)["initializeUploadRequest"]["owner"]
    assert owner == PERSON
    request = posts.calls.last.request
    assert request.headers["LinkedIn-Version"] == DEFAULT_VERSION
    assert request.headers["X-Restli-Protocol-Version"] == "2.0.0"
    body = json.loads(request.content)
    assert body["author"] == PERSON
    assert body["content"]["media"]["id"] == "urn:li:image:D4D10AQHgMaVvlUK6rQ"


@respx.mock
def test_a_member_app_without_share_on_linkedin_is_a_permanent_refusal(adapter):
    respx.post(f"{API}/posts").respond(403, json=load("linkedin_profile_error_403.json"))
    with pytest.raises(PermanentError) as caught:
        adapter.publish(CREDS, PostContent(text="Bonjour"))
    assert caught.value.code == "ACCESS_DENIED"


@respx.mock
def test_the_first_comment_is_written_as_the_member(adapter):
    route = respx.post(url__startswith=f"{API}/socialActions/").mock(
        return_value=httpx.Response(201, headers={"x-restli-id": "7168019999999999111"})
    )
    adapter.publish_first_comment(CREDS, SHARE, "Le lien : https://atlas.example")
    assert json.loads(route.calls.last.request.content)["actor"] == PERSON


@pytest.mark.parametrize(
    "call",
    [
        lambda a: a.list_comments(CREDS, SHARE),
        lambda a: a.list_recent_posts(CREDS, None),
        lambda a: a.find_existing_post(CREDS, PostContent(text="x")),
        lambda a: a.post_metrics(CREDS, SHARE),
        lambda a: a.account_metrics(CREDS),
        lambda a: a.reply(CREDS, SHARE, "merci"),
    ],
)
@respx.mock(assert_all_called=False)
def test_what_needs_partner_programmes_is_refused_before_any_call(adapter, call):
    with pytest.raises(NotSupported):
        call(adapter)
    assert not respx.calls


def test_member_posts_follow_the_organisation_rules():
    violations = check_content("linkedin_profile", PostContent(text="x" * 3001))
    assert [v.code for v in violations] == ["text_too_long"]
    assert "LinkedIn (profile)" in violations[0].message
