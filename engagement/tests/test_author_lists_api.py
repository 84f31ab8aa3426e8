"""/api/v1/listed-authors/: a brand's VIP and blocked authors through the API, with the page's
validation and audit (a wrong entry is a 400 naming the field), moving an author between the
lists, the brand and list filters, pagination in constant queries, and client roles refused
everywhere as for the moderation rules."""

import pytest
from django.utils import translation

from agency.models import AuditEvent, Role
from agency.tenancy import tenant_scope
from agency.tests.factories import ApiKeyFactory, BrandAccessFactory, MembershipFactory
from clients.tests.factories import BrandFactory
from engagement.models import BrandAuthor
from engagement.tests.factories import BrandAuthorFactory

URL = "/api/v1/listed-authors/"


@pytest.fixture(autouse=True)
def _in_english(api_client):
    api_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    with translation.override("en"):
        yield


def test_an_author_is_added_moved_to_the_other_list_and_removed(brand_a, member_of_a, api_as):
    api = api_as(member_of_a)
    added = api.post(
        URL,
        {"brand": brand_a.pk, "list": "vip", "network": "instagram", "handle": "@Salma.B"},
        format="json",
    )
    assert added.status_code == 201, added.json()
    body = added.json()
    assert (body["brand"], body["list"], body["network"], body["handle"]) == (
        brand_a.pk,
        "vip",
        "instagram",
        "salma.b",  # folded like the page: no "@", lower case
    )
    moved = api.post(
        URL,
        {
            "brand": brand_a.pk,
            "list": "blocked",
            "network": "instagram",
            "handle": "salma.b",
            "note": "Insultes répétées",
        },
        format="json",
    )
    assert moved.status_code == 200 and moved.json()["id"] == body["id"]
    assert api.get(f"{URL}{body['id']}/").json()["list"] == "blocked"
    assert api.delete(f"{URL}{body['id']}/").status_code == 204
    with tenant_scope(brand_a.agency_id):
        assert not BrandAuthor.objects.exists()
        verbs = list(AuditEvent.objects.order_by("id").values_list("verb", "data"))
    assert [v for v, _d in verbs] == [
        "moderation.author_listed",
        "moderation.author_listed",
        "moderation.author_unlisted",
    ]
    assert verbs[1][1]["from"] == "vip" and verbs[1][1]["list"] == "blocked"


@pytest.mark.parametrize(
    ("payload", "field", "problem"),
    [
        ({"handle": "salma benali"}, "handle", "without spaces"),
        ({"handle": "@"}, "handle", "without spaces"),
        ({"handle": "x" * 300}, "handle", None),
        ({"list": "friends"}, "list", None),
        ({"network": "myspace"}, "network", None),
        ({"note": "n" * 400}, "note", None),
        ({"brand": 10**9}, "brand", "Choose one of the agency's brands."),
        ({"brand": "x"}, "brand", None),
    ],
)
def test_a_wrong_entry_is_a_400_naming_the_field(
    brand_a, member_of_a, api_as, payload, field, problem
):
    data = {"brand": brand_a.pk, "list": "vip", "network": "facebook", "handle": "salma"}
    response = api_as(member_of_a).post(URL, data | payload, format="json")
    assert response.status_code == 400, response.content
    text = str(response.json())
    assert field in text
    if problem:
        assert problem in text
    with tenant_scope(brand_a.agency_id):
        assert not BrandAuthor.objects.exists()


def test_another_agencys_brand_is_not_one_to_add_to(brand_b, member_of_a, api_as):
    response = api_as(member_of_a).post(
        URL,
        {"brand": brand_b.pk, "list": "blocked", "network": "facebook", "handle": "troll"},
        format="json",
    )
    assert response.status_code == 400 and "brand" in response.json()["error"]["fields"]
    assert not BrandAuthor.unscoped.exists()


def test_the_list_filters_by_brand_and_list(agency_a, brand_a, member_of_a, api_as):
    other = BrandFactory(agency=agency_a)
    vip = BrandAuthorFactory(agency=agency_a, brand=brand_a, list="vip")
    blocked = BrandAuthorFactory(agency=agency_a, brand=brand_a, list="blocked")
    elsewhere = BrandAuthorFactory(agency=agency_a, brand=other, list="vip")
    api = api_as(member_of_a)

    def ids(**params):
        response = api.get(URL, params)
        assert response.status_code == 200, response.content
        return {row["id"] for row in response.json()["results"]}

    assert ids() == {vip.pk, blocked.pk, elsewhere.pk}
    assert ids(brand=brand_a.pk) == {vip.pk, blocked.pk}
    assert ids(brand=brand_a.pk, list="blocked") == {blocked.pk}
    assert ids(list="vip") == {vip.pk, elsewhere.pk}
    assert api.get(URL, {"brand": "x"}).status_code == 400
    assert api.get(URL, {"list": "friends"}).status_code == 400


def test_the_list_is_paginated_in_constant_queries(
    agency_a, brand_a, member_of_a, api_as, django_assert_max_num_queries
):
    api = api_as(member_of_a)
    BrandAuthorFactory(agency=agency_a, brand=brand_a)
    api.get(URL)  # warm the session and the caches
    with django_assert_max_num_queries(99) as one:
        assert len(api.get(URL).json()["results"]) == 1
    BrandAuthorFactory.create_batch(29, agency=agency_a, brand=brand_a)
    with django_assert_max_num_queries(len(one.captured_queries)):
        page = api.get(URL, {"page_size": 20}).json()
    assert len(page["results"]) == 20 and page["next"]
    rest = api.get(page["next"]).json()
    assert len(rest["results"]) == 10 and rest["next"] is None


def test_client_roles_are_refused_and_a_read_key_only_reads(agency_a, brand_a, api_as):
    entry = BrandAuthorFactory(agency=agency_a, brand=brand_a)
    for role in (Role.CLIENT_VIEWER, Role.CLIENT_APPROVER):
        client = MembershipFactory(agency=agency_a, role=role)
        BrandAccessFactory(membership=client, agency=agency_a, brand=brand_a)
        api = api_as(client)
        assert api.get(URL).status_code == 403
        assert api.get(f"{URL}{entry.pk}/").status_code == 403
        assert api.delete(f"{URL}{entry.pk}/").status_code == 403
    reader = api_as(ApiKeyFactory(agency=agency_a, scope="read"))
    assert reader.get(URL).status_code == 200
    assert reader.delete(f"{URL}{entry.pk}/").status_code == 403
    analyst = api_as(MembershipFactory(agency=agency_a, role=Role.ANALYST))
    assert analyst.get(URL).status_code == 200
    refused = analyst.post(
        URL,
        {"brand": brand_a.pk, "list": "vip", "network": "facebook", "handle": "x"},
        format="json",
    )
    assert refused.status_code == 403
    with tenant_scope(agency_a):
        assert BrandAuthor.objects.count() == 1


def test_another_agencys_entry_is_a_404(agency_b, owner_of_a, api_as):
    foreign = BrandAuthorFactory(agency=agency_b)
    api = api_as(owner_of_a)
    assert api.get(f"{URL}{foreign.pk}/").status_code == 404
    assert api.delete(f"{URL}{foreign.pk}/").status_code == 404
    assert api.get(URL).json()["results"] == []
    assert BrandAuthor.unscoped.filter(pk=foreign.pk).exists()
