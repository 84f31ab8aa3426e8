"""The portal's approvals (issue 14): the client sees what waits for them on their brands only,
decides per network or on the whole post, approves several posts at once, holds and releases,
and reads only the comments shared with them; a client viewer reads but never decides."""

import pytest
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Post, PostComment, PostState, PostVariant
from campaigns.tests.factories import PostCommentFactory, PostFactory, PostVariantFactory
from clients.tests.factories import BrandFactory, SocialAccountFactory


@pytest.fixture
def en_login(login):
    def _login(who):
        client = login(who)
        client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
        return client

    return _login


def _awaiting(agency, brand, title="Menu d'été"):
    post = PostFactory(
        agency=agency,
        brand=brand,
        title=title,
        state=PostState.IN_REVIEW,
        review_stage="client",
        awaiting_since=timezone.now(),
    )
    for network in ("linkedin", "bluesky"):
        PostVariantFactory(
            agency=agency,
            post=post,
            social_account=SocialAccountFactory(agency=agency, brand=brand, network=network),
        )
    return post


def _reviews(post):
    return {
        v.social_account.network: v.review
        for v in PostVariant.unscoped.filter(post=post).select_related("social_account")
    }


def test_the_client_sees_only_their_brands_posts_waiting(
    agency_a, brand_a, agency_b, client_of_a, en_login
):
    mine = _awaiting(agency_a, brand_a, "Menu d'été")
    _awaiting(agency_a, BrandFactory(agency=agency_a), "Autre marque")
    _awaiting(agency_b, BrandFactory(agency=agency_b), "Autre agence")
    client = en_login(client_of_a)
    page = client.get(reverse("portal:approvals")).content.decode()
    assert "Menu d" in page and "Autre marque" not in page and "Autre agence" not in page
    assert reverse("portal:approval_detail", kwargs={"post_id": mine.pk}) in page
    assert "data-bulk-approve" in page
    other = _awaiting(agency_a, BrandFactory(agency=agency_a), "Ailleurs")
    url = reverse("portal:approval_detail", kwargs={"post_id": other.pk})
    assert client.get(url).status_code == 404


def test_the_client_decides_per_network_from_the_post_page(
    agency_a, brand_a, client_of_a, en_login
):
    post = _awaiting(agency_a, brand_a)
    client = en_login(client_of_a)
    detail = client.get(reverse("portal:approval_detail", kwargs={"post_id": post.pk}))
    linkedin = PostVariant.unscoped.get(post=post, social_account__network="linkedin")
    assert f'data-variant="{linkedin.pk}"' in detail.content.decode()
    decide = reverse("portal:approval_decide", kwargs={"post_id": post.pk})
    client.post(decide, {"variant": linkedin.pk, "decision": "approved"})
    assert _reviews(post) == {"linkedin": "approved", "bluesky": "pending"}
    bluesky = PostVariant.unscoped.get(post=post, social_account__network="bluesky")
    client.post(
        decide, {"variant": bluesky.pk, "decision": "changes_requested", "comment": "Le prix ?"}
    )
    assert Post.unscoped.get(pk=post.pk).state == PostState.CHANGES_REQUESTED
    entry = PostComment.unscoped.get(post=post, variant=bluesky)
    assert entry.visibility == "external" and entry.body == "Le prix ?"


def test_the_client_rejects_the_whole_post(agency_a, brand_a, client_of_a, en_login):
    post = _awaiting(agency_a, brand_a)
    en_login(client_of_a).post(
        reverse("portal:approval_decide", kwargs={"post_id": post.pk}), {"decision": "reject"}
    )
    assert Post.unscoped.get(pk=post.pk).state == PostState.CANCELLED


