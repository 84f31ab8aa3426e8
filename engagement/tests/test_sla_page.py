"""The brand's SLA settings page: a manager saves the week, closed days and targets; bad input is
a 400 with the reasons and changes nothing; people without inbox.manage get 403."""

import datetime as dt

from django.urls import reverse

from agency.tenancy import tenant_scope
from engagement.models import BusinessInterval, ClosedDay, SlaTarget
from engagement.selectors.sla import brand_schedule, brand_sla_targets


def _url(brand):
    return reverse("dashboard:brand_sla", kwargs={"brand_id": brand.pk})


def test_a_manager_saves_the_week_closed_days_and_targets(login, owner_of_a, agency_a, brand_a):
    client = login(owner_of_a)
    assert client.get(_url(brand_a)).status_code == 200
    response = client.post(
        _url(brand_a),
        {
            "d0_0_opens": "09:00",
            "d0_0_closes": "13:00",
            "d0_1_opens": "14:00",
            "d0_1_closes": "18:00",
            "d5_0_opens": "20:00",
            "d5_0_closes": "00:00",
            "closed_days": "2026-12-25 Noël\n\n2027-01-01",
            "p3_first": "30",
            "p3_resolution": "240",
        },
    )
    assert response.status_code == 302
    with tenant_scope(agency_a.pk):
        schedule = brand_schedule(brand=brand_a)
        assert schedule.weekly == {
            0: ((dt.time(9), dt.time(13)), (dt.time(14), dt.time(18))),
            5: ((dt.time(20), dt.time(0)),),
        }
        assert schedule.closed == {dt.date(2026, 12, 25), dt.date(2027, 1, 1)}
        assert ClosedDay.objects.get(date=dt.date(2026, 12, 25)).name == "Noël"
        assert brand_sla_targets(brand=brand_a) == {3: (30 * 60, 240 * 60)}
    # The page shows what was saved.
    body = client.get(_url(brand_a)).content.decode()
    assert "2026-12-25 Noël" in body and 'value="240"' in body


def test_bad_settings_are_refused_with_reasons_and_change_nothing(
    login, owner_of_a, agency_a, brand_a
):
    client = login(owner_of_a)
    client.post(_url(brand_a), {"p1_first": "60", "p1_resolution": "600"})
    response = client.post(
        _url(brand_a),
        {
            "d0_0_opens": "18:00",
            "d0_0_closes": "09:00",
            "d1_0_opens": "09:00",
            "d1_0_closes": "13:00",
            "d1_1_opens": "12:00",
            "d1_1_closes": "15:00",
            "d2_0_opens": "09:00",
            "closed_days": "25/12/2026",
            "p2_first": "30",
            "p3_first": "-5",
            "p3_resolution": "99999999",
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "d0_0_closes" in errors and "d1_1_opens" in errors and "d2_0_closes" in errors
    assert "closed_days" in errors and "p2_resolution" in errors
    assert "p3_first" in errors and "p3_resolution" in errors
    with tenant_scope(agency_a.pk):
        assert not BusinessInterval.objects.exists() and not ClosedDay.objects.exists()
        assert list(SlaTarget.objects.values_list("priority", flat=True)) == [1]


def test_the_page_is_in_french(login, owner_of_a, brand_a):
    client = login(owner_of_a)
    response = client.get(_url(brand_a), HTTP_ACCEPT_LANGUAGE="fr")
    body = response.content.decode()
    assert "Délais de réponse" in body and "Jours fermés" in body


def test_people_without_inbox_manage_cannot_open_the_settings(login, client_of_a, brand_a):
    client = login(client_of_a)
    assert client.get(_url(brand_a)).status_code == 403
    assert client.post(_url(brand_a), {"p1_first": "1", "p1_resolution": "1"}).status_code == 403
