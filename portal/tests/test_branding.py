"""The portal is drawn in the agency's branding: its name, logo and colours; the product's
name only when the agency is not white-labelled."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from agency.models import Agency
from agency.services.agencies import agency_update
from core.tests import files


def test_the_portal_wears_the_agencys_name_colours_and_logo(
    client_of_a, owner_of_a, login, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    agency_update(
        actor=owner_of_a,
        agency=owner_of_a.agency,
        primary_colour="#0b3d91",
        accent_colour="#8b1e3f",
        logo=SimpleUploadedFile("l.png", files.png(), content_type="image/png"),
    )
    logo = Agency.objects.get(pk=owner_of_a.agency_id).logo
    client = login(client_of_a)
    body = client.get(reverse("portal:home")).content.decode()
    assert "--portal-primary: #0b3d91" in body and "--portal-accent: #8b1e3f" in body
    assert f'src="{logo.url}"' in body
    assert "<title>" in body and "· Atlas Digital</title>" in body
    # The client may read the logo file itself (the media view lets members see their agency's).
    assert client.get(logo.url).status_code == 200


def test_the_products_name_shows_unless_the_agency_is_white_labelled(
    client_of_a, owner_of_a, login
):
    client = login(client_of_a)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    assert "powered by Agency Social" in client.get(reverse("portal:home")).content.decode()
    agency_update(actor=owner_of_a, agency=owner_of_a.agency, white_label=True)
    body = client.get(reverse("portal:home")).content.decode()
    assert "Agency Social" not in body


def test_an_agency_without_a_logo_shows_its_name(client_of_a, login):
    body = login(client_of_a).get(reverse("portal:home")).content.decode()
    assert 'class="portal-logo"' not in body
    assert "Atlas Digital" in body
