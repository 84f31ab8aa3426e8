"""Per-network decisions (issue 14): a reviewer approves, asks for changes on or rejects one
network's variant; only that variant moves; the post follows once no network waits; the engine
publishes only approved variants."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from agency.models import AuditEvent, Role
from agency.tests.factories import BrandAccessFactory
from campaigns.models import Post, PostComment, PostState, PostVariant, VariantState
from campaigns.selectors.share_links import share_link_token
from campaigns.services.decisions import post_approve, post_reject, variant_decide
from campaigns.services.posts import post_update
from campaigns.services.workflow import post_submit
from campaigns.tests.factories import ShareLinkFactory
from notifications.models import Notification
from publishing import dispatch
from publishing.tests.helpers import scheduled_variant
from webhooks.models import WebhookDelivery
from webhooks.tests.factories import WebhookEndpointFactory

pytestmark = pytest.mark.usefixtures("en")


@pytest.fixture
def awaiting_client(draft, member_of_a, owner_of_a, client_mode, in_agency):
    """The composed post (Mastodon, Bluesky, LinkedIn), approved by the team: it waits for the
    client."""
    with in_agency(draft.agency_id):
        post = post_submit(actor=member_of_a, post=draft)
        return post_approve(actor=owner_of_a, post=post)


def _variants(post):
    """The post's variants by network, fresh from the database."""
    return {
        v.social_account.network: v
        for v in PostVariant.unscoped.filter(post=post).select_related("social_account")
    }


def _state(post):
    return Post.unscoped.get(pk=post.pk).state


def _decide(post, network, decision, actor, comment="", **kwargs):
    return variant_decide(
        actor=actor,
        post=post,
        variant_id=_variants(post)[network].pk,
        decision=decision,
        comment=comment,
        **kwargs,
    )


def test_approving_one_network_moves_only_that_variant(
    awaiting_client, client_of_a, member_of_a, in_agency
):
    with in_agency(awaiting_client.agency_id):
        _decide(awaiting_client, "linkedin", "approved", client_of_a)
    variants = _variants(awaiting_client)
    assert variants["linkedin"].review == "approved"
    assert variants["linkedin"].reviewed_by_label == client_of_a.user.get_full_name()
    assert variants["mastodon"].review == variants["bluesky"].review == "pending"
    assert _state(awaiting_client) == PostState.IN_REVIEW  # two networks still wait
    assert all(v.state == VariantState.PENDING for v in variants.values())
    entry = PostComment.unscoped.get(post=awaiting_client, variant=variants["linkedin"])
    assert entry.kind == "approved" and entry.visibility == "external"
    assert AuditEvent.unscoped.filter(verb="post.variant_approved").exists()
    assert Notification.unscoped.filter(recipient=member_of_a.user, verb="post.approved").exists()


def test_changes_on_one_network_send_the_post_back_once_every_network_is_decided(
    awaiting_client, client_of_a, member_of_a, in_agency
):
    with in_agency(awaiting_client.agency_id):
        _decide(awaiting_client, "linkedin", "approved", client_of_a)
        _decide(awaiting_client, "bluesky", "changes_requested", client_of_a, "Trop long ici")
        assert _state(awaiting_client) == PostState.IN_REVIEW
        _decide(awaiting_client, "mastodon", "rejected", client_of_a)
    variants = _variants(awaiting_client)
    assert [variants[n].review for n in ("linkedin", "bluesky", "mastodon")] == [
        "approved",
        "changes_requested",
        "rejected",
    ]
    assert _state(awaiting_client) == PostState.CHANGES_REQUESTED
    assert variants["mastodon"].state == VariantState.CANCELLED
    assert Notification.unscoped.filter(
        recipient=member_of_a.user, verb="post.changes_requested"
    ).exists()


def test_approved_and_rejected_networks_schedule_the_approved_ones_only(
    awaiting_client, client_of_a, in_agency
):
    with in_agency(awaiting_client.agency_id):
        _decide(awaiting_client, "linkedin", "approved", client_of_a)
        _decide(awaiting_client, "mastodon", "rejected", client_of_a, "Pas sur Mastodon")
        _decide(awaiting_client, "bluesky", "approved", client_of_a)
    assert _state(awaiting_client) == PostState.SCHEDULED
    variants = _variants(awaiting_client)
    assert variants["linkedin"].state == variants["bluesky"].state == VariantState.SCHEDULED
    assert variants["mastodon"].state == VariantState.CANCELLED
    # The rejected network never reaches the engine, even when the post is due.
    Post.unscoped.filter(pk=awaiting_client.pk).update(scheduled_at=timezone.now())
    PostVariant.unscoped.filter(post=awaiting_client, state=VariantState.SCHEDULED).update(
        due_at=timezone.now() - dt.timedelta(seconds=1)
    )
    claimed = {c.post_variant_id for c in dispatch.due_variants_claim_across_agencies()}
    assert claimed == {variants["linkedin"].pk, variants["bluesky"].pk}


