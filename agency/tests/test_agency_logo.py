"""Agency logos pass the one upload check (core.uploads) and get random storage names."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from agency.models import Agency
from core.tests import files


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _post(client, agency, data: bytes, name="logo.png"):
    return client.post(
        reverse("dashboard:settings_agency"),
        {
            "name": agency.name,
            "time_zone": agency.time_zone,
            "language": agency.language,
            "primary_colour": agency.primary_colour,
            "logo": SimpleUploadedFile(name, data, content_type="image/png"),
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        # Django's ImageField already refuses this one, in its own words; either way, a reason.
        (files.truncated_png((300, 300)), "image"),
        (files.png_bomb(), "144.0 megapixels"),
    ],
    ids=["truncated", "144-megapixels"],
)
def test_a_damaged_or_oversized_agency_logo_is_a_field_error_and_nothing_is_stored(
    owner_of_a, login, tmp_path, data, reason
):
    response = _post(login(owner_of_a), owner_of_a.agency, data)
    assert response.status_code == 200
    assert reason in " ".join(response.context["form"].errors["logo"])
    assert not Agency.objects.get(pk=owner_of_a.agency_id).logo
    assert not [p for p in tmp_path.rglob("*") if p.is_file()]


def test_an_agency_logo_gets_a_random_name_and_the_replaced_one_is_removed(
    owner_of_a, login, tmp_path, django_capture_on_commit_callbacks
):
    client = login(owner_of_a)
    assert _post(client, owner_of_a.agency, files.png(), name="atlas.png").status_code == 302
    first = Agency.objects.get(pk=owner_of_a.agency_id).logo.name
    assert first.startswith("agency-logos/") and "atlas" not in first
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(client, owner_of_a.agency, files.png(), name="atlas.png")
    assert response.status_code == 302
    second = Agency.objects.get(pk=owner_of_a.agency_id).logo.name
    assert second != first
    assert [p.name for p in tmp_path.rglob("*") if p.is_file()] == [second.rsplit("/", 1)[-1]]
