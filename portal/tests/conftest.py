"""The portal's fixtures: posts of agency A's brands at each stage a client meets, and a client
viewer (approvers are `client_of_a`, from the project's conftest)."""

import datetime as dt

import pytest
from django.utils import timezone

from agency.models import Role
from agency.tenancy import tenant_scope
from agency.tests.factories import BrandAccessFactory, MembershipFactory
from analytics.models import PostMetricDay
from campaigns.tests.factories import PostFactory, PostVariantFactory


@pytest.fixture
def viewer_of_a(agency_a, brand_a):
    """A client viewer of agency A who was given brand_a only."""
    membership = MembershipFactory(
        agency=agency_a, role=Role.CLIENT_VIEWER, user__email="viewer@atlas-digital.test"
    )
    BrandAccessFactory(membership=membership, agency=agency_a, brand=brand_a)
    return membership


@pytest.fixture
def make_post():
    """make_post(brand, state, text=..., hours=..., review_stage=...) -> Post with one variant.
    `hours` from now: the scheduled time (published ones: when they went out)."""

    def _make(brand, state, *, text="Bonjour", hours=24, review_stage="", published=False):
        when = timezone.now() + dt.timedelta(hours=hours)
        post = PostFactory(
            agency=brand.agency,
            brand=brand,
            state=state,
            review_stage=review_stage,
            text=text,
            scheduled_at=when,
        )
        PostVariantFactory(
            agency=brand.agency,
            post=post,
            state="published" if published else "pending",
            published_at=when if published else None,
            external_url="https://mastodon.social/@cafe/1" if published else "",
        )
        return post

    return _make


def add_metric(variant, metric: str, value: int, *, days_ago: int = 0):
    with tenant_scope(variant.agency_id):
        PostMetricDay.objects.create(
            agency_id=variant.agency_id,
            post_variant=variant,
            social_account_id=variant.social_account_id,
            metric=metric,
            day=timezone.localdate() - dt.timedelta(days=days_ago),
            value=value,
            collected_at=timezone.now(),
        )
