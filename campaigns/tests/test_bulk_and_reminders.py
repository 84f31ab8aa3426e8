"""Bulk approval (one comment for all, reported post by post) and the reminders that escalate
(24 h, 48 h, then the account manager; at most once a day per post and person; stopping when
decided), on a faked clock (the `now` the beat task's service takes)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from agency.models import Role
from campaigns.models import ApprovalReminder, Post, PostComment, PostState
from campaigns.services.bulk import posts_bulk_approve
from campaigns.services.decisions import post_approve
from campaigns.services.reminders import approval_reminders_send
from campaigns.services.workflow import post_submit
from campaigns.tests.factories import PostFactory
from clients.tests.factories import BrandFactory
from notifications.models import Notification

pytestmark = pytest.mark.usefixtures("en")


def _awaiting_client(agency, brand, **kwargs):
    return PostFactory(
        agency=agency,
        brand=brand,
        state=PostState.IN_REVIEW,
        review_stage="client",
        awaiting_since=timezone.now(),
        **kwargs,
    )


# --- Bulk approve ---------------------------------------------------------------------------


def test_bulk_approve_reports_each_post(agency_a, brand_a, client_of_a, agency_b, in_agency):
    mine = [_awaiting_client(agency_a, brand_a) for _ in range(2)]
    internal = PostFactory(
        agency=agency_a, brand=brand_a, state=PostState.IN_REVIEW, review_stage="internal"
    )
    draft = PostFactory(agency=agency_a, brand=brand_a, state=PostState.DRAFT)
    other_brand = _awaiting_client(agency_a, BrandFactory(agency=agency_a))
    other_agency = _awaiting_client(agency_b, BrandFactory(agency=agency_b))
    ids = [p.pk for p in (*mine, internal, draft, other_brand, other_agency)]
    with in_agency(agency_a):
        outcomes = posts_bulk_approve(actor=client_of_a, post_ids=ids, comment="Tout est bon")
    by_id = {o.post_id: o for o in outcomes}
    assert [o.post_id for o in outcomes] == ids
    assert all(by_id[p.pk].approved for p in mine)
    assert by_id[internal.pk].code == "permission_denied"
    assert by_id[draft.pk].code == "invalid" and by_id[draft.pk].message
    assert by_id[other_brand.pk].code == by_id[other_agency.pk].code == "not_found"
    assert {Post.unscoped.get(pk=p.pk).state for p in mine} == {PostState.APPROVED}
    assert PostComment.unscoped.filter(body="Tout est bon", kind="approved").count() == 2
    assert Post.unscoped.get(pk=other_agency.pk).state == PostState.IN_REVIEW


def test_bulk_approve_from_the_page_says_what_was_refused(agency_a, brand_a, client_of_a, en_login):
    ok = _awaiting_client(agency_a, brand_a, title="Menu du jour")
    refused = PostFactory(agency=agency_a, brand=brand_a, state=PostState.APPROVED)
    client = en_login(client_of_a)
    page = client.get(reverse("campaigns:approvals")).content.decode()
    assert 'form="bulk-approve"' in page
    answer = client.post(
        reverse("campaigns:posts_bulk_approve"),
        {"posts": [ok.pk, refused.pk], "comment": "Validé"},
        follow=True,
    )
    html = answer.content.decode()
    assert "1 post(s) approved." in html
    assert f"Post {refused.pk} was not approved" in html
    assert Post.unscoped.get(pk=ok.pk).state == PostState.APPROVED


def test_bulk_approve_through_the_api(agency_a, brand_a, client_of_a, api_as):
    ok = _awaiting_client(agency_a, brand_a)
    answer = api_as(client_of_a).post(
        "/api/v1/posts/bulk-approve/", {"posts": [ok.pk, 999999], "comment": "OK"}, format="json"
    )
    assert answer.status_code == 200
    results = answer.json()["results"]
    assert results[0] == {
        "post": ok.pk,
        "approved": True,
        "state": "approved",
        "code": "",
        "message": "",
    }
    assert results[1]["approved"] is False and results[1]["code"] == "not_found"
    empty = api_as(client_of_a).post("/api/v1/posts/bulk-approve/", {"posts": []}, format="json")
    assert empty.status_code == 400 and "posts" in empty.json()["error"]["fields"]


def test_a_client_viewer_cannot_bulk_approve(agency_a, brand_a, member_factory, api_as):
    viewer = member_factory(agency_a, Role.CLIENT_VIEWER)
    post = _awaiting_client(agency_a, brand_a)
    answer = api_as(viewer).post("/api/v1/posts/bulk-approve/", {"posts": [post.pk]}, format="json")
    assert answer.status_code == 403
    assert Post.unscoped.get(pk=post.pk).state == PostState.IN_REVIEW


# --- Reminders that escalate ----------------------------------------------------------------


@pytest.fixture
def waiting(agency_a, brand_a, client_of_a, member_of_a):
    """A post waiting for brand_a's client approver since `start`, written by member_of_a."""
    start = timezone.now().replace(microsecond=0) - dt.timedelta(days=10)
    post = _awaiting_client(agency_a, brand_a, author=member_of_a.user)
    Post.unscoped.filter(pk=post.pk).update(awaiting_since=start)
    return post, start


