"""Internal and external comments on posts (issue 14): the team's comments are internal unless
shared; client roles and approval-link holders write and read external ones only, through
every page, the API and the notifications."""

import importlib

import pytest
from django.db import connection
from django.urls import reverse

from agency import rls
from agency.models import Role
from agency.tests.factories import BrandAccessFactory
from campaigns.models import PostComment, PostState
from campaigns.selectors.share_links import share_link_token
from campaigns.services.comments import post_comment_add
from campaigns.services.workflow import post_approve, post_request_changes
from campaigns.tests.factories import PostCommentFactory, PostFactory, ShareLinkFactory
from notifications.models import Notification

pytestmark = pytest.mark.usefixtures("en")

SECRET = "Marge trop faible, on garde le prix"
SHARED = "Le visuel final arrive demain"


@pytest.fixture
def awaiting_client(agency_a, brand_a):
    return PostFactory(
        agency=agency_a, brand=brand_a, state=PostState.IN_REVIEW, review_stage="client"
    )


@pytest.fixture
def viewer_of_a(agency_a, brand_a, member_factory):
    viewer = member_factory(agency_a, Role.CLIENT_VIEWER)
    BrandAccessFactory(membership=viewer, agency=agency_a, brand=brand_a)
    return viewer


@pytest.fixture
def team_thread(awaiting_client, member_of_a, in_agency):
    """One internal and one shared team comment, written through the service."""
    with in_agency(awaiting_client.agency_id):
        post_comment_add(actor=member_of_a, post=awaiting_client, body=SECRET)
        post_comment_add(
            actor=member_of_a, post=awaiting_client, body=SHARED, visibility="external"
        )
    return awaiting_client


def _link_page(agency, brand):
    link = ShareLinkFactory(agency=agency, brand=brand, kind="approval")
    return reverse("campaigns:approval_link", kwargs={"token": share_link_token(link)})


def test_a_team_comment_is_internal_unless_shared(team_thread):
    kinds = dict(PostComment.unscoped.filter(post=team_thread).values_list("body", "visibility"))
    assert kinds == {SECRET: "internal", SHARED: "external"}


@pytest.mark.parametrize("role", ["client_of_a", "viewer_of_a"])
def test_client_roles_read_only_shared_comments_on_the_post_page(team_thread, role, request, login):
    page = login(request.getfixturevalue(role)).get(
        reverse("campaigns:post_detail", kwargs={"post_id": team_thread.pk})
    )
    html = page.content.decode()
    assert SHARED in html and SECRET not in html
    assert "data-visibility" not in html  # the badges are the team's


def test_the_team_sees_which_comment_the_client_reads(team_thread, member_of_a, login):
    html = (
        login(member_of_a)
        .get(reverse("campaigns:post_detail", kwargs={"post_id": team_thread.pk}))
        .content.decode()
    )
    assert SECRET in html and SHARED in html
    assert 'data-visibility="external"' in html and 'data-visibility="internal"' in html


def test_the_approval_link_shows_only_shared_comments(team_thread, agency_a, brand_a, client):
    html = client.get(_link_page(agency_a, brand_a)).content.decode()
    assert SHARED in html and SECRET not in html


def test_the_approvals_page_of_a_client_shows_no_internal_comment(team_thread, client_of_a, login):
    html = login(client_of_a).get(reverse("campaigns:approvals")).content.decode()
    assert team_thread.title in html and SECRET not in html


def test_the_composer_shows_the_thread_with_its_visibility(
    agency_a, brand_a, member_of_a, in_agency, login
):
    post = PostFactory(agency=agency_a, brand=brand_a, state=PostState.CHANGES_REQUESTED)
    with in_agency(agency_a):
        post_comment_add(actor=member_of_a, post=post, body=SECRET)
    html = (
        login(member_of_a)
        .get(reverse("campaigns:post_edit", kwargs={"post_id": post.pk}))
        .content.decode()
    )
    assert SECRET in html and 'data-visibility="internal"' in html


def test_the_api_gives_client_roles_only_shared_comments(
    team_thread, client_of_a, member_of_a, api_as
):
    url = f"/api/v1/posts/{team_thread.pk}/comments/"
    as_client = api_as(client_of_a).get(url).json()
    assert [(c["body"], c["visibility"]) for c in as_client] == [(SHARED, "external")]
    as_team = {c["body"]: c["visibility"] for c in api_as(member_of_a).get(url).json()}
    assert as_team == {SECRET: "internal", SHARED: "external"}


def test_the_team_shares_a_comment_through_the_api(awaiting_client, member_of_a, api_as):
    url = f"/api/v1/posts/{awaiting_client.pk}/comments/"
    created = api_as(member_of_a).post(url, {"body": SHARED, "visibility": "external"})
    assert created.status_code == 201 and created.json()["visibility"] == "external"
    default = api_as(member_of_a).post(url, {"body": SECRET})
    assert default.json()["visibility"] == "internal"


