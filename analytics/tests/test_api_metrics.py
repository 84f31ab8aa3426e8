"""The metrics API: per post variant (as of the period's end, its daily readings), per social
account (followers on the last day, flows summed, the comparison and the change), each with
``as_of`` and "not available" as null; a bad period is a 400 naming the field; a client sees
its brands only; a page is a fixed number of queries."""

import datetime as dt

import pytest

from agency.tenancy import tenant_scope
from analytics.models import AccountMetricDay, PostMetricDay
from clients.tests.factories import BrandFactory, SocialAccountFactory

NOVEMBER = {"preset": "custom", "start": "2026-11-01", "end": "2026-11-30"}
COLLECTED = dt.datetime(2026, 12, 1, 3, 0, tzinfo=dt.UTC)


def _day(text):
    return dt.date.fromisoformat(text)


def _post_metric(variant, metric, day, value, collected=COLLECTED):
    PostMetricDay.objects.create(
        agency_id=variant.agency_id,
        post_variant=variant,
        social_account=variant.social_account,
        metric=metric,
        day=_day(day),
        value=value,
        collected_at=collected,
    )


def _account_metric(account, metric, day, value, collected=COLLECTED):
    AccountMetricDay.objects.create(
        agency_id=account.agency_id,
        social_account=account,
        metric=metric,
        day=_day(day),
        value=value,
        collected_at=collected,
    )


@pytest.fixture
def figures(agency_a, brand_a, published):
    with tenant_scope(agency_a.pk):
        variant = published(
            agency_a, brand_a, at=dt.datetime(2026, 11, 5, 10, tzinfo=dt.UTC), external_id="n1"
        )
        account = variant.social_account
        _post_metric(variant, "likes", "2026-11-05", 3)
        _post_metric(variant, "likes", "2026-11-06", 8)
        _post_metric(variant, "comments", "2026-11-06", 2)
        _post_metric(variant, "reach", "2026-11-06", 100)
        later = dt.datetime(2026, 12, 3, 3, tzinfo=dt.UTC)
        _post_metric(variant, "likes", "2026-12-02", 20, collected=later)  # after the period
        october = published(
            agency_a, brand_a, at=dt.datetime(2026, 10, 10, 10, tzinfo=dt.UTC), external_id="o1"
        )
        _post_metric(october, "likes", "2026-10-11", 1)
        _account_metric(account, "followers", "2026-11-01", 100)
        _account_metric(account, "followers", "2026-11-30", 120)
        _account_metric(account, "reach", "2026-11-03", 50)
        _account_metric(account, "reach", "2026-11-04", 70)
        _account_metric(account, "followers", "2026-10-31", 90)
        _account_metric(account, "reach", "2026-10-10", 40)
    return variant, october, later


def test_post_variants_published_in_the_period_with_metrics_as_of_its_end(
    agency_a, owner_of_a, api_as, figures
):
    variant, _october, later = figures
    response = api_as(owner_of_a).get("/api/v1/metrics/post-variants/", NOVEMBER)
    assert response.status_code == 200
    body = response.json()
    assert body["period"]["start"] == "2026-11-01"
    assert body["period"]["comparison"] == {"start": "2026-10-02", "end": "2026-10-31"}
    (row,) = body["results"]
    assert row["id"] == variant.pk and row["network"] == "mastodon"
    assert row["metrics"]["likes"] == 8  # December's 20 is after the period
    assert row["metrics"]["comments"] == 2
    assert row["metrics"]["impressions"] is None  # not available, never 0
    assert row["engagement_rate"] == {"rate": 0.1, "base": "reach", "interactions": 10}
    assert dt.datetime.fromisoformat(row["as_of"]) == later


def test_one_post_variant_gives_its_daily_readings_in_the_period(
    agency_a, owner_of_a, api_as, figures
):
    variant, october, _later = figures
    client = api_as(owner_of_a)
    row = client.get(f"/api/v1/metrics/post-variants/{variant.pk}/", NOVEMBER).json()
    assert row["series"]["likes"] == [
        {"day": "2026-11-05", "value": 3},
        {"day": "2026-11-06", "value": 8},
    ]
    assert row["series"]["clicks"] == []
    # A variant published before the period is still found by its id, with nothing read in it.
    old = client.get(f"/api/v1/metrics/post-variants/{october.pk}/", NOVEMBER).json()
    assert old["metrics"]["likes"] == 1 and old["series"]["likes"] == []


