"""Brand pages: list, create, edit, archive, restore, and who may do what."""

import pytest
from django.urls import reverse

from agency.models import AuditEvent, Role
from clients.models import Brand
from clients.tests.factories import BrandFactory


def _form(**changes):
    data = {
        "name": "Atlas Surf",
        "slug": "",
        "industry": "Sport",
        "languages": ["fr", "ary"],
        "time_zone": "Africa/Casablanca",
        "description": "",
    }
    data.update(changes)
    return data


def test_manager_creates_a_brand_with_languages_and_a_derived_slug(member_factory, agency_a, login):
    manager = member_factory(agency_a, Role.MANAGER)
    response = login(manager).post(reverse("brands:create"), _form())
    assert response.status_code == 302
    brand = Brand.unscoped.get(agency=agency_a, name="Atlas Surf")
    assert brand.slug == "atlas-surf"
    assert brand.languages == ["fr", "ary"]
    assert AuditEvent.unscoped.filter(agency=agency_a, verb="brand.created").exists()


def test_brand_form_shows_field_error_for_duplicate_name_and_stores_nothing(
    owner_of_a, brand_a, login
):
    response = login(owner_of_a).post(reverse("brands:create"), _form(name="café tanger"))
    assert response.status_code == 200
    assert response.context["form"].errors["name"]
    assert Brand.unscoped.filter(agency=brand_a.agency).count() == 1


def test_brand_form_refuses_an_unknown_language(owner_of_a, login):
    response = login(owner_of_a).post(reverse("brands:create"), _form(languages=["xx"]))
    assert response.context["form"].errors["languages"]
    assert not Brand.unscoped.exists()


def test_same_brand_name_is_fine_in_another_agency(owner_of_a, brand_b, login):
    response = login(owner_of_a).post(reverse("brands:create"), _form(name=brand_b.name))
    assert response.status_code == 302


def test_editing_a_brand_keeps_its_slug_when_left_empty(owner_of_a, brand_a, login):
    response = login(owner_of_a).post(
        reverse("brands:edit", args=[brand_a.pk]), _form(name="Café Tanger Port", slug="")
    )
    assert response.status_code == 302
    brand_a.refresh_from_db()
    assert brand_a.name == "Café Tanger Port" and brand_a.slug == "cafe-tanger"


def test_archive_hides_the_brand_and_restore_brings_it_back(owner_of_a, brand_a, login):
    client = login(owner_of_a)
    client.post(reverse("brands:archive", args=[brand_a.pk]))
    assert list(client.get(reverse("brands:list")).context["page"]) == []
    archived = client.get(reverse("brands:list"), {"archived": "1"}).context["page"]
    assert [b.pk for b in archived] == [brand_a.pk]
    client.post(reverse("brands:restore", args=[brand_a.pk]))
    assert [b.pk for b in client.get(reverse("brands:list")).context["page"]] == [brand_a.pk]


def test_archiving_needs_a_post(owner_of_a, brand_a, login):
    assert login(owner_of_a).get(reverse("brands:archive", args=[brand_a.pk])).status_code == 405


def test_client_sees_only_their_brands_and_no_management_buttons(client_of_a, agency_a, login):
    BrandFactory(agency=agency_a, name="Marque Secrète")
    response = login(client_of_a).get(reverse("brands:list"))
    assert [b.name for b in response.context["page"]] == ["Café Tanger"]
    assert reverse("brands:create") not in response.content.decode()


@pytest.mark.parametrize("role", [Role.COMMUNITY_MANAGER, Role.ANALYST, Role.CLIENT_APPROVER])
def test_roles_without_brand_management_cannot_create_or_archive(
    role, member_factory, agency_a, brand_a, login
):
    client = login(member_factory(agency_a, role))
    assert client.post(reverse("brands:create"), _form()).status_code == 403
    assert client.post(reverse("brands:archive", args=[brand_a.pk])).status_code == 403
    assert Brand.unscoped.filter(agency=agency_a).count() == 1


def test_another_agencys_brand_is_404_everywhere(owner_of_a, brand_b, login):
    client = login(owner_of_a)
    for name in ("brands:edit", "brands:archive", "brands:restore", "brands:select"):
        assert client.post(reverse(name, args=[brand_b.pk])).status_code == 404, name


def test_brand_list_query_count_does_not_grow_with_brands(
    owner_of_a, agency_a, login, django_assert_max_num_queries
):
    client = login(owner_of_a)
    BrandFactory.create_batch(3, agency=agency_a)
    with django_assert_max_num_queries(20) as small:
        client.get(reverse("brands:list"))
    BrandFactory.create_batch(30, agency=agency_a)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(reverse("brands:list"))
