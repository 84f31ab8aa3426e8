"""The client's journey in a real browser (issue 14): a client approver signs in with the
e-mailed link, approves one network and asks changes on another from the portal, and the
team sees both decisions on the post's page (docs/campaigns.md, "Per-network decisions")."""

import re

import pytest
from django.core import mail
from django.utils import timezone

from agency.services.sign_in_links import sign_in_links_request
from campaigns.models import Post, PostState, PostVariant
from campaigns.tests.factories import PostFactory, PostVariantFactory
from clients.tests.factories import SocialAccountFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"  # agency.tests.factories.UserFactory's


def _awaiting_the_client(agency, brand, author):
    post = PostFactory(
        agency=agency,
        brand=brand,
        author=author,
        title="Menu d'été",
        state=PostState.IN_REVIEW,
        review_stage="client",
        awaiting_since=timezone.now(),
    )
    variants = {
        network: PostVariantFactory(
            agency=agency,
            post=post,
            social_account=SocialAccountFactory(agency=agency, brand=brand, network=network),
        )
        for network in ("linkedin", "mastodon")
    }
    return post, variants


def test_a_client_decides_per_network_and_the_team_sees_it(
    chromium, page, live_server, agency_a, brand_a, client_of_a, member_of_a, eager_tasks
):
    post, variants = _awaiting_the_client(agency_a, brand_a, member_of_a.user)
    linkedin, mastodon = variants["linkedin"], variants["mastodon"]

    # The link, made and e-mailed as the sign-in page does.
    assert sign_in_links_request(email=client_of_a.user.email, ip=None) == 1
    path = re.search(r"(/sign-in/link/\S+/)", mail.outbox[0].body).group(1)
    page.goto(path)
    page.get_by_role("button", name="Sign me in").click()
    page.get_by_role("link", name="Approvals").first.wait_for()
    assert page.url.rstrip("/").endswith("/portal")

    page.get_by_role("link", name="Approvals").first.click()
    page.get_by_role("heading", name="Waiting for your decision").wait_for()
    page.locator(f"[data-post='{post.pk}']").get_by_role("link", name="Decide").click()
    page.get_by_role("heading", name="Preview per network").wait_for()

    page.locator(f"[data-variant='{linkedin.pk}']").get_by_role(
        "button", name="Approve this network"
    ).click()
    page.locator(f"[data-variant='{linkedin.pk}'][data-review='approved']").wait_for()

    card = page.locator(f"[data-variant='{mastodon.pk}']")
    card.get_by_label(re.compile("^Comment on Mastodon")).fill("Le prix manque.")
    card.get_by_role("button", name="Request changes here").click()
    # The post is back with the team, out of the portal: the client lands on the approvals,
    # told their decision is recorded, and the post no longer waits for them.
    page.get_by_text("Your decision is recorded.").wait_for()
    page.get_by_role("heading", name="Waiting for your decision").wait_for()
    assert page.locator(f"[data-post='{post.pk}']").count() == 0

    reviews = dict(PostVariant.unscoped.filter(post=post).values_list("pk", "review"))
    assert reviews == {linkedin.pk: "approved", mastodon.pk: "changes_requested"}
    # A network in changes sends the post back to its author, whatever the other got.
    assert Post.unscoped.get(pk=post.pk).state == PostState.CHANGES_REQUESTED

    # The team's side, in a browser of its own: the post's page shows each network's decision.
    team_context = chromium.new_context(locale="en-GB", base_url=live_server.url)
    team_context.set_default_timeout(10_000)
    try:
        team = team_context.new_page()
        team.goto("/accounts/login/")
        team.get_by_label("Email").fill(member_of_a.user.email)
        team.get_by_label("Password").fill(PASSWORD)
        team.get_by_role("button", name="Sign In").click()
        team.wait_for_url(lambda url: "/accounts/login/" not in url)
        team.goto(f"/posts/{post.pk}/")
        team.get_by_role("heading", name="Menu d'été").wait_for()
        per_account = team.get_by_role("listitem")
        on_mastodon = per_account.filter(has_text=str(mastodon.social_account))
        assert "Changes requested" in on_mastodon.inner_text()
        assert "Approved" in per_account.filter(has_text=str(linkedin.social_account)).inner_text()
        assert team.get_by_text("Le prix manque.").first.is_visible()
    finally:
        team_context.close()
