"""On PostgreSQL a child row cannot point at a parent of another agency (agency/same_agency.py).

Each case makes a valid child in agency A, then points it at a parent of agency B: the
composite foreign key (agency_id, parent_id) -> parent (agency_id, id) refuses it. The
constraints are deferred like Django's, so the test makes them immediate to see the error.
"""

import pytest
from django.db import IntegrityError, connection, transaction

from agency.models import InvitationBrand
from agency.tests.factories import BrandAccessFactory, InvitationFactory, MembershipFactory
from campaigns.tests.factories import CampaignFactory, PostFactory, PostVariantFactory
from clients.tests.factories import BrandFactory, SocialAccountFactory
from reputation.tests.factories import ListeningQueryFactory, MentionFactory, MentionMatchFactory
from webhooks.tests.factories import WebhookDeliveryFactory, WebhookEndpointFactory

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="composite foreign keys are PostgreSQL's"
)

CASES = [
    ("brand -> social account", SocialAccountFactory, "brand", BrandFactory),
    ("campaign -> post", PostFactory, "campaign", CampaignFactory),
    ("post -> variant", PostVariantFactory, "post", PostFactory),
    ("brand -> mention", MentionFactory, "brand", BrandFactory),
    ("listening query -> match", MentionMatchFactory, "query", ListeningQueryFactory),
    ("mention -> match", MentionMatchFactory, "mention", MentionFactory),
    ("endpoint -> delivery", WebhookDeliveryFactory, "endpoint", WebhookEndpointFactory),
    ("membership -> brand access", BrandAccessFactory, "membership", MembershipFactory),
]


def _refused(model, pk, **values):
    with pytest.raises(IntegrityError, match="same_agency"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        model.unscoped.filter(pk=pk).update(**values)


@pytest.mark.parametrize(
    "child_factory, field, parent_factory", [case[1:] for case in CASES], ids=[c[0] for c in CASES]
)
def test_a_child_cannot_point_at_a_parent_of_another_agency(
    child_factory, field, parent_factory, agency_a, agency_b
):
    child = child_factory(agency=agency_a)
    foreign_parent = parent_factory(agency=agency_b)
    _refused(type(child), child.pk, **{f"{field}_id": foreign_parent.pk})


def test_a_child_cannot_move_away_from_its_parents_agency(agency_a, agency_b):
    variant = PostVariantFactory(agency=agency_a)
    _refused(type(variant), variant.pk, agency_id=agency_b.pk)


def test_an_invitation_brand_keeps_the_invitations_agency(agency_a, agency_b):
    invitation = InvitationFactory(agency=agency_a)
    brand_b = BrandFactory(agency=agency_b)
    link = InvitationBrand.unscoped.create(
        agency=agency_a, invitation=invitation, brand=BrandFactory(agency=agency_a)
    )
    _refused(InvitationBrand, link.pk, brand_id=brand_b.pk)
    _refused(InvitationBrand, link.pk, invitation_id=InvitationFactory(agency=agency_b).pk)


def test_an_optional_parent_left_empty_is_not_checked(agency_a):
    post = PostFactory(agency=agency_a, campaign=CampaignFactory(agency=agency_a))
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    type(post).unscoped.filter(pk=post.pk).update(campaign=None)
