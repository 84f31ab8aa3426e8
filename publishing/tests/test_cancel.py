"""Cancelling a post the engine has started on: waiting for a retry or a rate limit, from the
post page, the queue and the API; a call in flight is refused."""

import datetime as dt

import httpx
import pytest
import respx
from django.utils import timezone, translation

from campaigns.models import PostState, PostVariant, VariantState
from campaigns.services.workflow import post_cancel
from publishing import dispatch
from publishing.tests.helpers import dispatch_and_publish, fresh, variant_on


@pytest.fixture(autouse=True)
def _in_english():
    with translation.override("en"):
        yield


def _waiting_for_a_retry(agency, brand, text="Attend son tour"):
    variant = variant_on(agency, brand, "mastodon", text=text)
    with respx.mock(assert_all_called=False) as router:
        router.post("https://mastodon.social/api/v1/statuses").mock(
            return_value=httpx.Response(429, headers={"Retry-After": "1800"}, json={"error": "?"})
        )
        assert dispatch_and_publish() == {variant.pk: "rate_limited"}
    variant = fresh(variant)
    assert variant.state == VariantState.SCHEDULED and variant.next_attempt_at
    assert variant.post.state == PostState.PUBLISHING
    return variant


def test_a_post_waiting_for_a_retry_is_cancelled_from_its_page(
    agency_a, brand_a, member_of_a, login
):
    from django.urls import reverse

    variant = _waiting_for_a_retry(agency_a, brand_a)
    page = login(member_of_a).get(reverse("campaigns:post_detail", args=[variant.post_id]))
    assert (
        reverse("campaigns:post_cancel", kwargs={"post_id": variant.post_id})
        in page.content.decode()
    )
    login(member_of_a).post(reverse("campaigns:post_cancel", kwargs={"post_id": variant.post_id}))
    variant = fresh(variant)
    assert variant.state == VariantState.CANCELLED
    assert variant.post.state == PostState.CANCELLED
    assert dispatch_and_publish(now=timezone.now() + dt.timedelta(hours=1)) == {}


def test_a_variant_waiting_for_a_retry_is_cancelled_from_the_queue(
    agency_a, brand_a, member_of_a, login
):
    from django.urls import reverse

    variant = _waiting_for_a_retry(agency_a, brand_a)
    url = reverse("publishing:post_variant_cancel", kwargs={"post_variant_id": variant.pk})
    assert url in login(member_of_a).get("/queue/").content.decode()
    login(member_of_a).post(url)
    assert fresh(variant).state == VariantState.CANCELLED
    assert fresh(variant).post.state == PostState.CANCELLED


def test_a_post_being_sent_right_now_cannot_be_cancelled(agency_a, brand_a, member_of_a, in_agency):
    from django.core.exceptions import ValidationError

    variant = variant_on(agency_a, brand_a, "mastodon", text="En vol")
    dispatch.due_variants_claim_across_agencies()
    PostVariant.unscoped.filter(pk=variant.pk).update(call_started_at=timezone.now())
    with in_agency(agency_a), pytest.raises(ValidationError, match="right now"):
        post_cancel(actor=member_of_a, post=fresh(variant).post)
    assert fresh(variant).state == VariantState.PUBLISHING


def test_a_post_waiting_for_a_retry_is_cancelled_through_the_api(
    agency_a, brand_a, member_of_a, api_as
):
    variant = _waiting_for_a_retry(agency_a, brand_a)
    response = api_as(member_of_a).post(f"/api/v1/posts/{variant.post_id}/cancel/")
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "cancelled"
    assert fresh(variant).state == VariantState.CANCELLED
