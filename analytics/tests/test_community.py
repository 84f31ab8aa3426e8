"""Community management over a period: conversations received and answered, first-response
time (median, p90) from the first inbound message to the first reply, per network, shares
answered within 1 h and 24 h, moderation actions done; previous period beside them; constant
queries; a client role sees its brands only."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from agency.tenancy import tenant_scope
from analytics.periods import Period
from analytics.selectors.community import brand_community
from clients.tests.factories import BrandFactory, SocialAccountFactory
from engagement.tests.factories import ConversationFactory, OutboundActionFactory

CASABLANCA = ZoneInfo("Africa/Casablanca")
NOVEMBER = Period(dt.date(2026, 11, 1), dt.date(2026, 11, 30))
OCTOBER = NOVEMBER.preceding()
MINUTE = 60


def _utc(*args):
    return dt.datetime(*args, tzinfo=dt.UTC)


def _conversation(agency, account, inbound, after_minutes=None):
    return ConversationFactory(
        agency=agency,
        brand=account.brand,
        social_account=account,
        network=account.network,
        first_inbound_at=inbound,
        first_response_at=(
            None if after_minutes is None else inbound + dt.timedelta(minutes=after_minutes)
        ),
        last_message_at=inbound,
    )


def _moderation(agency, conversation, kind, *, done_at, rule="", state="done"):
    return OutboundActionFactory(
        agency=agency,
        conversation=conversation,
        kind=kind,
        text="",
        state=state,
        done_at=done_at,
        rule_label=rule,
    )


@pytest.fixture
def inbox(agency_a, brand_a, agency_b, brand_b):
    with tenant_scope(agency_a.pk):
        facebook = SocialAccountFactory(agency=agency_a, brand=brand_a, network="facebook")
        instagram = SocialAccountFactory(agency=agency_a, brand=brand_a, network="instagram")
        day = _utc(2026, 11, 10, 9)
        first = _conversation(agency_a, facebook, day, 10)
        _conversation(agency_a, facebook, day, 30)
        _conversation(agency_a, facebook, day, 120)
        _conversation(agency_a, facebook, day)  # never answered
        _conversation(agency_a, instagram, day, 60 * 30)  # 30 h later
        # 23:30 UTC on 31 October is 00:30 on 1 November in Casablanca: November's.
        _conversation(agency_a, instagram, _utc(2026, 10, 31, 23, 30), 5)
        # October: two received, one answered in 20 minutes.
        _conversation(agency_a, facebook, _utc(2026, 10, 12, 9), 20)
        _conversation(agency_a, facebook, _utc(2026, 10, 12, 9))
        _moderation(agency_a, first, "hide", done_at=day, rule="Insultes (#3)")
        _moderation(agency_a, first, "delete", done_at=day)
        _moderation(agency_a, first, "unhide", done_at=day)
        _moderation(agency_a, first, "hide", done_at=None, state="failed")  # never done
        _moderation(agency_a, first, "reply", done_at=day)  # a reply is not moderation
        _moderation(agency_a, first, "hide", done_at=_utc(2026, 10, 3))
    with tenant_scope(agency_b.pk):
        other = SocialAccountFactory(agency=agency_b, brand=brand_b, network="facebook")
        for _ in range(3):
            _conversation(agency_b, other, _utc(2026, 11, 10, 9))


def test_first_response_times_and_shares_answered_in_time(agency_a, brand_a, owner_of_a, inbox):
    with tenant_scope(agency_a.pk):
        summary = brand_community(
            owner_of_a, brand_ids=[brand_a.pk], tz=CASABLANCA, period=NOVEMBER, comparison=OCTOBER
        )
    total = summary.total
    assert (total.received, total.answered) == (6, 5)
    assert total.share_answered == pytest.approx(5 / 6)
    # 5, 10, 30, 120, 1800 minutes: median 30, p90 between 120 and 1800 (rank 3.6).
    assert total.first_response_median_seconds == 30 * MINUTE
    assert total.first_response_p90_seconds == round((120 + 0.6 * (1800 - 120)) * MINUTE)
    assert total.share_answered_within_1h == pytest.approx(3 / 6)
    assert total.share_answered_within_24h == pytest.approx(4 / 6)


def test_figures_per_network_with_the_previous_period(agency_a, brand_a, owner_of_a, inbox):
    with tenant_scope(agency_a.pk):
        summary = brand_community(
            owner_of_a, brand_ids=[brand_a.pk], tz=CASABLANCA, period=NOVEMBER, comparison=OCTOBER
        )
    facebook, instagram = summary.by_network
    assert facebook.network == "facebook"
    assert (facebook.current.received, facebook.current.answered) == (4, 3)
    assert facebook.current.first_response_median_seconds == 30 * MINUTE
    assert (facebook.previous.received, facebook.previous.answered) == (2, 1)
    assert (instagram.current.received, instagram.previous.received) == (2, 0)
    assert instagram.previous.first_response_median_seconds is None  # not available, not 0
    assert summary.total_previous.received == 2
    assert summary.received_change == pytest.approx(2.0)
    assert summary.first_response_median_change == pytest.approx((30 - 20) / 20)


def test_moderation_actions_done_on_the_network_by_rule_and_by_person(
    agency_a, brand_a, owner_of_a, inbox
):
    with tenant_scope(agency_a.pk):
        summary = brand_community(
            owner_of_a, brand_ids=[brand_a.pk], tz=CASABLANCA, period=NOVEMBER, comparison=OCTOBER
        )
    moderation = summary.moderation
    assert (moderation.hidden, moderation.unhidden, moderation.deleted) == (1, 1, 1)
    assert (moderation.by_rule, moderation.by_person, moderation.total) == (1, 2, 3)
    assert summary.moderation_previous.total == 1
    assert summary.moderation_change == pytest.approx(2.0)


def test_no_comparison_leaves_the_previous_figures_out(agency_a, brand_a, owner_of_a, inbox):
    with tenant_scope(agency_a.pk):
        summary = brand_community(
            owner_of_a, brand_ids=None, tz="Africa/Casablanca", period=NOVEMBER, comparison=None
        )
    assert summary.total.received == 6  # agency B's three never count
    assert summary.total_previous is None and summary.received_change is None
    assert all(n.previous is None for n in summary.by_network)
    assert summary.moderation_previous is None


def test_client_role_sees_only_its_brands_conversations(agency_a, brand_a, client_of_a, inbox):
    with tenant_scope(agency_a.pk):
        other = SocialAccountFactory(
            agency=agency_a, brand=BrandFactory(agency=agency_a), network="x"
        )
        _conversation(agency_a, other, _utc(2026, 11, 10, 9), 1)
        summary = brand_community(
            client_of_a,
            brand_ids=[brand_a.pk, other.brand_id],
            tz=CASABLANCA,
            period=NOVEMBER,
            comparison=None,
        )
    assert summary.total.received == 6
    assert [n.network for n in summary.by_network] == ["facebook", "instagram"]


def test_community_summary_reads_in_constant_queries(
    agency_a, brand_a, owner_of_a, inbox, django_assert_num_queries
):
    def count(brand_ids):
        with tenant_scope(agency_a.pk), django_assert_num_queries(4) as ctx:
            brand_community(
                owner_of_a, brand_ids=brand_ids, tz=CASABLANCA, period=NOVEMBER, comparison=OCTOBER
            )
        return len(ctx.captured_queries)

    one = count([brand_a.pk])
    with tenant_scope(agency_a.pk):
        brands = [BrandFactory(agency=agency_a) for _ in range(3)]
        for brand, network in zip(brands, ["x", "linkedin", "bluesky"], strict=True):
            account = SocialAccountFactory(agency=agency_a, brand=brand, network=network)
            conversation = _conversation(agency_a, account, _utc(2026, 11, 3, 9), 15)
            _moderation(agency_a, conversation, "hide", done_at=_utc(2026, 11, 3, 10))
    assert count([brand_a.pk, *(b.pk for b in brands)]) == one
