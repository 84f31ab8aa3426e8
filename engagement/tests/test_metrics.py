"""Response metrics per brand and per person: volume, share answered, median and p90 first
response in business time and elapsed, in and out of hours, resolution; constant queries; a
client role sees its brands only and no person; hostile ranges are 400s."""

import datetime as dt

import pytest
from django.urls import reverse

from agency.tenancy import tenant_scope
from clients.tests.factories import BrandFactory
from engagement.models import BusinessInterval
from engagement.selectors.metrics import inbox_metrics, percentile
from engagement.tests.factories import ConversationFactory

UTC = dt.UTC
# Monday 7 December 2026.
MONDAY = dt.datetime(2026, 12, 7, tzinfo=UTC)


def _at(day, hour, minute=0):
    return MONDAY + dt.timedelta(days=day, hours=hour, minutes=minute)


def _week(agency, brand):
    brand.time_zone = "UTC"
    brand.save(update_fields=["time_zone"])
    for weekday in range(5):
        BusinessInterval.objects.create(
            agency=agency, brand=brand, weekday=weekday, starts=dt.time(9), ends=dt.time(18)
        )


def _conversation(agency, brand, inbound, response=None, resolved=None, assignee=None):
    return ConversationFactory(
        agency=agency,
        brand=brand,
        assignee=assignee,
        first_inbound_at=inbound,
        first_response_at=response,
        resolution_since=inbound,
        resolved_at=resolved,
        last_message_at=inbound,
    )


@pytest.fixture
def traffic(agency_a, brand_a, member_of_a):
    agency_a.time_zone = "UTC"
    agency_a.save(update_fields=["time_zone"])
    with tenant_scope(agency_a.pk):
        _week(agency_a, brand_a)
        person = member_of_a.user
        # In hours, answered after 10, 20 and 60 minutes; one resolved after 2 h.
        _conversation(agency_a, brand_a, _at(0, 10), _at(0, 10, 10), _at(0, 12), person)
        _conversation(agency_a, brand_a, _at(0, 11), _at(0, 11, 20), assignee=person)
        _conversation(agency_a, brand_a, _at(1, 9), _at(1, 10))
        # Friday 18:30, answered Monday 09:20: 20 minutes of business time, 62 h 50 elapsed.
        _conversation(agency_a, brand_a, _at(4, 18, 30), _at(7, 9, 20))
        # Saturday (out of hours), never answered.
        _conversation(agency_a, brand_a, _at(5, 12))
        # Outside the range.
        _conversation(agency_a, brand_a, _at(20, 10), _at(20, 10, 5))
    return person


def test_percentiles_interpolate_like_postgresql():
    assert percentile([], 0.5) is None
    assert percentile([10.0], 0.9) == 10.0
    assert percentile([10.0, 20.0, 60.0, 20.0], 0.5) == 20.0
    assert percentile([1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0], 0.9) == pytest.approx(
        9.1
    )


def test_metrics_per_brand_and_person_in_business_time(
    agency_a, brand_a, owner_of_a, traffic, django_assert_max_num_queries
):
    with tenant_scope(agency_a.pk), django_assert_max_num_queries(6):
        metrics = inbox_metrics(
            actor=owner_of_a, start=dt.date(2026, 12, 7), end=dt.date(2026, 12, 13)
        )
    total = metrics["total"]
    assert total["volume"] == 5 and total["answered"] == 4 and total["share_answered"] == 0.8
    assert total["arrived_out_of_hours"] == 2
    # Business seconds: 600, 1200, 3600, 1200 -> median 1200, p90 2880.
    assert total["first_response_business_seconds"] == {"median": 1200, "p90": 2880}
    assert total["first_response_arrived_in_hours_business_seconds"]["median"] == 1200
    assert total["first_response_arrived_out_of_hours_business_seconds"] == {
        "median": 1200,
        "p90": 1200,
    }
    assert total["first_response_elapsed_seconds"]["p90"] > 40 * 3600
    assert total["resolved"] == 1
    assert total["resolution_business_seconds"] == {"median": 7200, "p90": 7200}
    [brand] = metrics["brands"]
    assert brand["brand"] == brand_a.pk and brand["volume"] == 5
    people = {row["user"]: row for row in metrics["people"]}
    assert people[traffic.pk]["volume"] == 2
    assert people[traffic.pk]["first_response_business_seconds"]["median"] == 900
    assert people[None]["volume"] == 3


def test_the_query_count_does_not_grow_with_brands(
    agency_a, owner_of_a, traffic, django_assert_max_num_queries
):
    with tenant_scope(agency_a.pk):
        for _ in range(5):
            other = BrandFactory(agency=agency_a)
            _week(agency_a, other)
            _conversation(agency_a, other, _at(0, 10), _at(0, 10, 30))
        with django_assert_max_num_queries(6):
            metrics = inbox_metrics(
                actor=owner_of_a, start=dt.date(2026, 12, 7), end=dt.date(2026, 12, 13)
            )
    assert metrics["total"]["volume"] == 10 and len(metrics["brands"]) == 6


def test_a_client_sees_its_brands_and_no_person(agency_a, brand_a, client_of_a, traffic, api_as):
    with tenant_scope(agency_a.pk):
        other = BrandFactory(agency=agency_a)
        _conversation(agency_a, other, _at(0, 10), _at(0, 10, 30))
    response = api_as(client_of_a).get(
        "/api/v1/inbox-metrics/", {"start": "2026-12-07", "end": "2026-12-13"}
    )
    assert response.status_code == 200
    body = response.json()
    assert [b["brand"] for b in body["brands"]] == [brand_a.pk]
    assert body["total"]["volume"] == 5 and body["people"] == []


def test_another_agencys_brand_gives_nothing(api_as, owner_of_a, brand_b, traffic):
    body = (
        api_as(owner_of_a)
        .get(
            "/api/v1/inbox-metrics/",
            {"start": "2026-12-07", "end": "2026-12-13", "brand": brand_b.pk},
        )
        .json()
    )
    assert body["brands"] == [] and body["total"]["volume"] == 0


@pytest.mark.parametrize(
    "query",
    [
        {"start": "2026-13-01"},
        {"start": "yesterday"},
        {"start": "2026-12-10", "end": "2026-12-01"},
        {"start": "2020-01-01", "end": "2026-12-01"},
        {"start": "9999-12-31", "end": "9999-12-31"},
        {"brand": "abc"},
        {"brand": "99999999999999999999"},
        {"start": "2026-12-01\x00"},
    ],
)
def test_hostile_ranges_are_refused_with_400(api_as, owner_of_a, login, query):
    response = api_as(owner_of_a).get("/api/v1/inbox-metrics/", query)
    assert response.status_code == 400, response.content
    assert response.json()["error"]["fields"]
    page = login(owner_of_a).get(reverse("dashboard:inbox_metrics"), query)
    assert page.status_code == 400


def test_the_metrics_page_shows_the_figures_in_french(login, owner_of_a, traffic):
    page = login(owner_of_a).get(
        reverse("dashboard:inbox_metrics"),
        {"start": "2026-12-07", "end": "2026-12-13"},
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    assert page.status_code == 200
    body = page.content.decode()
    assert "Indicateurs de réponse" in body and "20 min" in body and "80 %" in body
