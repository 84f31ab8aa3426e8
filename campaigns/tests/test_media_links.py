"""The signed public address of a media-library file: what the networks that fetch a post's
media themselves (Instagram, Threads, Google Business Profile...) are given."""

import io
import time
from urllib.parse import urlsplit

import pytest
from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from campaigns.media_links import MEDIA_LINK_SALT, media_public_url
from campaigns.services.media import media_asset_upload
from campaigns.tests.factories import PostFactory, PostVariantFactory
from clients.tests.factories import SocialAccountFactory


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.SITE_URL = "https://app.agence.ma"


@pytest.fixture
def photo(member_of_a, brand_a, in_agency):
    out = io.BytesIO()
    Image.new("RGB", (800, 600), (200, 120, 40)).save(out, "JPEG")
    upload = SimpleUploadedFile("Ftour du vendredi.jpg", out.getvalue(), content_type="image/jpeg")
    with in_agency(brand_a.agency_id):
        return media_asset_upload(actor=member_of_a, brand=brand_a, upload=upload)


def _path(url: str) -> str:
    return urlsplit(url).path


def test_a_post_sent_to_instagram_carries_a_public_address_of_its_library_image(
    client, agency_a, brand_a, photo, in_agency
):
    from campaigns.composer import variant_content

    account = SocialAccountFactory(agency=agency_a, brand=brand_a, network="instagram")
    post = PostFactory(agency=agency_a, brand=brand_a, text="Ftour", media_ids=[photo.pk])
    variant = PostVariantFactory(agency=agency_a, post=post, social_account=account)
    with in_agency(agency_a.pk):
        (item,) = variant_content(variant).media
    assert item.url.startswith("https://app.agence.ma/m/")
    assert item.url.endswith("/ftour-du-vendredi.jpg")
    response = client.get(_path(item.url))  # no one signed in: the networks cannot
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    with in_agency(agency_a.pk):
        assert b"".join(response.streaming_content) == photo.file.open("rb").read()


def test_the_address_opens_only_the_file_it_was_signed_for(client, photo, in_agency):
    with in_agency(photo.agency_id):
        url = media_public_url(photo)
    token = _path(url).split("/")[2]
    other_file = signing.dumps({"m": photo.pk + 1, "a": photo.agency_id}, salt=MEDIA_LINK_SALT)
    other_agency = signing.dumps({"m": photo.pk, "a": photo.agency_id + 1}, salt=MEDIA_LINK_SALT)
    other_salt = signing.dumps({"m": photo.pk, "a": photo.agency_id}, salt="reports.run-link")
    for forged in (token[:-2] + "xx", other_file, other_agency, other_salt):
        assert client.get(f"/m/{forged}/photo.jpg").status_code == 404


def test_an_address_older_than_media_link_hours_has_expired(client, photo, settings):
    settings.MEDIA_LINK_HOURS = 72

    class SignedLongAgo(signing.TimestampSigner):
        def timestamp(self):
            return signing.b62_encode(int(time.time()) - 73 * 3600)

    old = SignedLongAgo(salt=MEDIA_LINK_SALT).sign_object({"m": photo.pk, "a": photo.agency_id})
    assert client.get(f"/m/{old}/photo.jpg").status_code == 410