def _run(agency, at, in_agency):
    with in_agency(agency):
        return approval_reminders_send(agency_id=agency.pk, now=at)


def _received(verb):
    return list(
        Notification.unscoped.filter(verb=verb).order_by("id").values_list("recipient", flat=True)
    )


def test_reminders_escalate_at_24h_48h_then_to_the_account_manager(
    waiting, agency_a, client_of_a, member_of_a, in_agency
):
    post, start = waiting
    hour = dt.timedelta(hours=1)
    assert _run(agency_a, start + 23 * hour, in_agency) == 0
    assert _run(agency_a, start + 24 * hour, in_agency) == 1
    assert _received("post.approval_reminder") == [client_of_a.user_id]
    for hours in range(25, 48):  # the hourly beat: nothing more the first day
        assert _run(agency_a, start + hours * hour, in_agency) == 0
    assert _run(agency_a, start + 48 * hour, in_agency) == 1
    assert _received("post.approval_reminder") == [client_of_a.user_id] * 2
    assert _run(agency_a, start + 60 * hour, in_agency) == 0
    assert _run(agency_a, start + 72 * hour, in_agency) == 1
    # The account manager: the post's author, a member of the team.
    assert _received("post.approval_escalated") == [member_of_a.user_id]
    for hours in range(73, 24 * 6):
        assert _run(agency_a, start + hours * hour, in_agency) == 0
    levels = ApprovalReminder.unscoped.filter(post=post).values_list("level", flat=True)
    assert sorted(levels) == [1, 2, 3]


def test_a_person_hears_about_a_post_at_most_once_a_day(waiting, agency_a, client_of_a, in_agency):
    post, start = waiting
    # The beat was down: the first run comes after 49 hours, then every hour.
    assert _run(agency_a, start + dt.timedelta(hours=49), in_agency) == 1
    for hours in range(50, 72):  # (at 72 h the account manager hears of it)
        assert _run(agency_a, start + dt.timedelta(hours=hours), in_agency) == 0
    assert _received("post.approval_reminder") == [client_of_a.user_id]


def test_reminders_stop_when_the_post_is_decided(waiting, agency_a, client_of_a, in_agency):
    post, start = waiting
    assert _run(agency_a, start + dt.timedelta(hours=24), in_agency) == 1
    with in_agency(agency_a):
        post_approve(actor=client_of_a, post=Post.objects.get(pk=post.pk))
    for hours in (48, 72, 96):
        assert _run(agency_a, start + dt.timedelta(hours=hours), in_agency) == 0
    assert _received("post.approval_escalated") == []


def test_without_an_author_on_the_team_the_admins_hear_of_it(
    agency_a, brand_a, client_of_a, owner_of_a, in_agency
):
    post = _awaiting_client(agency_a, brand_a, author=None)
    start = timezone.now() - dt.timedelta(days=5)
    Post.unscoped.filter(pk=post.pk).update(awaiting_since=start)
    _run(agency_a, start + dt.timedelta(hours=72), in_agency)
    assert _received("post.approval_escalated") == [owner_of_a.user_id]


def test_a_new_review_round_starts_the_ladder_again(
    draft, agency_a, member_of_a, owner_of_a, client_of_a, client_mode, in_agency
):
    with in_agency(agency_a):
        post = post_submit(actor=member_of_a, post=draft)
    submitted = Post.unscoped.get(pk=post.pk).awaiting_since
    # Internal stage: the team's approvers are reminded after a day.
    assert _run(agency_a, submitted + dt.timedelta(hours=25), in_agency) >= 1
    with in_agency(agency_a):
        post_approve(actor=owner_of_a, post=Post.objects.get(pk=post.pk))
    handed = Post.unscoped.get(pk=post.pk).awaiting_since
    assert handed > submitted
    assert _run(agency_a, handed + dt.timedelta(hours=23), in_agency) == 0
    # The client is a new person: reminded once their day is up.
    Notification.unscoped.all().delete()
    assert _run(agency_a, handed + dt.timedelta(hours=24), in_agency) == 1
    assert _received("post.approval_reminder") == [client_of_a.user_id]