def test_account_figures_take_the_last_followers_and_sum_the_flows_with_the_change(
    agency_a, owner_of_a, api_as, figures
):
    variant, _october, _later = figures
    response = api_as(owner_of_a).get("/api/v1/metrics/social-accounts/", NOVEMBER)
    assert response.status_code == 200
    rows = {r["id"]: r for r in response.json()["results"]}
    assert set(rows) == {variant.social_account_id, _october.social_account_id}
    row = rows[variant.social_account_id]
    assert row["metrics"]["followers"] == {
        "value": 120,
        "previous": 90,
        "change": pytest.approx(1 / 3),
    }
    assert row["metrics"]["reach"] == {"value": 120, "previous": 40, "change": 2.0}
    assert row["metrics"]["profile_views"] == {"value": None, "previous": None, "change": None}
    detail = api_as(owner_of_a).get(
        f"/api/v1/metrics/social-accounts/{row['id']}/", {**NOVEMBER, "compare": "none"}
    )
    assert detail.json()["series"]["reach"] == [
        {"day": "2026-11-03", "value": 50},
        {"day": "2026-11-04", "value": 70},
    ]
    assert detail.json()["metrics"]["reach"]["previous"] is None
    assert detail.json()["period"]["comparison"] is None


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"preset": "custom", "start": "2026-13-01", "end": "2026-11-30"}, "start"),
        ({"preset": "custom", "start": "2026-11-30", "end": "2026-11-01"}, "end"),
        ({"preset": "someday"}, "preset"),
        ({"compare": "never"}, "compare"),
        ({"preset": "custom", "start": "2020-01-01", "end": "2026-11-30"}, "end"),
    ],
)
@pytest.mark.parametrize("path", ["post-variants", "social-accounts"])
def test_a_bad_period_is_a_400_naming_the_field(owner_of_a, api_as, params, field, path):
    response = api_as(owner_of_a).get(f"/api/v1/metrics/{path}/", params)
    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]


def test_client_sees_the_metrics_of_its_brands_only(
    agency_a, brand_a, client_of_a, api_as, figures, published
):
    variant, _october, _later = figures
    with tenant_scope(agency_a.pk):
        other = BrandFactory(agency=agency_a, name="Autre Marque")
        hidden = published(
            agency_a, other, at=dt.datetime(2026, 11, 7, tzinfo=dt.UTC), external_id="h1"
        )
    client = api_as(client_of_a)
    rows = client.get("/api/v1/metrics/post-variants/", NOVEMBER).json()["results"]
    assert [r["id"] for r in rows] == [variant.pk]
    accounts = client.get("/api/v1/metrics/social-accounts/", NOVEMBER).json()["results"]
    assert hidden.social_account_id not in {r["id"] for r in accounts}
    assert variant.social_account_id in {r["id"] for r in accounts}
    assert client.get(f"/api/v1/metrics/post-variants/{hidden.pk}/").status_code == 404
    path = f"/api/v1/metrics/social-accounts/{hidden.social_account_id}/"
    assert client.get(path).status_code == 404


def test_a_page_is_read_in_a_fixed_number_of_queries(
    agency_a, brand_a, owner_of_a, api_as, figures, published, django_assert_max_num_queries
):
    client = api_as(owner_of_a)

    def count(path):
        with django_assert_max_num_queries(30) as ctx:
            assert client.get(path, NOVEMBER).status_code == 200
        return len(ctx.captured_queries)

    before = {
        p: count(p) for p in ("/api/v1/metrics/post-variants/", "/api/v1/metrics/social-accounts/")
    }
    with tenant_scope(agency_a.pk):
        for n in range(4):
            variant = published(
                agency_a,
                BrandFactory(agency=agency_a),
                at=dt.datetime(2026, 11, 8, tzinfo=dt.UTC),
                external_id=f"m{n}",
            )
            _post_metric(variant, "likes", "2026-11-09", n)
            _account_metric(variant.social_account, "followers", "2026-11-09", n)
        SocialAccountFactory(agency=agency_a, brand=brand_a)
    assert {p: count(p) for p in before} == before


def test_a_brand_gives_the_pages_kpis_with_the_comparison_and_per_network(
    agency_a, brand_a, owner_of_a, api_as, figures
):
    variant, _october, later = figures
    response = api_as(owner_of_a).get(f"/api/v1/metrics/brands/{brand_a.pk}/", NOVEMBER)
    assert response.status_code == 200
    body = response.json()
    assert body["period"]["comparison"] == {"start": "2026-10-02", "end": "2026-10-31"}
    assert dt.datetime.fromisoformat(body["as_of"]) == later
    kpis = body["kpis"]
    assert (kpis["posts_published"]["value"], kpis["posts_published"]["previous"]) == (1, 1)
    assert kpis["impressions"]["value"] is None  # not available, never 0
    assert kpis["engagement_rate"]["unit"] == "ratio"
    assert kpis["followers"]["value"] == 120
    (mastodon,) = body["networks"]
    assert mastodon["network"] == "mastodon" and mastodon["accounts"] == 2


def test_a_brand_with_a_bad_period_is_a_400_and_another_brand_a_404_for_a_client(
    agency_a, brand_a, client_of_a, api_as
):
    client = api_as(client_of_a)
    bad = client.get(f"/api/v1/metrics/brands/{brand_a.pk}/", {"compare": "never"})
    assert bad.status_code == 400 and "compare" in bad.json()["error"]["fields"]
    with tenant_scope(agency_a.pk):
        other = BrandFactory(agency=agency_a)
    assert client.get(f"/api/v1/metrics/brands/{other.pk}/").status_code == 404