def test_rejecting_every_network_cancels_the_post(awaiting_client, client_of_a, in_agency):
    with in_agency(awaiting_client.agency_id):
        post_reject(actor=client_of_a, post=awaiting_client, comment="Pas cette semaine")
    assert _state(awaiting_client) == PostState.CANCELLED
    assert {v.review for v in _variants(awaiting_client).values()} == {"rejected"}
    assert AuditEvent.unscoped.filter(verb="post.rejected").exists()


def test_approving_the_whole_post_decides_only_the_networks_still_waiting(
    awaiting_client, client_of_a, in_agency
):
    with in_agency(awaiting_client.agency_id):
        _decide(awaiting_client, "mastodon", "rejected", client_of_a)
        post_approve(actor=client_of_a, post=awaiting_client)
    variants = _variants(awaiting_client)
    assert variants["mastodon"].review == "rejected"
    assert variants["linkedin"].review == variants["bluesky"].review == "approved"
    assert _state(awaiting_client) == PostState.SCHEDULED


def test_a_request_for_changes_stands_until_the_author_resubmits(
    awaiting_client, client_of_a, in_agency
):
    with in_agency(awaiting_client.agency_id):
        _decide(awaiting_client, "bluesky", "changes_requested", client_of_a, "Le prix")
        with pytest.raises(ValidationError):
            _decide(awaiting_client, "bluesky", "approved", client_of_a)
        with pytest.raises(ValidationError) as missing:
            _decide(awaiting_client, "linkedin", "changes_requested", client_of_a, "")
    assert "comment" in missing.value.message_dict


def test_a_resubmitted_post_asks_every_network_again(
    awaiting_client, client_of_a, member_of_a, owner_of_a, in_agency
):
    with in_agency(awaiting_client.agency_id):
        _decide(awaiting_client, "linkedin", "approved", client_of_a)
        _decide(awaiting_client, "mastodon", "rejected", client_of_a)
        _decide(awaiting_client, "bluesky", "changes_requested", client_of_a, "Le prix")
        post = Post.objects.get(pk=awaiting_client.pk)
        post_update(actor=member_of_a, post=post, text="Le menu à 45 MAD arrive !")
        post_submit(actor=member_of_a, post=Post.objects.get(pk=post.pk))
    assert {v.review for v in _variants(awaiting_client).values()} == {"pending"}
    assert {v.state for v in _variants(awaiting_client).values()} == {VariantState.PENDING}


def test_a_client_viewer_and_another_brands_approver_cannot_decide(
    awaiting_client, agency_a, member_factory, in_agency
):
    viewer = member_factory(agency_a, Role.CLIENT_VIEWER)
    BrandAccessFactory(membership=viewer, agency=agency_a, brand=awaiting_client.brand)
    stranger = member_factory(agency_a, Role.CLIENT_APPROVER)  # no access to the brand
    with in_agency(agency_a):
        for actor in (viewer, stranger):
            with pytest.raises(PermissionDenied):
                _decide(awaiting_client, "linkedin", "approved", actor)
    assert {v.review for v in _variants(awaiting_client).values()} == {"pending"}


def test_the_team_decides_per_network_at_the_internal_stage_with_internal_comments(
    draft, member_of_a, owner_of_a, client_mode, in_agency
):
    with in_agency(draft.agency_id):
        post = post_submit(actor=member_of_a, post=draft)
        _decide(post, "mastodon", "rejected", owner_of_a, "Pas pour ce client")
        _decide(post, "linkedin", "approved", owner_of_a)
        _decide(post, "bluesky", "approved", owner_of_a)
    fresh = Post.unscoped.get(pk=post.pk)
    assert fresh.state == PostState.IN_REVIEW and fresh.review_stage == "client"
    variants = _variants(post)
    # The client decides again on what the team approved; the team's rejection stands.
    assert variants["linkedin"].review == variants["bluesky"].review == "pending"
    assert variants["mastodon"].review == "rejected"
    assert PostComment.unscoped.get(post=post, variant=variants["mastodon"]).visibility == (
        "internal"
    )


