"""Client approval: logged in (their brands only) and through the signed link (expiring,
revocable, tamper-proof); the ICS feed; reminders."""

import datetime as dt

import pytest
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from campaigns import ics
from campaigns.models import Post, PostComment, PostState, ShareLink
from campaigns.selectors.planning import policy_of
from campaigns.selectors.share_links import share_link_token
from campaigns.services.posts import post_create, post_update
from campaigns.services.reminders import approval_reminders_send
from campaigns.services.share_links import share_link_create, share_link_revoke
from campaigns.services.workflow import post_approve, post_submit
from campaigns.tests.factories import PostFactory, PublishingPolicyFactory, ShareLinkFactory
from clients.tests.factories import BrandFactory
from notifications.models import Notification

pytestmark = pytest.mark.usefixtures("en")


@pytest.fixture
def awaiting_client(draft, member_of_a, owner_of_a, client_mode, in_agency):
    """The composed post, approved internally: it waits for the client."""
    with in_agency(draft.agency_id):
        post = post_submit(actor=member_of_a, post=draft)
        return post_approve(actor=owner_of_a, post=post)


def _link_url(link):
    return reverse("campaigns:approval_link", kwargs={"token": share_link_token(link)})


def test_a_logged_in_client_approver_sees_and_approves_only_their_brands_posts(
    awaiting_client, agency_a, client_of_a, en_login
):
    other = PostFactory(
        agency=agency_a,
        brand=BrandFactory(agency=agency_a),
        state=PostState.IN_REVIEW,
        review_stage="client",
        title="Autre marque",
    )
    client = en_login(client_of_a)
    page = client.get(reverse("campaigns:approvals")).content.decode()
    assert awaiting_client.title in page and "Autre marque" not in page
    assert (
        client.get(reverse("campaigns:post_detail", kwargs={"post_id": other.pk})).status_code
        == 404
    )
    response = client.post(
        reverse("campaigns:post_approve", kwargs={"post_id": awaiting_client.pk}),
        {"comment": "Parfait"},
    )
    assert response.status_code == 302
    assert Post.unscoped.get(pk=awaiting_client.pk).state == PostState.SCHEDULED


def test_a_client_approver_requests_changes_with_a_comment(
    awaiting_client, client_of_a, member_of_a, en_login
):
    en_login(client_of_a).post(
        reverse("campaigns:post_request_changes", kwargs={"post_id": awaiting_client.pk}),
        {"comment": "Mettez le prix en MAD."},
    )
    post = Post.unscoped.get(pk=awaiting_client.pk)
    assert post.state == PostState.CHANGES_REQUESTED
    assert PostComment.unscoped.filter(post=post, kind="changes_requested").get().body == (
        "Mettez le prix en MAD."
    )
    assert Notification.unscoped.filter(
        recipient=member_of_a.user, verb="post.changes_requested"
    ).exists()


def test_the_reviewer_sees_what_changed_since_their_last_decision(
    awaiting_client, client_of_a, member_of_a, owner_of_a, en_login, in_agency
):
    en_login(client_of_a).post(
        reverse("campaigns:post_request_changes", kwargs={"post_id": awaiting_client.pk}),
        {"comment": "Changez le titre du menu."},
    )
    with in_agency(awaiting_client.agency_id):
        post = Post.unscoped.get(pk=awaiting_client.pk)
        post_update(actor=member_of_a, post=post, text="Le menu du ftour arrive !")
        post_submit(actor=member_of_a, post=Post.unscoped.get(pk=post.pk))
    page = en_login(owner_of_a).get(reverse("campaigns:approvals")).content.decode()
    assert "What changed since version 1 (now version 2)" in page
    # Word by word: the words kept are plain text between the ones taken out and put in.
    assert '<del class="diff-del">Notre nouveau </del><ins class="diff-add">Le </ins>menu ' in page
    assert '<ins class="diff-add">du ftour </ins>arrive ' in page