def test_a_client_cannot_write_an_internal_comment(awaiting_client, client_of_a, api_as):
    url = f"/api/v1/posts/{awaiting_client.pk}/comments/"
    refused = api_as(client_of_a).post(url, {"body": "Entre nous", "visibility": "internal"})
    assert refused.status_code == 400
    assert "visibility" in refused.json()["error"]["fields"]
    assert not PostComment.unscoped.filter(body="Entre nous").exists()
    written = api_as(client_of_a).post(url, {"body": "Pour l'équipe"})
    assert written.status_code == 201 and written.json()["visibility"] == "external"


def test_an_unknown_visibility_is_a_clear_400(awaiting_client, member_of_a, api_as):
    url = f"/api/v1/posts/{awaiting_client.pk}/comments/"
    refused = api_as(member_of_a).post(url, {"body": "x", "visibility": "public"})
    assert refused.status_code == 400 and "visibility" in refused.json()["error"]["fields"]


def test_a_client_comment_on_the_page_is_shared(awaiting_client, client_of_a, login):
    login(client_of_a).post(
        reverse("campaigns:post_comment", kwargs={"post_id": awaiting_client.pk}),
        {"body": "Merci", "shared": ""},
    )
    assert PostComment.unscoped.get(body="Merci").visibility == "external"


def test_the_team_shares_a_comment_from_the_page(awaiting_client, member_of_a, login):
    url = reverse("campaigns:post_comment", kwargs={"post_id": awaiting_client.pk})
    login(member_of_a).post(url, {"body": "Pour vous", "shared": "on"})
    login(member_of_a).post(url, {"body": "Pour nous"})
    kinds = dict(PostComment.unscoped.values_list("body", "visibility"))
    assert kinds == {"Pour vous": "external", "Pour nous": "internal"}


def test_decisions_are_internal_for_the_team_and_shared_for_the_client(
    agency_a, brand_a, client_of_a, manager_of_a, in_agency
):
    post = PostFactory(
        agency=agency_a, brand=brand_a, state=PostState.IN_REVIEW, review_stage="internal"
    )
    with in_agency(agency_a):
        post_approve(actor=manager_of_a, post=post, comment="OK côté agence")
        post.refresh_from_db()
        post_request_changes(actor=client_of_a, post=post, comment="Plus court")
    kinds = dict(PostComment.unscoped.values_list("body", "visibility"))
    assert kinds == {"OK côté agence": "internal", "Plus court": "external"}


def test_a_link_holders_comment_is_shared(awaiting_client, agency_a, brand_a, client):
    client.post(
        _link_page(agency_a, brand_a),
        {"post": awaiting_client.pk, "decision": "comment", "comment": "Vu", "name": "Direction"},
    )
    assert PostComment.unscoped.get(body="Vu").visibility == "external"


def test_an_internal_comment_never_notifies_a_client(
    awaiting_client,
    member_of_a,
    client_of_a,
    in_agency,
    mailoutbox,
    django_capture_on_commit_callbacks,
    eager_tasks,
):
    handle = "@" + client_of_a.user.email.split("@")[0]
    with in_agency(awaiting_client.agency_id), django_capture_on_commit_callbacks(execute=True):
        post_comment_add(actor=member_of_a, post=awaiting_client, body=f"{handle} {SECRET}")
    assert not Notification.unscoped.filter(recipient=client_of_a.user).exists()
    assert all(client_of_a.user.email not in m.to for m in mailoutbox)
    with in_agency(awaiting_client.agency_id), django_capture_on_commit_callbacks(execute=True):
        post_comment_add(
            actor=member_of_a,
            post=awaiting_client,
            body=f"{handle} {SHARED}",
            visibility="external",
        )
    assert Notification.unscoped.filter(recipient=client_of_a.user, verb="post.mentioned").exists()
    assert all(SECRET not in m.body for m in mailoutbox)


def test_the_migration_shares_only_what_clients_wrote(awaiting_client, member_of_a, client_of_a):
    agency = awaiting_client.agency
    for author, body in [
        (member_of_a.user, "équipe"),
        (client_of_a.user, "client"),
        (None, "lien"),
    ]:
        PostCommentFactory(agency=agency, post=awaiting_client, author=author, body=body)
    migration = importlib.import_module("campaigns.migrations.0007_comment_visibility")

    class Editor:  # what the function reads of Django's schema editor
        pass

    editor = Editor()
    editor.connection = connection
    # Outside a migrate the policies are forced: the test runs it in cross-agency mode, as
    # the migrating owner is exempt from them.
    with rls.across_agencies():
        migration.share_what_clients_wrote(None, editor)
    kinds = dict(PostComment.unscoped.values_list("body", "visibility"))
    assert kinds == {"équipe": "internal", "client": "external", "lien": "external"}