def test_a_decision_that_takes_the_post_out_of_the_portal_lands_on_the_approvals(
    agency_a, brand_a, client_of_a, en_login
):
    post = _awaiting(agency_a, brand_a)
    client = en_login(client_of_a)
    decide = reverse("portal:approval_decide", kwargs={"post_id": post.pk})
    linkedin = PostVariant.unscoped.get(post=post, social_account__network="linkedin")
    approved = client.post(decide, {"variant": linkedin.pk, "decision": "approved"})
    assert approved.url == reverse("portal:approval_detail", kwargs={"post_id": post.pk})
    # Changes asked: the post is back with the team, its portal page a 404 from now on.
    response = client.post(decide, {"decision": "changes", "comment": "Le prix ?"}, follow=True)
    assert response.redirect_chain == [(reverse("portal:approvals"), 302)]
    assert response.status_code == 200
    assert "Your request was sent to the agency." in response.content.decode()


def test_a_client_viewer_reads_but_cannot_decide(agency_a, brand_a, viewer_of_a, en_login):
    post = _awaiting(agency_a, brand_a)
    client = en_login(viewer_of_a)
    listing = client.get(reverse("portal:approvals")).content.decode()
    assert "Menu d" in listing and "data-bulk-approve" not in listing
    detail = client.get(reverse("portal:approval_detail", kwargs={"post_id": post.pk}))
    assert detail.status_code == 200
    assert 'name="decision"' not in detail.content.decode()
    linkedin = PostVariant.unscoped.get(post=post, social_account__network="linkedin")
    client.post(
        reverse("portal:approval_decide", kwargs={"post_id": post.pk}),
        {"variant": linkedin.pk, "decision": "approved"},
    )
    client.post(reverse("portal:approvals_bulk_approve"), {"posts": [post.pk]})
    assert _reviews(post) == {"linkedin": "pending", "bluesky": "pending"}
    assert Post.unscoped.get(pk=post.pk).state == PostState.IN_REVIEW


def test_bulk_approve_in_the_portal_says_post_by_post(agency_a, brand_a, client_of_a, en_login):
    first, second = _awaiting(agency_a, brand_a, "Un"), _awaiting(agency_a, brand_a, "Deux")
    done = PostFactory(agency=agency_a, brand=brand_a, state=PostState.PUBLISHED)
    answer = en_login(client_of_a).post(
        reverse("portal:approvals_bulk_approve"),
        {"posts": [first.pk, second.pk, done.pk], "comment": "Tout est bon"},
        follow=True,
    )
    html = answer.content.decode()
    assert "2 post(s) approved." in html and f"Post {done.pk} was not approved" in html
    assert {Post.unscoped.get(pk=p.pk).state for p in (first, second)} == {PostState.APPROVED}


def test_the_client_holds_and_releases_an_approved_post(agency_a, brand_a, client_of_a, en_login):
    post = PostFactory(agency=agency_a, brand=brand_a, state=PostState.SCHEDULED)
    client = en_login(client_of_a)
    hold = reverse("portal:approval_hold", kwargs={"post_id": post.pk})
    assert (
        hold
        in client.get(
            reverse("portal:approval_detail", kwargs={"post_id": post.pk})
        ).content.decode()
    )
    client.post(hold, {"comment": "Attendez le match"})
    assert Post.unscoped.get(pk=post.pk).held_at is not None
    client.post(hold)
    assert Post.unscoped.get(pk=post.pk).held_at is None


def test_the_client_reads_only_the_comments_shared_with_them(
    agency_a, brand_a, client_of_a, member_of_a, en_login
):
    post = _awaiting(agency_a, brand_a)
    PostCommentFactory(agency=agency_a, post=post, body="Note interne marge", visibility="internal")
    PostCommentFactory(agency=agency_a, post=post, body="Pour le client", visibility="external")
    client = en_login(client_of_a)
    url = reverse("portal:approval_detail", kwargs={"post_id": post.pk})
    html = client.get(url).content.decode()
    assert "Pour le client" in html and "Note interne marge" not in html
    client.post(
        reverse("portal:approval_comment", kwargs={"post_id": post.pk}), {"body": "Merci !"}
    )
    assert PostComment.unscoped.get(post=post, body="Merci !").visibility == "external"
