"""The media library: what a file really is decides, not its name; safe names; thumbnails."""

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from campaigns.models import MediaAsset
from campaigns.services.media import media_asset_delete, media_asset_upload
from campaigns.tests.factories import MediaAssetFactory, PostFactory
from core.tests import files

pytestmark = pytest.mark.usefixtures("en")


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _image(fmt="JPEG", size=(800, 600), name="photo.jpg") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 120, 40)).save(out, fmt)
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def _upload(member, brand, upload, in_agency, alt_text=""):
    with in_agency(brand.agency_id):
        return media_asset_upload(actor=member, brand=brand, upload=upload, alt_text=alt_text)


def test_an_image_is_verified_measured_thumbnailed_and_stored_under_a_random_name(
    member_of_a, brand_a, in_agency
):
    asset = _upload(
        member_of_a,
        brand_a,
        _image(name="../../etc/passwd.jpg"),
        in_agency,
        alt_text="Un thé à la menthe",
    )
    assert (asset.kind, asset.mime_type, asset.width, asset.height) == (
        "image",
        "image/jpeg",
        800,
        600,
    )
    assert asset.original_name == "passwd.jpg"
    assert asset.file.name.startswith(f"media/{brand_a.agency_id}/{brand_a.pk}/")
    assert asset.file.name.endswith(".jpg") and "passwd" not in asset.file.name
    with Image.open(asset.thumbnail.path) as thumb:
        assert max(thumb.size) == 400


def test_the_declared_type_and_name_do_not_matter_only_the_bytes(member_of_a, brand_a, in_agency):
    asset = _upload(member_of_a, brand_a, _image("PNG", name="photo.jpg"), in_agency)
    assert asset.mime_type == "image/png" and asset.file.name.endswith(".png")


def test_a_text_file_named_like_an_image_is_refused_with_the_reason(
    member_of_a, brand_a, in_agency
):
    fake = SimpleUploadedFile("photo.png", b"<script>alert(1)</script>", content_type="image/png")
    with pytest.raises(ValidationError) as refused:
        _upload(member_of_a, brand_a, fake, in_agency)
    assert "Upload JPEG, PNG, WebP or GIF images, or MP4, MOV or WebM videos" in str(refused.value)
    assert not MediaAsset.unscoped.exists()


def test_a_truncated_image_is_refused(member_of_a, brand_a, in_agency):
    data = _image().read()[:200]
    with pytest.raises(ValidationError):
        _upload(member_of_a, brand_a, SimpleUploadedFile("x.jpg", data), in_agency)


def test_tiny_images_are_refused_by_dimension(member_of_a, brand_a, in_agency):
    with pytest.raises(ValidationError, match="between 32 and 12000 pixels"):
        _upload(member_of_a, brand_a, _image(size=(10, 10)), in_agency)


def test_an_mp4_video_is_recognised_by_its_structure(member_of_a, brand_a, in_agency):
    data = files.minimal_mp4()
    asset = _upload(member_of_a, brand_a, SimpleUploadedFile("clip.bin", data), in_agency)
    assert (asset.kind, asset.mime_type, asset.extension) == ("video", "video/mp4", ".mp4")
    assert not asset.thumbnail


def test_a_video_keeps_its_duration_and_size_for_the_networks_rules(
    member_of_a, brand_a, in_agency
):
    from campaigns.composer.media import media_item

    data = files.minimal_mp4(timescale=600, duration=54_300, width=1920, height=1080, rotated=True)
    asset = _upload(member_of_a, brand_a, SimpleUploadedFile("phone.mov", data), in_agency)
    asset.refresh_from_db()
    # 54,300 / 600 = 90.5 s; a phone's portrait video: stored 1920×1080, shown 1080×1920.
    assert (asset.duration_seconds, asset.width, asset.height) == (90.5, 1080, 1920)
    item = media_item(asset)
    assert (item.duration_seconds, item.width, item.height) == (90.5, 1080, 1920)


def test_a_video_whose_length_cannot_be_read_is_stored_without_one(member_of_a, brand_a, in_agency):
    data = files.minimal_mp4(duration=0)  # a header that gives no length
    asset = _upload(member_of_a, brand_a, SimpleUploadedFile("clip.mp4", data), in_agency)
    assert asset.kind == "video" and asset.duration_seconds is None


def _stored_files(root) -> list:
    return [p for p in root.rglob("*") if p.is_file()]


def test_ftyp_and_noise_is_not_accepted_as_an_mp4(member_of_a, brand_a, in_agency, tmp_path):
    fake = SimpleUploadedFile("clip.mp4", files.fake_mp4(), content_type="video/mp4")
    with pytest.raises(ValidationError, match="not a valid MP4, MOV or WebM"):
        _upload(member_of_a, brand_a, fake, in_agency)
    assert not MediaAsset.unscoped.exists() and not _stored_files(tmp_path)


