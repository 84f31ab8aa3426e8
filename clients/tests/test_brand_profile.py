"""The brand profile through the API and the dashboard: rules, permissions, isolation, cost."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image

from agency.tests.factories import UserFactory
from clients.models import Brand, BrandGuidelines, ClientContact, Competitor, Persona
from clients.tests.factories import (
    BrandFactory,
    ClientContactFactory,
    CompetitorFactory,
    PersonaFactory,
    SocialAccountFactory,
)


def _png(size=(64, 64)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "#1f6feb").save(buffer, format="PNG")
    return buffer.getvalue()


# --- API: guidelines --------------------------------------------------------------------------


def test_guidelines_are_written_and_read_back_normalised(member_of_a, brand_a, api_as):
    client = api_as(member_of_a)
    assert client.get(f"/api/v1/brands/{brand_a.pk}/guidelines/").json()["words_to_use"] == []
    response = client.put(
        f"/api/v1/brands/{brand_a.pk}/guidelines/",
        {
            "tone_of_voice": "Chaleureux, on vouvoie.",
            "words_to_use": ["terroir", " Terroir ", "partage"],
            "hashtag_sets": [{"name": "Ramadan", "hashtags": ["ramadan", "#ftour"]}],
            "signatures": ["— L'équipe Café Tanger"],
        },
        format="json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["words_to_use"] == ["terroir", "partage"]
    assert body["hashtag_sets"] == [{"name": "Ramadan", "hashtags": ["#ramadan", "#ftour"]}]
    assert BrandGuidelines.unscoped.count() == 1


def test_a_hashtag_with_a_space_names_the_field_and_keeps_the_stored_guidelines(
    member_of_a, brand_a, api_as
):
    client = api_as(member_of_a)
    client.put(f"/api/v1/brands/{brand_a.pk}/guidelines/", {"words_to_use": ["ok"]}, format="json")
    response = client.put(
        f"/api/v1/brands/{brand_a.pk}/guidelines/",
        {"words_to_use": ["autre"], "hashtag_sets": [{"name": "X", "hashtags": ["#a b"]}]},
        format="json",
    )
    assert response.status_code == 400
    assert "hashtag_sets" in response.json()["error"]["fields"]
    assert BrandGuidelines.unscoped.get().words_to_use == ["ok"]


def test_an_analyst_can_read_but_not_edit_the_profile(member_factory, agency_a, brand_a, api_as):
    analyst = api_as(member_factory(agency_a, "analyst"))
    assert analyst.get(f"/api/v1/brands/{brand_a.pk}/guidelines/").status_code == 200
    response = analyst.put(
        f"/api/v1/brands/{brand_a.pk}/guidelines/", {"tone_of_voice": "x"}, format="json"
    )
    assert response.status_code == 403


# --- API: personas, competitors, contacts -----------------------------------------------------


def test_a_persona_is_created_for_a_brand_and_listed_by_brand(member_of_a, brand_a, api_as):
    other = BrandFactory(agency=brand_a.agency)
    PersonaFactory(agency=brand_a.agency, brand=other)
    client = api_as(member_of_a)
    response = client.post(
        "/api/v1/personas/",
        {
            "brand": brand_a.pk,
            "name": "Étudiants",
            "language": "ary",
            "age_min": 18,
            "age_max": 25,
            "interests": ["foot", "musique"],
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    listed = client.get(f"/api/v1/personas/?brand={brand_a.pk}").json()["results"]
    assert [p["name"] for p in listed] == ["Étudiants"]


@pytest.mark.parametrize(
    ("path", "payload", "field"),
    [
        ("/api/v1/personas/", {"name": "P", "age_min": 40, "age_max": 20}, "age_max"),
        ("/api/v1/personas/", {"name": "P", "age_min": 5}, "age_min"),
        ("/api/v1/personas/", {"name": "P", "language": "de"}, "language"),
        ("/api/v1/competitors/", {"name": "R", "handles": {"myspace": "@r"}}, "handles"),
        ("/api/v1/client-contacts/", {"name": "C", "email": "not-an-email"}, "email"),
        ("/api/v1/client-contacts/", {"name": "C", "email": "c@x.test", "phone": "abc"}, "phone"),
    ],
)
def test_bad_profile_input_names_the_field_and_stores_nothing(
    member_of_a, brand_a, api_as, path, payload, field
):
    response = api_as(member_of_a).post(path, {"brand": brand_a.pk, **payload}, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()["error"]["fields"], response.json()
    assert not (
        Persona.unscoped.exists() or Competitor.unscoped.exists() or ClientContact.unscoped.exists()
    )


def test_a_duplicate_competitor_name_is_refused_on_the_name(member_of_a, brand_a, api_as):
    CompetitorFactory(agency=brand_a.agency, brand=brand_a, name="Café Rival")
    response = api_as(member_of_a).post(
        "/api/v1/competitors/", {"brand": brand_a.pk, "name": "café rival"}, format="json"
    )
    assert response.status_code == 400
    assert (
        "Café Rival" in response.json()["error"]["fields"]["name"][0]
        or "café rival" in (response.json()["error"]["fields"]["name"][0])
    )
    assert Competitor.unscoped.count() == 1


def test_the_same_competitor_may_be_watched_for_two_brands(member_of_a, brand_a, api_as):
    other = BrandFactory(agency=brand_a.agency)
    CompetitorFactory(agency=brand_a.agency, brand=other, name="Café Rival")
    response = api_as(member_of_a).post(
        "/api/v1/competitors/", {"brand": brand_a.pk, "name": "Café Rival"}, format="json"
    )
    assert response.status_code == 201


def test_a_profile_row_cannot_be_created_on_another_agencys_brand(member_of_a, brand_b, api_as):
    response = api_as(member_of_a).post(
        "/api/v1/personas/", {"brand": brand_b.pk, "name": "P"}, format="json"
    )
    assert response.status_code == 400
    assert "brand" in response.json()["error"]["fields"]
    assert not Persona.unscoped.exists()


def test_a_client_sees_only_the_profile_of_their_brands(client_of_a, brand_a, api_as):
    other = BrandFactory(agency=brand_a.agency)
    mine = PersonaFactory(agency=brand_a.agency, brand=brand_a)
    hidden = PersonaFactory(agency=brand_a.agency, brand=other)
    hidden_account = SocialAccountFactory(agency=brand_a.agency, brand=other)
    client = api_as(client_of_a)
    assert [p["id"] for p in client.get("/api/v1/personas/").json()["results"]] == [mine.pk]
    assert client.get(f"/api/v1/personas/{hidden.pk}/").status_code == 404
    assert client.get(f"/api/v1/social-accounts/{hidden_account.pk}/").status_code == 404
    assert client.get(f"/api/v1/brands/{other.pk}/guidelines/").status_code == 404


def test_a_persona_is_updated_and_deleted(member_of_a, brand_a, api_as):
    persona = PersonaFactory(agency=brand_a.agency, brand=brand_a, age_min=18, age_max=30)
    client = api_as(member_of_a)
    bad = client.patch(f"/api/v1/personas/{persona.pk}/", {"age_min": 40}, format="json")
    assert bad.status_code == 400 and "age_max" in bad.json()["error"]["fields"]
    persona.refresh_from_db()
    assert persona.age_min == 18
    assert (
        client.patch(f"/api/v1/personas/{persona.pk}/", {"age_max": 45}, format="json").json()[
            "age_max"
        ]
        == 45
    )
    assert client.delete(f"/api/v1/personas/{persona.pk}/").status_code == 204
    assert not Persona.unscoped.exists()


# --- Logo -------------------------------------------------------------------------------------


def test_a_logo_is_uploaded_through_the_api(member_of_a, brand_a, api_as, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    response = api_as(member_of_a).put(
        f"/api/v1/brands/{brand_a.pk}/logo/",
        {"logo": SimpleUploadedFile("logo.png", _png(), content_type="image/png")},
        format="multipart",
    )
    assert response.status_code == 200, response.content
    assert "brand-logos/" in response.json()["logo"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"%PDF-1.4 not an image", "not an image"),
        (b"\x89PNG" + b"0" * (2 * 1024 * 1024 + 10), "limit is 2 MB"),
    ],
)
def test_a_bad_logo_is_refused_with_the_reason_and_the_old_logo_kept(
    member_of_a, brand_a, api_as, settings, tmp_path, content, message
):
    settings.MEDIA_ROOT = tmp_path
    client = api_as(member_of_a)
    client.put(
        f"/api/v1/brands/{brand_a.pk}/logo/",
        {"logo": SimpleUploadedFile("ok.png", _png())},
        format="multipart",
    )
    before = Brand.unscoped.get(pk=brand_a.pk).logo.name
    response = client.put(
        f"/api/v1/brands/{brand_a.pk}/logo/",
        {"logo": SimpleUploadedFile("bad.png", content)},
        format="multipart",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert message in response.json()["error"]["fields"]["logo"][0]
    assert Brand.unscoped.get(pk=brand_a.pk).logo.name == before


# --- Dashboard --------------------------------------------------------------------------------


@pytest.mark.parametrize("tab", ["guidelines", "audiences", "competitors", "contacts", "accounts"])
def test_every_tab_of_the_brand_page_shows_its_empty_state(member_of_a, brand_a, en_login, tab):
    response = en_login(member_of_a).get(f"/brands/{brand_a.pk}/?tab={tab}")
    assert response.status_code == 200
    assert "yet" in response.content.decode()


def test_a_client_sees_their_brand_page_without_edit_buttons(client_of_a, brand_a, en_login):
    PersonaFactory(agency=brand_a.agency, brand=brand_a, name="Familles")
    page = en_login(client_of_a).get(f"/brands/{brand_a.pk}/?tab=audiences").content.decode()
    assert "Familles" in page and "Add an audience" not in page


def test_a_client_cannot_open_another_brand_of_the_agency(client_of_a, agency_a, en_login):
    other = BrandFactory(agency=agency_a)
    assert en_login(client_of_a).get(f"/brands/{other.pk}/").status_code == 404


def test_the_persona_form_names_the_reversed_age_range(member_of_a, brand_a, en_login):
    response = en_login(member_of_a).post(
        f"/brands/{brand_a.pk}/audiences/new/",
        {"name": "Seniors", "language": "fr", "age_min": "60", "age_max": "40"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["age_max"]
    assert not Persona.unscoped.exists()


def test_the_competitor_form_saves_handles_per_network(member_of_a, brand_a, en_login):
    response = en_login(member_of_a).post(
        f"/brands/{brand_a.pk}/competitors/new/",
        {"name": "Rival", "handle_instagram": "@rival", "handle_x": "", "keywords": "rival, café"},
    )
    assert response.status_code == 302
    competitor = Competitor.unscoped.get()
    assert competitor.handles == {"instagram": "@rival"}
    assert competitor.keywords == ["rival", "café"]


def test_the_duplicate_contact_email_is_shown_on_the_email_field(member_of_a, brand_a, en_login):
    ClientContactFactory(agency=brand_a.agency, brand=brand_a, email="nadia@client.test")
    response = en_login(member_of_a).post(
        f"/brands/{brand_a.pk}/contacts/new/", {"name": "Nadia", "email": "NADIA@client.test"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["email"]
    assert ClientContact.unscoped.count() == 1


def test_the_guidelines_form_reads_hashtag_sets_line_by_line(member_of_a, brand_a, en_login):
    response = en_login(member_of_a).post(
        f"/brands/{brand_a.pk}/guidelines/",
        {
            "tone_of_voice": "Direct",
            "words_to_use": "terroir\npartage",
            "hashtag_sets": "Ramadan: #ramadan ftour\nÉté: #plage",
            "signatures": "— L'équipe",
        },
    )
    assert response.status_code == 302
    guidelines = BrandGuidelines.unscoped.get()
    assert guidelines.hashtag_sets == [
        {"name": "Ramadan", "hashtags": ["#ramadan", "#ftour"]},
        {"name": "Été", "hashtags": ["#plage"]},
    ]


def test_a_non_image_logo_is_refused_on_the_dashboard(
    member_of_a, brand_a, en_login, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    response = en_login(member_of_a).post(
        f"/brands/{brand_a.pk}/logo/",
        {"logo": SimpleUploadedFile("logo.png", b"GIF89 nope")},
        follow=True,
    )
    assert "not an image" in response.content.decode()
    assert not Brand.unscoped.get(pk=brand_a.pk).logo


# --- Cost: no query per row -------------------------------------------------------------------


def _fill(brand, n):
    for _ in range(n):
        PersonaFactory(agency=brand.agency, brand=brand)
        CompetitorFactory(agency=brand.agency, brand=brand)
        ClientContactFactory(agency=brand.agency, brand=brand)
        SocialAccountFactory(agency=brand.agency, brand=brand, connected_by=UserFactory())


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/personas/",
        "/api/v1/competitors/",
        "/api/v1/client-contacts/",
        "/api/v1/social-accounts/",
    ],
)
def test_profile_list_endpoints_cost_the_same_for_3_or_30_rows(owner_of_a, brand_a, api_as, path):
    client = api_as(owner_of_a)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(path + "?page_size=100").status_code == 200
        return len(ctx)

    _fill(brand_a, 3)
    few = count()
    _fill(brand_a, 27)
    assert count() == few


@pytest.mark.parametrize("tab", ["audiences", "competitors", "contacts", "accounts"])
def test_brand_page_tabs_cost_the_same_for_3_or_30_rows(owner_of_a, brand_a, en_login, tab):
    client = en_login(owner_of_a)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(f"/brands/{brand_a.pk}/?tab={tab}").status_code == 200
        return len(ctx)

    count()  # warm-up: the dashboard's health banner reads /health/'s report every 10 s
    _fill(brand_a, 3)
    few = count()
    _fill(brand_a, 27)
    assert count() == few
