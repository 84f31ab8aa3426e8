"""Smaller access defects, one test per path: what client roles and approval-link holders see
(no team comments, no crisis notes), where a `next` may send people, read keys, approval-link
comments, the composer's brand, the client's ICS feed and uploaded files."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from agency.models import Role
from agency.tests.factories import ApiKeyFactory, BrandAccessFactory, MembershipFactory
from campaigns.models import Post, PostComment, PostState
from campaigns.selectors.share_links import share_link_token
from campaigns.tests.factories import (
    MediaAssetFactory,
    PostCommentFactory,
    PostFactory,
    ShareLinkFactory,
)
from clients.tests.factories import BrandFactory
from reputation.tests.factories import CrisisIncidentFactory, IncidentEventFactory

pytestmark = pytest.mark.usefixtures("en")

TEAM_SAYS = "Attention, le client hésite encore sur le prix"
CLIENT_SAYS = "Nous préférons le visuel bleu"
LINK_SAYS = "Vu par le directeur"


@pytest.fixture
def thread(agency_a, brand_a, member_of_a, client_of_a):
    """A post awaiting the client, with a team comment, a client comment and a link comment."""
    post = PostFactory(
        agency=agency_a, brand=brand_a, state=PostState.IN_REVIEW, review_stage="client"
    )
    PostCommentFactory(agency=agency_a, post=post, author=member_of_a.user, body=TEAM_SAYS)
    PostCommentFactory(
        agency=agency_a, post=post, author=client_of_a.user, body=CLIENT_SAYS, visibility="external"
    )
    PostCommentFactory(
        agency=agency_a,
        post=post,
        author=None,
        author_label="Direction",
        body=LINK_SAYS,
        visibility="external",
    )
    return post


def _approval_link(agency, brand):
    link = ShareLinkFactory(agency=agency, brand=brand, kind="approval")
    return reverse("campaigns:approval_link", kwargs={"token": share_link_token(link)})


# --- Team comments and crisis notes stay off client paths -----------------------------------


def test_a_client_approvers_post_page_hides_team_comments(thread, client_of_a, login):
    url = reverse("campaigns:post_detail", kwargs={"post_id": thread.pk})
    page = login(client_of_a).get(url).content.decode()
    assert TEAM_SAYS not in page
    assert CLIENT_SAYS in page and LINK_SAYS in page


def test_the_team_still_sees_every_comment(thread, member_of_a, login):
    url = reverse("campaigns:post_detail", kwargs={"post_id": thread.pk})
    page = login(member_of_a).get(url).content.decode()
    assert TEAM_SAYS in page and CLIENT_SAYS in page and LINK_SAYS in page


def test_the_approval_link_page_hides_team_comments(thread, agency_a, brand_a, client):
    page = client.get(_approval_link(agency_a, brand_a)).content.decode()
    assert thread.title in page
    assert TEAM_SAYS not in page
    assert CLIENT_SAYS in page and LINK_SAYS in page


def test_the_api_hides_team_comments_from_client_roles(thread, client_of_a, member_of_a, api_as):
    url = f"/api/v1/posts/{thread.pk}/comments/"
    as_client = [c["body"] for c in api_as(client_of_a).get(url).json()]
    assert as_client == [CLIENT_SAYS, LINK_SAYS]
    as_team = [c["body"] for c in api_as(member_of_a).get(url).json()]
    assert TEAM_SAYS in as_team


@pytest.fixture
def incident_with_note(agency_a, brand_a):
    incident = CrisisIncidentFactory(agency=agency_a, brand=brand_a)
    IncidentEventFactory(agency=agency_a, incident=incident, kind="opened", text="")
    IncidentEventFactory(agency=agency_a, incident=incident, kind="note", text=TEAM_SAYS)
    return incident


def test_client_roles_do_not_see_crisis_notes_on_the_incident_page(
    incident_with_note, client_of_a, member_of_a, login
):
    url = reverse("dashboard:crisis_incident", args=[incident_with_note.pk])
    assert TEAM_SAYS not in login(client_of_a).get(url).content.decode()
    assert TEAM_SAYS in login(member_of_a).get(url).content.decode()


def test_client_roles_do_not_see_crisis_notes_in_the_api(
    incident_with_note, client_of_a, member_of_a, api_as
):
    url = f"/api/v1/crisis-incidents/{incident_with_note.pk}/events/"
    assert [e["kind"] for e in api_as(client_of_a).get(url).json()] == ["opened"]
    assert "note" in [e["kind"] for e in api_as(member_of_a).get(url).json()]


# --- Open redirect ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "next_url",
    ["https://evil.example/phish", "//evil.example/", "/\\evil.example", "javascript:alert(1)"],
)
def test_a_review_never_redirects_off_site(thread, client_of_a, login, next_url):
    response = login(client_of_a).post(
        reverse("campaigns:post_approve", kwargs={"post_id": thread.pk}), {"next": next_url}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("campaigns:approvals")


def test_a_review_returns_to_a_page_of_ours(thread, client_of_a, login):
    back = reverse("campaigns:post_detail", kwargs={"post_id": thread.pk})
    response = login(client_of_a).post(
        reverse("campaigns:post_request_changes", kwargs={"post_id": thread.pk}),
        {"next": back, "comment": "Plus court"},
    )
    assert response["Location"] == back


# --- Read keys, approval-link comments, the composer's brand ----------------------------------


def test_a_read_only_api_key_cannot_mark_notifications_read(agency_a, api_as):
    key = ApiKeyFactory(agency=agency_a, scope="read")
    response = api_as(key).post("/api/v1/notifications/read-all/")
    assert response.status_code == 403


@pytest.mark.parametrize(
    "state,stage",
    [
        (PostState.DRAFT, ""),
        (PostState.IN_REVIEW, "internal"),
        (PostState.APPROVED, "client"),
        (PostState.PUBLISHED, "client"),
    ],
)
def test_the_approval_link_refuses_comments_on_posts_not_awaiting_the_client(
    agency_a, brand_a, client, state, stage
):
    post = PostFactory(agency=agency_a, brand=brand_a, state=state, review_stage=stage)
    url = _approval_link(agency_a, brand_a)
    page = client.post(
        url,
        {"post": post.pk, "decision": "comment", "comment": "Hors délai"},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert not PostComment.unscoped.filter(post=post).exists()
    assert "no longer awaiting you" in page.content.decode()


def test_the_approval_link_takes_comments_on_posts_awaiting_the_client(thread, agency_a, client):
    url = _approval_link(agency_a, thread.brand)
    client.post(url, {"post": thread.pk, "decision": "comment", "comment": "Très bien"})
    assert PostComment.unscoped.filter(post=thread, body="Très bien").exists()


def test_the_composer_refuses_another_agencys_brand(
    member_of_a, brand_a, brand_b, login, accounts_a
):
    client = login(member_of_a)
    data = {"brand": brand_b.pk, "text": "Bonjour", "accounts": [accounts_a[0].pk]}
    assert client.post(reverse("campaigns:post_create"), data).status_code == 404
    assert client.get(reverse("campaigns:post_create"), {"brand": brand_b.pk}).status_code == 404
    assert not Post.unscoped.exists()


def test_the_composer_refuses_a_brand_not_given_to_the_client(agency_a, brand_a, login):
    other = BrandFactory(agency=agency_a)
    approver = MembershipFactory(agency=agency_a, role=Role.CLIENT_APPROVER)
    BrandAccessFactory(agency=agency_a, membership=approver, brand=brand_a)
    # Client approvers do not write posts: the composer is closed to them either way.
    response = login(approver).post(reverse("campaigns:post_create"), {"brand": other.pk})
    assert response.status_code in {403, 404}


# --- The client's ICS feed ----------------------------------------------------------------------


def test_the_ics_feed_shows_only_what_the_client_agreed_to(agency_a, brand_a, client):
    soon = timezone.now() + dt.timedelta(days=2)
    titles = {}
    for state in PostState.values:
        titles[state] = f"Etat {state}"
        PostFactory(
            agency=agency_a, brand=brand_a, state=state, scheduled_at=soon, title=titles[state]
        )
    feed = ShareLinkFactory(agency=agency_a, brand=brand_a, kind="calendar", expires_at=None)
    body = client.get(
        reverse("campaigns:ics", kwargs={"token": share_link_token(feed)})
    ).content.decode()
    shown = {state for state, title in titles.items() if f"SUMMARY:{title}\r\n" in body}
    assert shown == {"approved", "scheduled", "publishing", "published", "partly_published"}
    assert "STATUS:TENTATIVE" in body and "STATUS:CANCELLED" not in body


# --- Uploaded files ------------------------------------------------------------------------------


@pytest.fixture
def uploaded(agency_a, brand_a, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    asset = MediaAssetFactory(agency=agency_a, brand=brand_a)
    return asset, "/media/" + asset.file.name


def test_an_uploaded_file_is_served_to_a_member_of_its_agency(uploaded, member_of_a, login):
    _asset, url = uploaded
    response = login(member_of_a).get(url)
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")


def test_an_uploaded_file_is_never_served_anonymously(uploaded, client):
    _asset, url = uploaded
    assert client.get(url).status_code == 404


def test_an_uploaded_file_is_not_served_to_another_agency(uploaded, owner_of_b, login):
    _asset, url = uploaded
    assert login(owner_of_b).get(url).status_code == 404


def test_an_uploaded_file_is_not_served_to_a_client_without_its_brand(uploaded, agency_a, login):
    _asset, url = uploaded
    viewer = MembershipFactory(agency=agency_a, role=Role.CLIENT_VIEWER)
    BrandAccessFactory(agency=agency_a, membership=viewer, brand=BrandFactory(agency=agency_a))
    assert login(viewer).get(url).status_code == 404


def test_a_file_on_disk_that_belongs_to_no_row_is_not_served(
    uploaded, member_of_a, login, settings
):
    (settings.MEDIA_ROOT / "stray.txt").write_text("not an upload")
    client = login(member_of_a)
    assert client.get("/media/stray.txt").status_code == 404
    assert client.get("/media/../config/settings/base.py").status_code == 404


def test_development_serves_media_through_the_access_check_too(settings):
    """`static()` on MEDIA_ROOT (what development used) serves any upload to anyone."""
    import importlib

    from django.views.static import serve

    import config.urls

    settings.DEBUG = True
    try:
        patterns = importlib.reload(config.urls).urlpatterns
        callbacks = [getattr(p, "callback", None) for p in patterns]
        assert serve not in callbacks
        assert any(getattr(c, "__name__", "") == "media_file" for c in callbacks)
    finally:
        settings.DEBUG = False
        importlib.reload(config.urls)
