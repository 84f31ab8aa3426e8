"""Brand logos pass the one upload check (core.uploads): damaged files and decompression bombs
are refused with the reason, nothing is stored for them, and stored logos get random names."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from clients.models import Brand
from core.tests import files


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _stored(root) -> list:
    return [p for p in root.rglob("*") if p.is_file()]


def _put(client, brand, data: bytes, name="logo.png"):
    return client.put(
        f"/api/v1/brands/{brand.pk}/logo/",
        {"logo": SimpleUploadedFile(name, data, content_type="image/png")},
        format="multipart",
        HTTP_ACCEPT_LANGUAGE="en",
    )


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (files.truncated_png((300, 300)), "not an image that can be read"),
        (files.png_bomb(), "144.0 megapixels"),
    ],
    ids=["truncated", "144-megapixels"],
)
def test_a_damaged_or_oversized_logo_is_refused_and_nothing_is_stored(
    member_of_a, brand_a, api_as, tmp_path, data, reason
):
    response = _put(api_as(member_of_a), brand_a, data)
    assert response.status_code == 400
    assert reason in response.json()["error"]["fields"]["logo"][0]
    assert not Brand.unscoped.get(pk=brand_a.pk).logo
    assert not _stored(tmp_path)


def test_a_truncated_logo_is_a_message_on_the_dashboard(member_of_a, brand_a, en_login, tmp_path):
    response = en_login(member_of_a).post(
        f"/brands/{brand_a.pk}/logo/",
        {"logo": SimpleUploadedFile("logo.png", files.truncated_png((300, 300)))},
        follow=True,
    )
    assert "not an image that can be read" in response.content.decode()
    assert not _stored(tmp_path)


def test_a_logo_is_stored_under_a_random_name_not_the_uploaders(
    member_of_a, brand_a, api_as, tmp_path, django_capture_on_commit_callbacks
):
    client = api_as(member_of_a)
    assert _put(client, brand_a, files.png(), name="cafe-tanger-logo.png").status_code == 200
    first = Brand.unscoped.get(pk=brand_a.pk).logo.name
    assert first.startswith("brand-logos/") and first.endswith(".png")
    assert "cafe-tanger" not in first and len(first.rsplit("/", 1)[-1]) >= 24
    with django_capture_on_commit_callbacks(execute=True):
        response = _put(client, brand_a, files.png(), name="cafe-tanger-logo.png")
    assert response.status_code == 200
    second = Brand.unscoped.get(pk=brand_a.pk).logo.name
    assert second != first
    assert [p.name for p in _stored(tmp_path)] == [second.rsplit("/", 1)[-1]]  # old one removed