def test_decisions_are_announced_by_webhook(awaiting_client, client_of_a, agency_a, in_agency):
    WebhookEndpointFactory(
        agency=agency_a, events=["post.variant_decided", "post.approved", "post.rejected"]
    )
    with in_agency(agency_a):
        _decide(awaiting_client, "linkedin", "approved", client_of_a)
        post_approve(actor=client_of_a, post=awaiting_client)
    events = list(WebhookDelivery.unscoped.order_by("id").values_list("event", flat=True))
    assert events == ["post.variant_decided", "post.approved"]


def test_the_approval_link_decides_one_network(awaiting_client, agency_a, brand_a, client):
    link = ShareLinkFactory(agency=agency_a, brand=brand_a, kind="approval", label="Salma")
    url = reverse("campaigns:approval_link", kwargs={"token": share_link_token(link)})
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    variants = _variants(awaiting_client)
    assert f'data-variant="{variants["linkedin"].pk}"' in page
    client.post(
        url,
        {
            "post": awaiting_client.pk,
            "variant": variants["bluesky"].pk,
            "decision": "changes_requested",
            "comment": "Ajoutez le prix",
        },
    )
    assert _variants(awaiting_client)["bluesky"].review == "changes_requested"
    entry = PostComment.unscoped.get(post=awaiting_client, variant=variants["bluesky"])
    assert entry.author_label.startswith("Salma") and entry.visibility == "external"


def test_the_team_page_decides_per_network(awaiting_client, client_of_a, en_login):
    client = en_login(client_of_a)
    page = client.get(reverse("campaigns:approvals")).content.decode()
    linkedin = _variants(awaiting_client)["linkedin"]
    assert f'data-variant="{linkedin.pk}"' in page
    client.post(
        reverse("campaigns:post_variant_decide", kwargs={"post_id": awaiting_client.pk}),
        {"variant": linkedin.pk, "decision": "rejected"},
    )
    assert _variants(awaiting_client)["linkedin"].review == "rejected"


# --- The engine publishes approved variants only ---------------------------------------------


@pytest.mark.parametrize("review", ["pending", "changes_requested", "rejected"])
def test_the_dispatcher_never_publishes_a_variant_not_approved(agency_a, brand_a, review):
    variant = scheduled_variant(agency_a, brand_a)
    PostVariant.unscoped.filter(pk=variant.pk).update(review=review)
    assert dispatch.due_variants_claim_across_agencies() == []
    assert PostVariant.unscoped.get(pk=variant.pk).state == VariantState.SCHEDULED


def test_the_dispatcher_publishes_the_approved_variant_beside_an_undecided_one(agency_a, brand_a):
    approved = scheduled_variant(agency_a, brand_a)
    undecided = scheduled_variant(agency_a, brand_a)
    PostVariant.unscoped.filter(pk=undecided.pk).update(review="pending")
    claims = dispatch.due_variants_claim_across_agencies()
    assert [c.post_variant_id for c in claims] == [approved.pk]


# --- API ------------------------------------------------------------------------------------


def test_the_api_decides_one_network(awaiting_client, client_of_a, api_as):
    linkedin = _variants(awaiting_client)["linkedin"]
    answer = api_as(client_of_a).post(
        f"/api/v1/posts/{awaiting_client.pk}/variants/{linkedin.pk}/decision/",
        {"decision": "approved", "comment": "Parfait"},
        format="json",
    )
    assert answer.status_code == 200
    reviews = {v["network"]: v["review"] for v in answer.json()["variants"]}
    assert reviews == {"linkedin": "approved", "mastodon": "pending", "bluesky": "pending"}


def test_the_api_refuses_a_bad_decision_with_codes(awaiting_client, client_of_a, api_as):
    api = api_as(client_of_a)
    linkedin = _variants(awaiting_client)["linkedin"]
    base = f"/api/v1/posts/{awaiting_client.pk}/variants"
    unknown = api.post(f"{base}/{linkedin.pk}/decision/", {"decision": "maybe"}, format="json")
    assert unknown.status_code == 400
    assert "decision" in unknown.json()["error"]["fields"]
    no_comment = api.post(
        f"{base}/{linkedin.pk}/decision/", {"decision": "changes_requested"}, format="json"
    )
    assert no_comment.status_code == 400
    assert "comment" in no_comment.json()["error"]["fields"]
    other = api.post(f"{base}/999999/decision/", {"decision": "approved"}, format="json")
    assert other.status_code == 400 and "variant" in other.json()["error"]["fields"]


def test_the_api_rejects_a_whole_post(awaiting_client, client_of_a, api_as):
    answer = api_as(client_of_a).post(f"/api/v1/posts/{awaiting_client.pk}/reject/", {})
    assert answer.status_code == 200 and answer.json()["state"] == "cancelled"