def test_the_signed_link_lists_the_posts_awaiting_the_client_with_previews(
    awaiting_client, agency_a, brand_a, client
):
    link = ShareLinkFactory(agency=agency_a, brand=brand_a)
    body = client.get(_link_url(link), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert awaiting_client.title in body
    assert "cafe-tanger.ma/menu" in body  # the per-network preview
    assert 'lang="en"' in body


def test_the_signed_link_approves_one_post_and_requests_changes_on_another(
    awaiting_client, agency_a, brand_a, member_of_a, owner_of_a, client, in_agency
):
    with in_agency(agency_a):
        second = post_create(
            actor=member_of_a,
            brand=brand_a,
            account_ids=[v.social_account_id for v in awaiting_client.variants.all()],
            title="Deuxième",
            text="Concours : gagnez un ftour pour deux",
        )
        post_submit(actor=member_of_a, post=second)
        post_approve(actor=owner_of_a, post=Post.unscoped.get(pk=second.pk))
    link = ShareLinkFactory(agency=agency_a, brand=brand_a, label="Mme Alaoui")
    url = _link_url(link)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    client.post(url, {"post": awaiting_client.pk, "decision": "approve", "comment": "OK"})
    client.post(url, {"post": second.pk, "decision": "changes", "comment": "Pas de concours."})
    assert Post.unscoped.get(pk=awaiting_client.pk).state == PostState.SCHEDULED
    second = Post.unscoped.get(pk=second.pk)
    assert second.state == PostState.CHANGES_REQUESTED
    comment = PostComment.unscoped.get(post=second, kind="changes_requested")
    assert comment.author_label == "Mme Alaoui (approval link)" and comment.author is None


def test_the_signed_link_can_only_comment_without_deciding(
    awaiting_client, agency_a, brand_a, client
):
    link = ShareLinkFactory(agency=agency_a, brand=brand_a)
    client.post(
        _link_url(link),
        {
            "post": awaiting_client.pk,
            "decision": "comment",
            "comment": "Une question sur la photo",
            "name": "Karim",
        },
    )
    assert Post.unscoped.get(pk=awaiting_client.pk).state == PostState.IN_REVIEW
    assert PostComment.unscoped.filter(post=awaiting_client, kind="comment").exists()


def test_the_signed_link_cannot_approve_at_the_internal_stage(
    draft, member_of_a, agency_a, brand_a, client, in_agency
):
    with in_agency(agency_a):
        post_submit(actor=member_of_a, post=draft)
    link = ShareLinkFactory(agency=agency_a, brand=brand_a)
    client.post(_link_url(link), {"post": draft.pk, "decision": "approve"})
    assert Post.unscoped.get(pk=draft.pk).review_stage == "internal"


def test_a_link_of_one_brand_cannot_act_on_another_brands_post(agency_a, brand_a, client):
    other = PostFactory(
        agency=agency_a,
        brand=BrandFactory(agency=agency_a),
        state=PostState.IN_REVIEW,
        review_stage="client",
    )
    link = ShareLinkFactory(agency=agency_a, brand=brand_a)
    client.post(_link_url(link), {"post": other.pk, "decision": "approve"})
    assert Post.unscoped.get(pk=other.pk).state == PostState.IN_REVIEW


def test_an_expired_link_is_refused(agency_a, brand_a, client):
    link = ShareLinkFactory(
        agency=agency_a, brand=brand_a, expires_at=timezone.now() - dt.timedelta(minutes=1)
    )
    response = client.get(_link_url(link), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 410
    assert "expired" in response.content.decode()


def test_a_revoked_link_is_refused_at_once(agency_a, brand_a, owner_of_a, client, in_agency):
    link = ShareLinkFactory(agency=agency_a, brand=brand_a)
    with in_agency(agency_a):
        share_link_revoke(actor=owner_of_a, share_link=link)
    response = client.get(_link_url(link), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 410
    assert "withdrawn" in response.content.decode()


def test_a_tampered_link_is_not_found(agency_a, brand_a, agency_b, client):
    link = ShareLinkFactory(agency=agency_a, brand=brand_a)
    token = share_link_token(link)
    tampered = token[:-2] + ("AA" if token[-2:] != "AA" else "BB")
    assert (
        client.get(reverse("campaigns:approval_link", kwargs={"token": tampered})).status_code
        == 404
    )
    forged = signing.dumps({"l": link.pk, "a": agency_b.pk, "k": "approval"}, salt="other")
    assert (
        client.get(reverse("campaigns:approval_link", kwargs={"token": forged})).status_code == 404
    )
    # An ICS token is not an approval token.
    feed = ShareLinkFactory(agency=agency_a, brand=brand_a, kind="calendar", expires_at=None)
    feed_token = share_link_token(feed)
    assert (
        client.get(reverse("campaigns:approval_link", kwargs={"token": feed_token})).status_code
        == 404
    )


def test_managing_links_needs_the_right(agency_a, brand_a, client_of_a, in_agency):
    from django.core.exceptions import PermissionDenied

    with in_agency(agency_a), pytest.raises(PermissionDenied):
        share_link_create(actor=client_of_a, brand=brand_a, kind="approval")


def test_the_publishing_page_creates_links_and_sets_the_approval_mode(
    agency_a, brand_a, member_of_a, en_login, in_agency
):
    client = en_login(member_of_a)
    url = reverse("campaigns:brand_publishing", kwargs={"brand_id": brand_a.pk})
    client.post(url, {"form": "link", "kind": "approval", "label": "Direction", "valid_days": 7})
    link = ShareLink.unscoped.get(brand=brand_a)
    assert link.expires_at - timezone.now() > dt.timedelta(days=6)
    client.post(url, {"form": "policy", "approval_mode": "internal", "duplicate_window_hours": 24})
    with in_agency(agency_a):
        assert policy_of(brand_a).approval_mode == "internal"
    assert "/approve/" in client.get(url).content.decode()


# --- ICS ---------------------------------------------------------------------------------------


def test_the_ics_feed_lists_planned_posts_in_utc_with_escaped_text(agency_a, brand_a, client):
    PostFactory(
        agency=agency_a,
        brand=brand_a,
        title="Ftour; menu, offert\\spécial",
        text="Ligne 1\nLigne 2",
        state=PostState.SCHEDULED,
        scheduled_at=timezone.now().replace(microsecond=0) + dt.timedelta(days=2),
    )
    feed = ShareLinkFactory(agency=agency_a, brand=brand_a, kind="calendar", expires_at=None)
    response = client.get(reverse("campaigns:ics", kwargs={"token": share_link_token(feed)}))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    body = response.content.decode()
    assert body.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert "SUMMARY:Ftour\\; menu\\, offert\\\\spécial\r\n" in body
    assert "Ligne 1\\nLigne 2" in body.replace("\r\n ", "")
    dtstart = next(line for line in body.split("\r\n") if line.startswith("DTSTART:"))
    assert dtstart.endswith("Z") and len(dtstart) == len("DTSTART:20260101T000000Z")
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))


def test_a_revoked_ics_feed_stops(agency_a, brand_a, client):
    feed = ShareLinkFactory(
        agency=agency_a, brand=brand_a, kind="calendar", expires_at=None, revoked_at=timezone.now()
    )
    response = client.get(reverse("campaigns:ics", kwargs={"token": share_link_token(feed)}))
    assert response.status_code == 410


def test_ics_lines_are_folded_without_splitting_a_character():
    folded = ics.fold("DESCRIPTION:" + "é" * 100)
    assert all(len(part.encode()) <= 75 for part in folded.split("\r\n"))
    assert folded.replace("\r\n ", "") == "DESCRIPTION:" + "é" * 100


# --- Reminders ---------------------------------------------------------------------------------


def test_the_reminder_dispatcher_queues_one_task_per_agency_with_pending_posts(
    awaiting_client, agency_a, agency_b, client_of_a
):
    from campaigns.tasks import dispatch_approval_reminders
    from config.celery import app

    PostFactory(agency=agency_b, state=PostState.DRAFT)
    # A day after the post reached the client (the first reminder is due after 24 hours).
    Post.unscoped.filter(pk=awaiting_client.pk).update(
        awaiting_since=timezone.now() - dt.timedelta(hours=25)
    )
    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
    try:
        assert dispatch_approval_reminders() == 1
    finally:
        app.conf.task_always_eager = False
        app.conf.task_eager_propagates = False
    assert Notification.unscoped.filter(verb="post.approval_reminder").exists()


def test_brands_without_approval_are_never_reminded(agency_a, brand_a, in_agency):
    PublishingPolicyFactory(agency=agency_a, brand=brand_a, approval_mode="none")
    with in_agency(agency_a):
        assert approval_reminders_send(agency_id=agency_a.pk) == 0
