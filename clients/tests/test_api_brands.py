import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agency.models import AuditEvent
from clients.models import Brand
from clients.tests.factories import BrandFactory


def test_manager_creates_a_brand_with_a_derived_slug(owner_of_a, api_as):
    response = api_as(owner_of_a).post(
        "/api/v1/brands/",
        {"name": "Crème de Fès", "languages": ["fr", "ary"], "industry": "Food"},
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["slug"] == "creme-de-fes"
    assert body["time_zone"] == "Africa/Casablanca"
    assert AuditEvent.unscoped.filter(verb="brand.created").count() == 1


def test_duplicate_brand_name_in_one_agency_is_refused_and_nothing_stored(
    owner_of_a, brand_a, api_as
):
    response = api_as(owner_of_a).post(
        "/api/v1/brands/", {"name": "café tanger", "slug": "autre"}, format="json"
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert (
        "Café Tanger" in error["fields"]["name"][0] or "café tanger" in error["fields"]["name"][0]
    )
    assert Brand.unscoped.filter(agency=brand_a.agency).count() == 1


def test_the_same_brand_name_is_fine_in_another_agency(owner_of_b, brand_a, api_as):
    response = api_as(owner_of_b).post("/api/v1/brands/", {"name": brand_a.name}, format="json")
    assert response.status_code == 201


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"name": "Ok", "slug": "pas un slug!"}, "slug"),
        ({"name": ""}, "name"),
        ({"name": "Ok", "languages": ["fr", "klingon"]}, "languages"),
        ({"name": "Ok", "time_zone": "Mars/Olympus"}, "time_zone"),
        ({"name": "Ok", "description": "x" * 2001}, "description"),
    ],
)
def test_bad_brand_input_names_the_field(owner_of_a, api_as, payload, field):
    response = api_as(owner_of_a).post("/api/v1/brands/", payload, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()["error"]["fields"], response.json()
    assert Brand.unscoped.count() == 0


def test_renaming_to_an_existing_name_keeps_the_stored_brand(owner_of_a, agency_a, api_as):
    first = BrandFactory(agency=agency_a, name="Argan Bio")
    second = BrandFactory(agency=agency_a, name="Atlas Surf")
    response = api_as(owner_of_a).patch(
        f"/api/v1/brands/{second.pk}/", {"name": "ARGAN BIO"}, format="json"
    )
    assert response.status_code == 400
    second.refresh_from_db()
    assert second.name == "Atlas Surf" and first.name == "Argan Bio"


def test_archived_brands_leave_the_list_and_come_back_on_restore(owner_of_a, brand_a, api_as):
    client = api_as(owner_of_a)
    assert client.post(f"/api/v1/brands/{brand_a.pk}/archive/").json()["archived_at"]
    assert client.get("/api/v1/brands/").json()["results"] == []
    archived = client.get("/api/v1/brands/?archived=true").json()["results"]
    assert [b["id"] for b in archived] == [brand_a.pk]
    client.post(f"/api/v1/brands/{brand_a.pk}/restore/")
    assert len(client.get("/api/v1/brands/").json()["results"]) == 1


def test_brand_list_is_paginated_by_cursor(owner_of_a, agency_a, api_as):
    for n in range(5):
        BrandFactory(agency=agency_a, name=f"Marque {n}")
    client = api_as(owner_of_a)
    first = client.get("/api/v1/brands/?page_size=2").json()
    assert len(first["results"]) == 2 and first["next"]
    second = client.get(first["next"]).json()
    assert {b["id"] for b in first["results"]}.isdisjoint({b["id"] for b in second["results"]})


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/brands/",
        "/api/v1/members/",
        "/api/v1/invitations/",
        "/api/v1/audit-events/",
        "/api/v1/api-keys/",
    ],
)
def test_list_endpoints_cost_the_same_queries_for_5_or_40_rows(owner_of_a, agency_a, api_as, path):
    from agency.tests.factories import (
        ApiKeyFactory,
        AuditEventFactory,
        InvitationFactory,
        MembershipFactory,
    )

    client = api_as(owner_of_a)

    def add(n):
        for _ in range(n):
            brand = BrandFactory(agency=agency_a)
            MembershipFactory(agency=agency_a)
            InvitationFactory(agency=agency_a, brands=[brand], invited_by=owner_of_a.user)
            AuditEventFactory(agency=agency_a, actor=owner_of_a.user)
            ApiKeyFactory(agency=agency_a, created_by=owner_of_a.user)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(path + "?page_size=100").status_code == 200
        return len(ctx)

    add(5)
    few = count()
    add(35)
    assert count() == few