def test_a_truncated_png_is_a_form_error_and_leaves_no_file(
    member_of_a, brand_a, en_login, tmp_path
):
    response = en_login(member_of_a).post(
        reverse("campaigns:media_library"),
        {"brand": brand_a.pk, "file": SimpleUploadedFile("cut.png", files.truncated_png())},
    )
    assert response.status_code == 200
    assert "This file is not an image or video we accept." in response.content.decode()
    assert not MediaAsset.unscoped.exists()
    assert not _stored_files(tmp_path)


def test_a_decompression_bomb_is_refused_with_its_size_and_leaves_no_file(
    member_of_a, brand_a, en_login, tmp_path
):
    bomb = SimpleUploadedFile("bomb.png", files.png_bomb())  # 12,000 × 12,000, a few KB
    response = en_login(member_of_a).post(
        reverse("campaigns:media_library"), {"brand": brand_a.pk, "file": bomb}
    )
    assert response.status_code == 200
    assert "144.0 megapixels" in response.content.decode()
    assert not MediaAsset.unscoped.exists() and not _stored_files(tmp_path)


def test_a_client_cannot_upload(client_of_a, brand_a, in_agency):
    with pytest.raises(PermissionDenied):
        _upload(client_of_a, brand_a, _image(), in_agency)


def test_media_used_by_a_planned_post_cannot_be_deleted(agency_a, brand_a, member_of_a, in_agency):
    asset = MediaAssetFactory(agency=agency_a, brand=brand_a)
    PostFactory(agency=agency_a, brand=brand_a, media_ids=[asset.pk])
    with in_agency(agency_a), pytest.raises(ValidationError, match="used by 1 post"):
        media_asset_delete(actor=member_of_a, media_asset=asset)


def test_the_library_page_uploads_and_lists(member_of_a, brand_a, en_login):
    client = en_login(member_of_a)
    response = client.post(
        reverse("campaigns:media_library"),
        {"brand": brand_a.pk, "file": _image(), "alt_text": "Terrasse"},
    )
    assert response.status_code == 302
    assert "photo.jpg" in client.get(reverse("campaigns:media_library")).content.decode()


def test_the_library_page_shows_why_a_file_is_refused(member_of_a, brand_a, en_login):
    response = en_login(member_of_a).post(
        reverse("campaigns:media_library"),
        {"brand": brand_a.pk, "file": SimpleUploadedFile("doc.pdf", b"%PDF-1.7 ...")},
    )
    assert response.status_code == 200
    assert "This file is not an image or video we accept." in response.content.decode()


def test_media_counts_in_the_networks_rules(agency_a, brand_a, member_of_a, in_agency):
    from campaigns.composer import Composition, check_composition
    from clients.tests.factories import SocialAccountFactory

    bluesky = SocialAccountFactory(agency=agency_a, brand=brand_a, network="bluesky")
    assets = [MediaAssetFactory(agency=agency_a, brand=brand_a) for _ in range(5)]
    with in_agency(agency_a):
        checks = check_composition(
            Composition(brand=brand_a, text="Photos", media=assets, accounts=[bluesky])
        )
    assert checks[0].errors == ["Bluesky allows 4 media per post; this post has 5."]


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (files.truncated_png(), "This file is not an image or video we accept."),
        (files.png_bomb(), "144.0 megapixels"),
        (files.fake_mp4(), "not a valid MP4, MOV or WebM"),
    ],
    ids=["truncated-png", "bomb", "fake-mp4"],
)
def test_the_api_refuses_hostile_media_with_a_field_error(
    member_of_a, brand_a, api_as, tmp_path, data, reason
):
    response = api_as(member_of_a).post(
        "/api/v1/media/",
        {"brand": brand_a.pk, "file": SimpleUploadedFile("upload.bin", data)},
        format="multipart",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400, response.content
    assert reason in response.json()["error"]["fields"]["file"][0]
    assert not MediaAsset.unscoped.exists() and not _stored_files(tmp_path)


def test_the_api_accepts_a_real_minimal_mp4(member_of_a, brand_a, api_as):
    response = api_as(member_of_a).post(
        "/api/v1/media/",
        {"brand": brand_a.pk, "file": SimpleUploadedFile("clip.mp4", files.minimal_mp4())},
        format="multipart",
    )
    assert response.status_code == 201, response.content
    assert response.json()["mime_type"] == "video/mp4"
    assert response.json()["duration_seconds"] == 1.0
