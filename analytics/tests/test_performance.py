"""The analytics pages' reads: KPIs of the posts published in a period against the comparison,
the accounts' daily figures, per network, the posts sorted in the database, top and bottom,
the best time to post on the brand's clock, and what the actor may see."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from agency.models import Role
from agency.tests.factories import BrandAccessFactory, MembershipFactory
from analytics.periods import Period
from analytics.rates import engagement_rate
from analytics.selectors.performance import (
    best_times,
    brand_kpis,
    daily_series,
    network_breakdown,
    post_rows,
    top_posts,
)
from analytics.tests.factories import account_metrics, post_metrics, published_variant
from clients.tests.factories import BrandFactory, SocialAccountFactory

NOV = Period(dt.date(2026, 11, 1), dt.date(2026, 11, 30))
OCT = Period(dt.date(2026, 10, 2), dt.date(2026, 10, 31))


def at(day: int, hour: int = 9, month: int = 11) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, 30, tzinfo=dt.UTC)


@pytest.fixture
def mastodon(agency_a, brand_a):
    return SocialAccountFactory(agency=agency_a, brand=brand_a, network="mastodon")


@pytest.fixture
def linkedin(agency_a, brand_a):
    return SocialAccountFactory(agency=agency_a, brand=brand_a, network="linkedin")


def kpis_by_key(kpis):
    return {k.key: k for k in kpis}


def test_kpis_sum_the_latest_readings_of_the_posts_published_in_the_period(
    agency_a, brand_a, member_of_a, mastodon, linkedin, in_agency
):
    first = published_variant(mastodon, at=at(3))
    post_metrics(first, dt.date(2026, 11, 3), likes=10, comments=1, shares=0)
    post_metrics(first, dt.date(2026, 11, 9), likes=40, comments=5, shares=5)  # latest
    second = published_variant(linkedin, at=at(12))
    post_metrics(
        second, dt.date(2026, 11, 13), likes=20, comments=0, shares=0, impressions=1000, clicks=7
    )
    earlier = published_variant(linkedin, at=at(15, month=10))
    post_metrics(earlier, dt.date(2026, 10, 16), likes=5, impressions=500, clicks=2)
    account_metrics(mastodon, dt.date(2026, 11, 30), followers=400)
    account_metrics(linkedin, dt.date(2026, 11, 29), followers=1000, follower_growth=15)
    account_metrics(linkedin, dt.date(2026, 11, 30), follower_growth=5)
    account_metrics(linkedin, dt.date(2026, 12, 1), followers=9999)  # after the period

    with in_agency(agency_a):
        kpis = kpis_by_key(
            brand_kpis(member_of_a, brand_ids=[brand_a.pk], period=NOV, comparison=OCT)
        )

    assert kpis["engagements"].value == 70
    assert kpis["impressions"].value == 1000 and kpis["impressions"].previous == 500
    assert kpis["impressions"].change == pytest.approx(1.0)
    assert kpis["posts_published"].value == 2 and kpis["posts_published"].previous == 1
    assert kpis["clicks"].value == 7
    assert kpis["followers"].value == 1400
    assert kpis["follower_growth"].value == 20
    # Mastodon: 50 interactions per 400 followers; LinkedIn: 20 per 1,000 impressions.
    assert kpis["engagement_rate"].value == pytest.approx((50 / 400 + 20 / 1000) / 2)
    assert kpis["engagement_rate"].unit == "ratio" and kpis["reach"].unit == "count"


def test_a_figure_no_network_gives_is_not_available_never_zero(
    agency_a, brand_a, member_of_a, mastodon, in_agency
):
    variant = published_variant(mastodon, at=at(3))
    post_metrics(variant, dt.date(2026, 11, 4), likes=3, comments=0, shares=1)
    with in_agency(agency_a):
        kpis = kpis_by_key(
            brand_kpis(member_of_a, brand_ids=[brand_a.pk], period=NOV, comparison=None)
        )
    for key in ("reach", "impressions", "clicks", "video_views", "followers"):
        assert kpis[key].value is None, key
    assert kpis["engagements"].value == 4
    assert kpis["engagement_rate"].value is None  # no base: no reach, impressions nor followers
    assert kpis["engagements"].previous is None and kpis["engagements"].change is None


def test_a_client_viewer_counts_only_the_brands_it_was_given(
    agency_a, brand_a, mastodon, in_agency
):
    other_brand = BrandFactory(agency=agency_a)
    other = SocialAccountFactory(agency=agency_a, brand=other_brand)
    post_metrics(published_variant(mastodon, at=at(3)), dt.date(2026, 11, 4), likes=3)
    post_metrics(published_variant(other, at=at(3)), dt.date(2026, 11, 4), likes=100)
    viewer = MembershipFactory(agency=agency_a, role=Role.CLIENT_VIEWER)
    BrandAccessFactory(agency=agency_a, membership=viewer, brand=brand_a)
    with in_agency(agency_a):
        everything = kpis_by_key(brand_kpis(viewer, brand_ids=None, period=NOV, comparison=None))
        asked_for_other = kpis_by_key(
            brand_kpis(viewer, brand_ids=[other_brand.pk], period=NOV, comparison=None)
        )
    assert everything["engagements"].value == 3
    assert asked_for_other["engagements"].value is None
    assert asked_for_other["posts_published"].value == 0


def test_a_post_published_late_on_the_last_day_counts_on_the_brands_clock(
    agency_a, brand_a, member_of_a, mastodon, in_agency
):
    # 23:30 UTC on 30 November is 00:30 on 1 December in Casablanca (UTC+1).
    late = published_variant(mastodon, at=dt.datetime(2026, 11, 30, 23, 30, tzinfo=dt.UTC))
    post_metrics(late, dt.date(2026, 12, 1), likes=9)
    with in_agency(agency_a):
        kpis = kpis_by_key(
            brand_kpis(member_of_a, brand_ids=[brand_a.pk], period=NOV, comparison=None)
        )
    assert kpis["posts_published"].value == 0


def test_daily_series_gives_every_day_with_none_where_nothing_was_read(
    agency_a, brand_a, member_of_a, mastodon, linkedin, in_agency
):
    account_metrics(mastodon, dt.date(2026, 11, 1), followers=100, reach=30)
    account_metrics(linkedin, dt.date(2026, 11, 1), followers=50)
    account_metrics(mastodon, dt.date(2026, 11, 3), followers=104)
    post_metrics(published_variant(mastodon, at=at(2)), dt.date(2026, 11, 2), likes=6, saves=1)
    week = Period(dt.date(2026, 11, 1), dt.date(2026, 11, 3))
    with in_agency(agency_a):
        series = daily_series(
            member_of_a,
            brand_ids=[brand_a.pk],
            period=week,
            metrics=["followers", "reach", "engagements", "posts_published"],
        )
    days = week.dates()
    assert series["followers"] == list(zip(days, [150, None, 104], strict=True))
    assert series["reach"] == list(zip(days, [30, None, None], strict=True))
    assert series["engagements"] == list(zip(days, [None, 7, None], strict=True))
    assert series["posts_published"] == list(zip(days, [0, 1, 0], strict=True))
    with pytest.raises(ValueError):
        daily_series(member_of_a, brand_ids=None, period=week, metrics=["mood"])


def test_network_breakdown_has_a_row_per_network_with_its_own_figures(
    agency_a, brand_a, member_of_a, mastodon, linkedin, in_agency
):
    post_metrics(published_variant(linkedin, at=at(5)), dt.date(2026, 11, 6), likes=8, reach=80)
    account_metrics(mastodon, dt.date(2026, 11, 20), followers=321, follower_growth=4)
    with in_agency(agency_a):
        rows = {r.network: r for r in network_breakdown(member_of_a, brand_ids=None, period=NOV)}
    assert set(rows) == {"linkedin", "mastodon"}
    assert rows["linkedin"].posts_published == 1 and rows["linkedin"].reach == 80
    assert rows["linkedin"].engagement_rate == pytest.approx(0.1)
    assert rows["linkedin"].followers is None
    assert rows["mastodon"].posts_published == 0 and rows["mastodon"].engagements is None
    assert rows["mastodon"].followers == 321 and rows["mastodon"].follower_growth == 4


def make_posts(account, count):
    made = []
    for i in range(count):
        variant = published_variant(account, at=at(1 + i % 28, hour=i % 24))
        values = {"likes": i, "comments": 1, "impressions": 100 + i}
        if i % 3:
            values["reach"] = 50 + i
        post_metrics(variant, dt.date(2026, 11, 28), **values)
        made.append(variant)
    return made


def test_post_rows_sort_by_any_column_with_not_available_last(
    agency_a, brand_a, member_of_a, mastodon, in_agency
):
    make_posts(mastodon, 6)
    with in_agency(agency_a):
        by_reach = list(post_rows(member_of_a, brand_ids=[brand_a.pk], period=NOV, sort="-reach"))
        ascending = list(post_rows(member_of_a, brand_ids=[brand_a.pk], period=NOV, sort="reach"))
        by_rate = list(post_rows(member_of_a, brand_ids=[brand_a.pk], period=NOV))
    assert [r.reach for r in by_reach] == [55, 54, 52, 51, None, None]
    assert [r.reach for r in ascending] == [51, 52, 54, 55, None, None]
    rates = [r.engagement_rate for r in by_rate]
    assert rates == sorted(rates, reverse=True)
    for row in by_rate:
        expected = engagement_rate(
            {
                "likes": row.likes,
                "comments": row.comments,
                "reach": row.reach,
                "impressions": row.impressions,
            }
        )
        assert row.engagement_rate == pytest.approx(expected.rate)
        assert row.rate_base == expected.base
    with pytest.raises(ValueError):
        post_rows(member_of_a, brand_ids=None, period=NOV, sort="-password")


@pytest.mark.parametrize("count", [2, 12])
def test_a_page_of_posts_takes_the_same_queries_however_many_posts(
    agency_a, brand_a, member_of_a, mastodon, in_agency, django_assert_num_queries, count
):
    make_posts(mastodon, count)
    with in_agency(agency_a):
        rows = post_rows(member_of_a, brand_ids=[brand_a.pk], period=NOV, sort="-likes")
        with django_assert_num_queries(1):
            page = list(rows[:25])
            assert [p.post.brand.name for p in page] and [p.social_account.network for p in page]
    assert len(page) == count


def test_top_and_bottom_posts_are_by_engagement_rate_among_those_with_one(
    agency_a, brand_a, member_of_a, mastodon, in_agency
):
    made = make_posts(mastodon, 6)
    unrated = published_variant(mastodon, at=at(20))
    post_metrics(unrated, dt.date(2026, 11, 21), likes=90)
    with in_agency(agency_a):
        top = top_posts(member_of_a, brand_ids=[brand_a.pk], period=NOV, n=2)
        bottom = top_posts(member_of_a, brand_ids=[brand_a.pk], period=NOV, n=2, bottom=True)
    assert top[0].engagement_rate >= top[1].engagement_rate
    assert bottom[0].engagement_rate <= bottom[1].engagement_rate
    assert bottom[0].pk == made[0].pk  # 0 likes, 1 comment
    assert unrated.pk not in {p.pk for p in top + bottom}


def test_best_times_are_read_on_the_brands_clock(
    agency_a, brand_a, member_of_a, mastodon, in_agency
):
    # Sunday 1 November 2026, 09:30 UTC = 10:30 in Casablanca; twice, and once on Monday.
    for likes in (10, 30):
        variant = published_variant(mastodon, at=at(1, hour=9))
        post_metrics(variant, dt.date(2026, 11, 2), likes=likes, reach=100)
    monday = published_variant(mastodon, at=at(2, hour=20))
    post_metrics(monday, dt.date(2026, 11, 3), likes=1)  # no base: counted, no rate
    with in_agency(agency_a):
        heatmap = best_times(
            member_of_a,
            brand_ids=[brand_a.pk],
            tz=ZoneInfo(brand_a.time_zone),
            since=at(1, hour=0),
            until=at(30, hour=0),
        )
    sunday = heatmap.cell(7, 10)
    assert sunday.posts == 2 and sunday.rate == pytest.approx(0.2)
    assert heatmap.cell(1, 21).posts == 1 and heatmap.cell(1, 21).rate is None
    assert heatmap.cell(7, 9).posts == 0
    assert heatmap.posts == 3 and heatmap.best(1) == [sunday]
    assert len(heatmap.rows()) == 7 and all(len(hours) == 24 for _, hours in heatmap.rows())
