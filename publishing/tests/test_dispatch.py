"""The dispatcher: nothing claimed before its time, an edit, cancel, deletion or kill switch
before the due time wins, and a post goes out at its wall-clock time in its brand's zone."""

import datetime as dt
import zoneinfo

import httpx
import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from campaigns.models import PostState, VariantState
from campaigns.services.posts import post_update
from campaigns.services.workflow import post_cancel
from campaigns.tests.factories import PublishingPolicyFactory
from campaigns.times import to_utc
from publishing import dispatch, switches, worker
from publishing.models import AgencyPublishingPause
from publishing.tests.helpers import (
    STATUSES,
    fresh,
    scheduled_variant,
    status_json,
)


@pytest.fixture(autouse=True)
def _in_english():
    # These tests read the engine's messages; the product's default language is French.
    with translation.override("en"):
        yield


# --- Edited, cancelled, deleted, paused -------------------------------------------------------


def test_a_post_edited_after_scheduling_is_not_published_in_its_old_form(
    agency_a, brand_a, member_of_a, mastodon, in_agency
):
    variant = scheduled_variant(agency_a, brand_a, due=timezone.now() + dt.timedelta(minutes=1))
    with in_agency(agency_a):
        post_update(actor=member_of_a, post=variant.post, text="Nouveau texte")
    assert (
        dispatch.due_variants_claim_across_agencies(now=timezone.now() + dt.timedelta(minutes=2))
        == []
    )
    assert fresh(variant).state == VariantState.PENDING
    assert fresh(variant).post.state == PostState.IN_REVIEW


def test_a_cancelled_post_is_not_published(agency_a, brand_a, member_of_a, in_agency):
    variant = scheduled_variant(agency_a, brand_a, due=timezone.now() + dt.timedelta(minutes=1))
    with in_agency(agency_a):
        post_cancel(actor=member_of_a, post=variant.post)
    assert (
        dispatch.due_variants_claim_across_agencies(now=timezone.now() + dt.timedelta(hours=1))
        == []
    )
    assert fresh(variant).state == VariantState.CANCELLED


def test_a_post_deleted_before_or_after_the_claim_is_not_published(agency_a, brand_a, mastodon):
    route = mastodon.post(STATUSES).mock(return_value=httpx.Response(200, json=status_json()))
    before = scheduled_variant(agency_a, brand_a)
    before.post.delete()
    assert dispatch.due_variants_claim_across_agencies() == []
    after = scheduled_variant(agency_a, brand_a)
    claims = dispatch.due_variants_claim_across_agencies()
    after.post.delete()
    from agency.tenancy import tenant_scope

    with tenant_scope(agency_a):
        assert worker.variant_publish(post_variant_id=claims[0].post_variant_id) == "gone"
    assert route.call_count == 0


def test_a_post_whose_variant_is_claimed_can_no_longer_be_edited(
    agency_a, brand_a, member_of_a, in_agency
):
    variant = scheduled_variant(agency_a, brand_a)
    dispatch.due_variants_claim_across_agencies()
    with in_agency(agency_a), pytest.raises(ValidationError):
        post_update(actor=member_of_a, post=fresh(variant).post, text="Trop tard")


def test_the_brand_and_agency_kill_switches_pause_publishing(
    agency_a, brand_a, owner_of_a, agency_b, brand_b, in_agency
):
    variant = scheduled_variant(agency_a, brand_a)
    other = scheduled_variant(agency_b, brand_b)
    policy = PublishingPolicyFactory(agency=agency_a, brand=brand_a, publishing_paused=True)
    assert [c.post_variant_id for c in dispatch.due_variants_claim_across_agencies()] == [other.pk]
    policy.publishing_paused = False
    policy.save()
    with in_agency(agency_a):  # the switch is set from the agency's dashboard
        switches.agency_publishing_pause_set(actor=owner_of_a, paused=True)
    assert dispatch.due_variants_claim_across_agencies() == []
    assert fresh(variant).state == VariantState.SCHEDULED
    with in_agency(agency_a):
        switches.agency_publishing_pause_set(actor=owner_of_a, paused=False)
    assert AgencyPublishingPause.unscoped.get(agency=agency_a).paused is False
    assert [c.post_variant_id for c in dispatch.due_variants_claim_across_agencies()] == [
        variant.pk
    ]


# --- Time zones -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("zone", "local", "utc"),
    [
        # Morocco is UTC+1, and UTC+0 during Ramadan (2026: from 15 February to 22 March).
        ("Africa/Casablanca", "2026-02-14 20:00", "2026-02-14 19:00"),
        ("Africa/Casablanca", "2026-02-20 20:00", "2026-02-20 20:00"),
        ("Africa/Casablanca", "2026-03-23 20:00", "2026-03-23 19:00"),
        # Paris: winter UTC+1, summer UTC+2 (from 29 March 2026, 02:00 -> 03:00).
        ("Europe/Paris", "2026-03-28 09:30", "2026-03-28 08:30"),
        ("Europe/Paris", "2026-03-29 09:30", "2026-03-29 07:30"),
        ("Europe/Paris", "2026-10-25 09:30", "2026-10-25 08:30"),
    ],
)
def test_publishing_happens_at_the_intended_wall_clock_time(agency_a, brand_a, zone, local, utc):
    brand_a.time_zone = zone
    brand_a.save()
    due = to_utc(dt.datetime.fromisoformat(local), zone)
    assert due == dt.datetime.fromisoformat(utc).replace(tzinfo=dt.UTC)
    variant = scheduled_variant(agency_a, brand_a, due=due)
    assert dispatch.due_variants_claim_across_agencies(now=due - dt.timedelta(seconds=1)) == []
    assert [c.post_variant_id for c in dispatch.due_variants_claim_across_agencies(now=due)] == [
        variant.pk
    ]
    wall = fresh(variant).due_at.astimezone(zoneinfo.ZoneInfo(zone)).strftime("%Y-%m-%d %H:%M")
    assert wall == local
