"""A post on hold (campaigns.services.holds) is not published even when due, and goes out when
released; the engine checks the hold in the same conditional update that claims."""

import datetime as dt

import httpx
import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from campaigns.models import PostState, VariantState
from campaigns.services.holds import post_hold, post_release
from publishing import dispatch
from publishing.tests.helpers import (
    STATUSES,
    dispatch_and_publish,
    fresh,
    scheduled_variant,
    status_json,
)


@pytest.fixture(autouse=True)
def _in_english():
    with translation.override("en"):
        yield


def test_a_held_post_is_not_published_when_due_and_goes_out_when_released(
    agency_a, brand_a, client_of_a, mastodon, in_agency
):
    route = mastodon.post(STATUSES).mock(return_value=httpx.Response(200, json=status_json()))
    variant = scheduled_variant(agency_a, brand_a, due=timezone.now() + dt.timedelta(minutes=1))
    with in_agency(agency_a):
        post_hold(actor=client_of_a, post=variant.post, comment="Attendez la fin du match")
    later = timezone.now() + dt.timedelta(minutes=5)
    assert dispatch_and_publish(now=later) == {}
    assert route.call_count == 0
    assert fresh(variant).state == VariantState.SCHEDULED
    assert fresh(variant).post.state == PostState.SCHEDULED
    with in_agency(agency_a):
        post_release(actor=client_of_a, post=fresh(variant).post)
    assert dispatch_and_publish(now=later) == {variant.pk: "published"}
    assert route.call_count == 1
    assert fresh(variant).state == VariantState.PUBLISHED


def test_a_hold_after_the_claim_is_refused_with_the_reason(
    agency_a, brand_a, client_of_a, in_agency
):
    variant = scheduled_variant(agency_a, brand_a)
    assert len(dispatch.due_variants_claim_across_agencies()) == 1
    with in_agency(agency_a), pytest.raises(ValidationError, match="not started publishing"):
        post_hold(actor=client_of_a, post=fresh(variant).post)
    assert fresh(variant).post.held_at is None
