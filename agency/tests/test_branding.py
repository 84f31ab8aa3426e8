"""The agency's branding: colours legible under white text, a report font among the installed
families, a portal domain that is a host name nobody else has, edited by owners and admins only,
audited, and read through agency.branding.branding_for."""

import dataclasses

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from agency.branding import Branding, branding_for
from agency.models import Agency, AuditEvent
from agency.services.agencies import agency_update
from core.colours import contrast_with_white
from core.tests import files


def _form(agency, **changes):
    data = {
        "name": agency.name,
        "time_zone": agency.time_zone,
        "language": agency.language,
        "primary_colour": agency.primary_colour,
        "accent_colour": agency.accent_colour,
        "report_font": agency.report_font,
        "portal_domain": agency.portal_domain,
    }
    data.update(changes)
    return data


def _post(client, agency, **changes):
    return client.post(
        reverse("dashboard:settings_agency"), _form(agency, **changes), HTTP_ACCEPT_LANGUAGE="en"
    )


def test_white_on_black_is_21_to_1_and_white_on_white_is_1_to_1():
    assert contrast_with_white("#000000") == pytest.approx(21.0)
    assert contrast_with_white("#ffffff") == pytest.approx(1.0)


def test_owner_sets_the_branding_and_it_is_audited_with_the_fields_changed(owner_of_a, login):
    response = _post(
        login(owner_of_a),
        owner_of_a.agency,
        primary_colour="#0b3d91",
        accent_colour="#8b1e3f",
        white_label="on",
        report_font="Noto Serif",
        portal_domain="Portal.Atlas-Digital.ma.",
    )
    assert response.status_code == 302
    agency = Agency.objects.get(pk=owner_of_a.agency_id)
    assert (agency.primary_colour, agency.accent_colour) == ("#0b3d91", "#8b1e3f")
    assert agency.white_label is True
    assert agency.report_font == "Noto Serif"
    assert agency.portal_domain == "portal.atlas-digital.ma"  # one stored form
    event = AuditEvent.unscoped.get(agency=agency, verb="agency.updated")
    assert set(event.data["fields"]) >= {
        "primary_colour",
        "accent_colour",
        "white_label",
        "report_font",
        "portal_domain",
    }


@pytest.mark.parametrize("field", ["primary_colour", "accent_colour"])
def test_a_colour_too_light_for_white_text_is_refused_with_its_contrast(owner_of_a, login, field):
    response = _post(login(owner_of_a), owner_of_a.agency, **{field: "#ffd43b"})
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors[field])
    assert "contrast of 1.4:1" in errors and "4.5:1" in errors
    assert getattr(Agency.objects.get(pk=owner_of_a.agency_id), field) != "#ffd43b"


def test_a_colour_not_written_as_rrggbb_is_refused_on_its_field(owner_of_a, login):
    response = _post(login(owner_of_a), owner_of_a.agency, accent_colour="navy")
    assert response.context["form"].errors["accent_colour"]


def test_a_report_font_that_is_not_installed_is_refused(owner_of_a, login):
    response = _post(login(owner_of_a), owner_of_a.agency, report_font="Comic Sans MS")
    assert response.context["form"].errors["report_font"]
    assert Agency.objects.get(pk=owner_of_a.agency_id).report_font == "Noto Sans"


@pytest.mark.parametrize(
    ("domain", "reason"),
    [
        ("https://portal.example.com/", "without https://"),
        ("portal.example.com:8443", "without a port"),
        ("localhost", "full domain name"),
        ("portal_atlas.example.com", "only letters, digits, hyphens"),
        ("-portal.example.com", "only letters, digits, hyphens"),
        ("10.0.0.7", "not an IP address"),
        ("a" * 64 + ".example.com", "only letters, digits, hyphens"),
    ],
)
def test_a_portal_domain_that_is_not_a_host_name_is_refused_naming_why(
    owner_of_a, login, domain, reason
):
    response = _post(login(owner_of_a), owner_of_a.agency, portal_domain=domain)
    assert response.status_code == 200
    assert reason in " ".join(response.context["form"].errors["portal_domain"])
    assert Agency.objects.get(pk=owner_of_a.agency_id).portal_domain == ""


def test_another_agencys_portal_domain_is_refused(owner_of_a, agency_b, login):
    Agency.objects.filter(pk=agency_b.pk).update(portal_domain="portal.bahia.ma")
    response = _post(login(owner_of_a), owner_of_a.agency, portal_domain="PORTAL.bahia.ma")
    assert "Another agency already uses" in " ".join(
        response.context["form"].errors["portal_domain"]
    )


def test_the_products_own_address_cannot_become_a_portal_domain(owner_of_a, login, settings):
    settings.PRODUCT_HOSTS = ["app.agency-social.ma", ".agency-social.ma"]
    response = _post(login(owner_of_a), owner_of_a.agency, portal_domain="eu.agency-social.ma")
    assert "product's own address" in " ".join(response.context["form"].errors["portal_domain"])


def test_two_agencies_without_a_portal_domain_are_no_collision(owner_of_a, owner_of_b):
    agency_update(actor=owner_of_a, agency=owner_of_a.agency, portal_domain="")
    agency_update(actor=owner_of_b, agency=owner_of_b.agency, portal_domain="")


def test_a_manager_cannot_change_the_branding(member_factory, agency_a, login):
    manager = member_factory(agency_a, "manager")
    response = _post(login(manager), agency_a, primary_colour="#000000")
    assert response.status_code == 403
    assert Agency.objects.get(pk=agency_a.pk).primary_colour == "#1f6feb"


def test_the_api_refuses_a_light_accent_colour_on_its_field(api_as, admin_of_a):
    response = api_as(admin_of_a).patch(
        "/api/v1/agency/", {"accent_colour": "#fafafa"}, format="json"
    )
    assert response.status_code == 400
    assert "accent_colour" in response.json()["error"]["fields"]


def test_the_service_refuses_a_light_colour_even_without_the_form(owner_of_a):
    with pytest.raises(ValidationError) as caught:
        agency_update(actor=owner_of_a, agency=owner_of_a.agency, primary_colour="#eeeeee")
    assert "primary_colour" in caught.value.message_dict


def test_branding_for_gives_the_agencys_branding_frozen(owner_of_a, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    agency = owner_of_a.agency
    bare = branding_for(agency)
    assert bare == Branding(
        name="Atlas Digital",
        logo_url=None,
        primary="#1f6feb",
        accent="#0f766e",
        white_label=False,
        font_family="Noto Sans",
        portal_domain="",
    )
    assert bare.shown_by == "Agency Social"
    with pytest.raises(dataclasses.FrozenInstanceError):
        bare.name = "Other"  # type: ignore[misc]
    from django.core.files.uploadedfile import SimpleUploadedFile

    agency_update(
        actor=owner_of_a,
        agency=agency,
        logo=SimpleUploadedFile("l.png", files.png(), content_type="image/png"),
        white_label=True,
    )
    branded = branding_for(Agency.objects.get(pk=agency.pk))
    assert branded.logo_url and branded.logo_url.startswith("/media/agency-logos/")
    assert branded.white_label and branded.shown_by is None
