"""Media URLs given in a CSV import are the user's: an address on the platform's own network
is refused on its row, and the download at publishing time goes through the outbound guard."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from campaigns.services.imports import post_import_preview

pytestmark = pytest.mark.usefixtures("en")


def _csv(media_url: str) -> bytes:
    out = io.StringIO()
    out.write("text,accounts,time,media_url,first_comment,campaign\n")
    out.write(f'"Ftour ce soir",cafe-tanger,2030-03-03 18:30,"{media_url}",,\n')
    return out.getvalue().encode()


@pytest.mark.parametrize(
    "media_url",
    [
        "http://169.254.169.254/latest/meta-data/iam/",
        "http://127.1/photo.jpg",
        "http://0x7f000001/photo.jpg",
        "http://[fd00::1]/photo.jpg",
        "http://localhost./photo.jpg",
        "http://metadata.google.internal/photo.jpg",
    ],
)
def test_a_media_url_on_an_internal_address_is_refused_on_its_row(
    media_url, member_of_a, brand_a, accounts_a, in_agency
):
    with in_agency(brand_a.agency_id):
        preview = post_import_preview(
            actor=member_of_a,
            brand=brand_a,
            upload=SimpleUploadedFile("posts.csv", _csv(media_url)),
        )
    [row] = preview.error_rows
    assert "media_url" in " ".join(row["errors"])
    assert "private or internal network" in " ".join(row["errors"])


def test_a_public_media_url_is_accepted(member_of_a, brand_a, accounts_a, in_agency, settings):
    settings.OUTBOUND_RESOLVER = lambda host, port: ["93.184.215.14"]
    with in_agency(brand_a.agency_id):
        preview = post_import_preview(
            actor=member_of_a,
            brand=brand_a,
            upload=SimpleUploadedFile("posts.csv", _csv("https://cdn.cafe-tanger.ma/ftour.jpg")),
        )
    assert preview.error_rows == []


def test_the_adapters_download_media_with_the_configured_policy(settings):
    from clients.adapters import build_adapter

    assert build_adapter("mastodon").outbound.allow_private is False
    settings.OUTBOUND_ALLOW_PRIVATE_ADDRESSES = True
    assert build_adapter("mastodon").outbound.allow_private is True
