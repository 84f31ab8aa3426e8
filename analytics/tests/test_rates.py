"""The engagement rate: interactions ÷ reach, else impressions, else followers; not available
without interactions or a base, never a made-up 0."""

import pytest

from analytics.rates import engagement_rate


def test_rate_is_interactions_over_reach_when_the_network_gives_reach():
    rate = engagement_rate({"likes": 40, "comments": 5, "shares": 3, "saves": 2, "reach": 1000})
    assert rate.base == "reach" and rate.interactions == 50 and rate.rate == pytest.approx(0.05)
    assert rate.percent == 5.0


def test_clicks_are_not_interactions():
    rate = engagement_rate({"likes": 10, "clicks": 500, "reach": 100})
    assert rate.interactions == 10


def test_without_reach_impressions_then_followers_are_the_base():
    assert engagement_rate({"likes": 10, "impressions": 200}).base == "impressions"
    rate = engagement_rate({"likes": 10, "comments": 2}, followers=400)
    assert rate.base == "followers" and rate.rate == pytest.approx(0.03)


def test_a_zero_base_falls_through_to_the_next():
    assert engagement_rate({"likes": 1, "reach": 0, "impressions": 50}).base == "impressions"


def test_no_interaction_count_or_no_base_is_not_available():
    assert engagement_rate({"reach": 1000}) is None
    assert engagement_rate({"likes": None, "reach": 1000}) is None
    assert engagement_rate({"likes": 12}) is None


def test_zero_interactions_given_is_a_real_zero_rate():
    rate = engagement_rate({"likes": 0, "comments": 0, "reach": 300})
    assert rate is not None and rate.rate == 0
