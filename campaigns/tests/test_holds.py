"""Putting an approved post on hold and releasing it (issue 14): who may, when, and what the
page, the API, the thread, the audit log and the author's notifications show."""

import pytest
from django.urls import reverse

from agency.models import AuditEvent, Role
from agency.tests.factories import BrandAccessFactory
from campaigns.models import Post, PostComment, PostState
from campaigns.tests.factories import PostFactory
from notifications.models import Notification

pytestmark = pytest.mark.usefixtures("en")


@pytest.fixture
def approved(agency_a, brand_a, member_of_a):
    return PostFactory(
        agency=agency_a, brand=brand_a, author=member_of_a.user, state=PostState.SCHEDULED
    )


def _held(post):
    return Post.unscoped.get(pk=post.pk).held_at is not None


def test_a_client_approver_holds_a_scheduled_post_from_its_page(approved, client_of_a, login):
    client = login(client_of_a)
    page = client.get(reverse("campaigns:post_detail", kwargs={"post_id": approved.pk}))
    assert reverse("campaigns:post_hold", kwargs={"post_id": approved.pk}) in page.content.decode()
    client.post(
        reverse("campaigns:post_hold", kwargs={"post_id": approved.pk}),
        {"comment": "Pas avant le match"},
    )
    assert _held(approved)
    held = Post.unscoped.get(pk=approved.pk)
    assert held.state == PostState.SCHEDULED and held.held_by_label
    entry = PostComment.unscoped.get(post=approved, kind="held")
    assert entry.body == "Pas avant le match" and entry.visibility == "external"
    assert AuditEvent.unscoped.filter(verb="post.held").exists()
    note = Notification.unscoped.get(verb="post.held")
    assert note.recipient_id == approved.author_id


def test_the_team_sees_the_hold_and_releases_it(approved, client_of_a, manager_of_a, login):
    login(client_of_a).post(reverse("campaigns:post_hold", kwargs={"post_id": approved.pk}))
    client = login(manager_of_a)
    html = client.get(
        reverse("campaigns:post_detail", kwargs={"post_id": approved.pk})
    ).content.decode()
    assert 'data-held="true"' in html
    assert reverse("campaigns:post_release", kwargs={"post_id": approved.pk}) in html
    client.post(reverse("campaigns:post_release", kwargs={"post_id": approved.pk}))
    assert not _held(approved)
    assert PostComment.unscoped.get(post=approved, kind="released").visibility == "internal"


@pytest.mark.parametrize(
    "state", [PostState.DRAFT, PostState.IN_REVIEW, PostState.PUBLISHING, PostState.PUBLISHED]
)
def test_only_an_approved_post_not_yet_publishing_can_be_held(
    agency_a, brand_a, client_of_a, api_as, state
):
    post = PostFactory(agency=agency_a, brand=brand_a, state=state)
    answer = api_as(client_of_a).post(f"/api/v1/posts/{post.pk}/hold/", {})
    assert answer.status_code == 400
    error = answer.json()["error"]
    assert error["code"] == "invalid" and error["message"]  # in the agency's language
    assert not _held(post)


def test_the_api_holds_and_releases_once_each(approved, client_of_a, api_as):
    api = api_as(client_of_a)
    held = api.post(f"/api/v1/posts/{approved.pk}/hold/", {"comment": "Attendez"})
    assert held.status_code == 200 and held.json()["held_at"]
    assert api.post(f"/api/v1/posts/{approved.pk}/hold/", {}).status_code == 400
    released = api.post(f"/api/v1/posts/{approved.pk}/release/", {})
    assert released.status_code == 200 and released.json()["held_at"] is None
    assert api.post(f"/api/v1/posts/{approved.pk}/release/", {}).status_code == 400


def test_people_who_cannot_approve_cannot_hold(
    approved, agency_a, brand_a, member_factory, api_as, login
):
    viewer = member_factory(agency_a, Role.CLIENT_VIEWER)
    BrandAccessFactory(membership=viewer, agency=agency_a, brand=brand_a)
    assert api_as(viewer).post(f"/api/v1/posts/{approved.pk}/hold/", {}).status_code == 403
    page = login(viewer).get(reverse("campaigns:post_detail", kwargs={"post_id": approved.pk}))
    assert reverse("campaigns:post_hold", kwargs={"post_id": approved.pk}) not in (
        page.content.decode()
    )
    assert not _held(approved)


def test_a_client_approver_cannot_hold_another_brands_post(agency_a, client_of_a, api_as):
    from clients.tests.factories import BrandFactory

    other = PostFactory(
        agency=agency_a, brand=BrandFactory(agency=agency_a), state=PostState.SCHEDULED
    )
    assert api_as(client_of_a).post(f"/api/v1/posts/{other.pk}/hold/", {}).status_code == 404
    assert not _held(other)
