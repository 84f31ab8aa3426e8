"""A campaign's results against its KPI targets; what we cannot measure says so."""

import datetime as dt

import pytest

from analytics.selectors.performance import campaign_kpis
from analytics.tests.factories import account_metrics, post_metrics, published_variant
from campaigns.tests.factories import CampaignFactory
from clients.tests.factories import SocialAccountFactory


@pytest.fixture
def campaign(agency_a, brand_a):
    return CampaignFactory(
        agency=agency_a,
        brand=brand_a,
        starts_on=dt.date(2026, 11, 1),
        ends_on=dt.date(2026, 11, 30),
        kpi_targets={"reach": 1000, "engagement_rate": 5, "leads": 40, "followers_gained": 50},
    )


def test_campaign_kpis_measure_its_posts_against_the_targets(
    agency_a, brand_a, member_of_a, campaign, in_agency
):
    account = SocialAccountFactory(agency=agency_a, brand=brand_a)
    mine = published_variant(
        account, at=dt.datetime(2026, 11, 3, 9, tzinfo=dt.UTC), campaign=campaign
    )
    post_metrics(mine, dt.date(2026, 11, 5), likes=30, comments=10, reach=800)
    outside = published_variant(account, at=dt.datetime(2026, 11, 4, 9, tzinfo=dt.UTC))
    post_metrics(outside, dt.date(2026, 11, 5), likes=1, reach=5000)
    account_metrics(account, dt.date(2026, 11, 10), follower_growth=20)
    account_metrics(account, dt.date(2026, 12, 10), follower_growth=500)  # after the campaign

    with in_agency(agency_a):
        kpis = {k.key: k for k in campaign_kpis(member_of_a, campaign=campaign)}

    assert list(kpis) == ["reach", "engagement_rate", "followers_gained", "leads"]
    assert kpis["reach"].value == 800 and kpis["reach"].progress == pytest.approx(0.8)
    assert kpis["engagement_rate"].value == pytest.approx(5.0)  # 40 / 800, in percent
    assert kpis["engagement_rate"].unit == "percent"
    assert kpis["followers_gained"].value == 20
    assert kpis["leads"].measured is False and kpis["leads"].value is None
    assert "not measured" in kpis["leads"].note and kpis["leads"].progress is None


def test_a_campaign_without_targets_has_no_kpis_to_show(member_of_a, agency_a, in_agency):
    campaign = CampaignFactory(agency=agency_a, kpi_targets={})
    with in_agency(agency_a):
        assert campaign_kpis(member_of_a, campaign=campaign) == []


def test_nothing_published_yet_is_not_available(member_of_a, agency_a, campaign, in_agency):
    with in_agency(agency_a):
        kpis = {k.key: k for k in campaign_kpis(member_of_a, campaign=campaign)}
    assert kpis["reach"].value is None and kpis["reach"].measured is True
