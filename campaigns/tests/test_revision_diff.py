"""What changed since the reviewer's last decision (issue 17): word by word, only the accounts
whose own text changed, and on the client's signed approval link too."""

import pytest
from django.urls import reverse

from campaigns.models import Post
from campaigns.selectors.diffs import post_revision_diff, word_diff
from campaigns.selectors.share_links import share_link_token
from campaigns.services.posts import post_update
from campaigns.services.workflow import post_approve, post_request_changes, post_submit
from campaigns.tests.factories import ShareLinkFactory

pytestmark = pytest.mark.usefixtures("en")


@pytest.fixture
def sent_back(draft, member_of_a, owner_of_a, client_of_a, client_mode, in_agency):
    """The composed post, approved internally, then sent back by the client."""
    with in_agency(draft.agency_id):
        post = post_submit(actor=member_of_a, post=draft)
        post = post_approve(actor=owner_of_a, post=post)
        return post_request_changes(actor=client_of_a, post=post, comment="Le ftour, pas le menu.")


def test_the_diff_marks_words_not_lines():
    segments = word_diff("Notre nouveau menu arrive ce soir", "Notre menu du ftour arrive ce soir")
    assert segments == [
        ("same", "Notre "),
        ("del", "nouveau "),
        ("same", "menu "),
        ("add", "du ftour "),
        ("same", "arrive ce soir"),
    ]


def test_only_the_account_whose_own_text_changed_is_in_the_diff(
    sent_back, accounts_a, member_of_a, in_agency
):
    mastodon, bluesky, linkedin = accounts_a
    with in_agency(sent_back.agency_id):
        post = Post.unscoped.get(pk=sent_back.pk)
        post_update(
            actor=member_of_a,
            post=post,
            account_ids=[a.pk for a in accounts_a],
            overrides={bluesky.pk: "Ftour ce soir à Tanger"},
        )
        (diff,) = post_revision_diff(Post.unscoped.get(pk=post.pk))
    labels = [change["label"] for change in diff["changes"]]
    assert labels == [str(bluesky)]
    (change,) = diff["changes"]
    assert ("add", "Ftour ce soir à Tanger") in change["segments"]


def test_the_signed_approval_link_shows_what_changed(
    sent_back, agency_a, brand_a, member_of_a, owner_of_a, client, in_agency
):
    with in_agency(agency_a.pk):
        post = Post.unscoped.get(pk=sent_back.pk)
        post_update(actor=member_of_a, post=post, text="Notre ftour arrive ce week-end à Tanger !")
        post = post_submit(actor=member_of_a, post=Post.unscoped.get(pk=post.pk))
        post_approve(actor=owner_of_a, post=post)
    link = ShareLinkFactory(agency=agency_a, brand=brand_a)
    url = reverse("campaigns:approval_link", kwargs={"token": share_link_token(link)})
    body = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "What changed since version 1 (now version 2)" in body
    assert '<del class="diff-del">nouveau menu </del>' in body
    assert '<ins class="diff-add">ftour </ins>' in body
