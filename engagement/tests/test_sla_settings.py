"""A brand's SLA settings as the SLA reads them: its week and closed dates in its own time zone,
its targets per priority; what the database and the model refuse."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from agency.tenancy import tenant_scope
from clients.tests.factories import BrandFactory
from engagement.business_hours import due_at
from engagement.models import BusinessInterval, ClosedDay, Priority, SlaTarget
from engagement.selectors.sla import brand_schedule, brand_sla_targets


def _week(agency, brand):
    for weekday in range(5):
        BusinessInterval.objects.create(
            agency=agency, brand=brand, weekday=weekday, starts=dt.time(9), ends=dt.time(13)
        )
        BusinessInterval.objects.create(
            agency=agency, brand=brand, weekday=weekday, starts=dt.time(14), ends=dt.time(18)
        )


def test_the_schedule_and_targets_in_two_queries(agency_a, brand_a, django_assert_num_queries):
    brand_a.time_zone = "Europe/Paris"
    with tenant_scope(agency_a.pk):
        _week(agency_a, brand_a)
        ClosedDay.objects.create(agency=agency_a, brand=brand_a, date=dt.date(2026, 1, 1))
        ClosedDay.objects.create(agency=agency_a, brand=brand_a, date=dt.date(2025, 12, 25))
        SlaTarget.objects.create(
            agency=agency_a,
            brand=brand_a,
            priority=Priority.URGENT,
            first_response_minutes=30,
            resolution_minutes=240,
        )
        with django_assert_num_queries(2):
            schedule = brand_schedule(brand=brand_a, closed_from=dt.date(2026, 1, 1))
        with django_assert_num_queries(1):
            targets = brand_sla_targets(brand=brand_a)
    assert schedule.time_zone == "Europe/Paris"
    assert schedule.weekly[0] == ((dt.time(9), dt.time(13)), (dt.time(14), dt.time(18)))
    assert 5 not in schedule.weekly and 6 not in schedule.weekly
    assert schedule.closed == frozenset({dt.date(2026, 1, 1)})
    assert targets == {Priority.URGENT: (30 * 60, 240 * 60)}
    # Wednesday 31 December 17:45 Paris + 30 minutes: 15 before closing, New Year's Day
    # closed, 15 on Friday after opening.
    paris = schedule.tz
    start = dt.datetime(2025, 12, 31, 17, 45, tzinfo=paris)
    assert due_at(schedule, start, 30 * 60) == dt.datetime(2026, 1, 2, 9, 15, tzinfo=paris)


def test_a_brand_without_settings_has_no_hours_and_no_targets(agency_a, brand_a):
    with tenant_scope(agency_a.pk):
        assert not brand_schedule(brand=brand_a).has_hours()
        assert brand_sla_targets(brand=brand_a) == {}


def test_the_model_refuses_an_end_before_the_start_and_empty_targets(agency_a, brand_a):
    # full_clean checks the unique constraints too: a read, in the agency's scope.
    with tenant_scope(agency_a.pk):
        backwards = BusinessInterval(
            agency=agency_a, brand=brand_a, weekday=0, starts=dt.time(18), ends=dt.time(9)
        )
        with pytest.raises(ValidationError) as raised:
            backwards.full_clean()
        assert "ends" in raised.value.message_dict
        until_midnight = BusinessInterval(
            agency=agency_a, brand=brand_a, weekday=0, starts=dt.time(18), ends=dt.time(0)
        )
        until_midnight.full_clean()
        target = SlaTarget(
            agency=agency_a,
            brand=brand_a,
            priority=1,
            first_response_minutes=0,
            resolution_minutes=60,
        )
        with pytest.raises(ValidationError) as raised:
            target.full_clean()
        assert "first_response_minutes" in raised.value.message_dict


def test_the_database_refuses_a_second_target_per_priority(agency_a, brand_a):
    with tenant_scope(agency_a.pk):
        SlaTarget.objects.create(
            agency=agency_a,
            brand=brand_a,
            priority=1,
            first_response_minutes=60,
            resolution_minutes=600,
        )
        with pytest.raises(IntegrityError), transaction.atomic():
            SlaTarget.objects.create(
                agency=agency_a,
                brand=brand_a,
                priority=1,
                first_response_minutes=5,
                resolution_minutes=6,
            )


@pytest.mark.skipif(connection.vendor != "postgresql", reason="composite foreign keys")
@pytest.mark.parametrize("model", [BusinessInterval, ClosedDay, SlaTarget])
def test_a_setting_keeps_its_brands_agency(model, agency_a, brand_a, agency_b):
    values = {
        BusinessInterval: {"weekday": 0, "starts": dt.time(9), "ends": dt.time(18)},
        ClosedDay: {"date": dt.date(2026, 1, 1)},
        SlaTarget: {"priority": 1, "first_response_minutes": 5, "resolution_minutes": 6},
    }[model]
    with tenant_scope(agency_a.pk):
        row = model.objects.create(agency=agency_a, brand=brand_a, **values)
    foreign = BrandFactory(agency=agency_b)
    with pytest.raises(IntegrityError, match="same_agency"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        model.unscoped.filter(pk=row.pk).update(brand_id=foreign.pk)
