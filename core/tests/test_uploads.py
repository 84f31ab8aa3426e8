"""The one upload check: pixel budget from the header, full decode, container probes."""

import io
import struct

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from core import containers, uploads
from core.tests import files

pytestmark = pytest.mark.usefixtures("en")


def _file(data: bytes, name="upload.bin") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def test_a_valid_png_is_measured_and_thumbnailed():
    checked = uploads.check_image(
        _file(files.png((800, 600))), rules=uploads.MEDIA_IMAGE_RULES, thumbnail_side=400
    )
    assert (checked.mime, checked.width, checked.height) == ("image/png", 800, 600)
    assert checked.thumbnail.startswith(b"\xff\xd8")  # a JPEG


def test_a_truncated_png_is_refused_as_unreadable():
    with pytest.raises(ValidationError) as refused:
        uploads.check_image(_file(files.truncated_png()), rules=uploads.MEDIA_IMAGE_RULES)
    assert refused.value.error_list[0].code == "unreadable"


def test_a_decompression_bomb_is_refused_from_its_header_without_decoding(monkeypatch):
    # The file holds two rows of pixel data for 12,000: decoding it would fail as "damaged".
    # The refusal names the megapixels, so the budget was checked before any decode.
    bomb = files.png_bomb(with_pixels=False)
    assert len(bomb) < 20_000
    from PIL import ImageFile

    def _no_decode(self, *args, **kwargs):
        raise AssertionError("the image was decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", _no_decode)  # Pillow's, not our code
    for rules in (uploads.MEDIA_IMAGE_RULES, uploads.LOGO_RULES):
        with pytest.raises(ValidationError, match=r"144\.0 megapixels \(12000×12000\)"):
            uploads.check_image(_file(bomb), rules=rules)


def test_an_image_past_pillows_own_error_limit_gets_our_message():
    with pytest.raises(ValidationError, match="more than 36.2 megapixels"):
        uploads.check_image(
            _file(files.png_bomb(15_000, 15_000, with_pixels=False)),
            rules=uploads.MEDIA_IMAGE_RULES,
        )


def test_an_image_under_both_pillow_and_our_side_limits_is_still_bounded_by_pixels():
    # 11,000 × 11,000 is within the side limit of 12,000 and Pillow's warning-only range.
    with pytest.raises(ValidationError, match="megapixels"):
        uploads.check_image(
            _file(files.png_bomb(11_000, 11_000, with_pixels=False)),
            rules=uploads.MEDIA_IMAGE_RULES,
        )


def test_a_real_minimal_mp4_is_accepted():
    assert uploads.check_video(_file(files.minimal_mp4())) == uploads.CheckedVideo(
        "video/mp4", ".mp4", duration_seconds=1.0, width=320, height=240
    )


def test_a_quicktime_brand_is_a_mov():
    checked = uploads.check_video(_file(files.minimal_mp4(major_brand=b"qt  ")))
    assert (checked.mime, checked.extension) == ("video/quicktime", ".mov")


@pytest.mark.parametrize("seed", range(5))
def test_ftyp_followed_by_noise_is_refused(seed):
    with pytest.raises(ValidationError, match="not a valid MP4, MOV or WebM"):
        uploads.check_video(_file(files.fake_mp4(seed)))


@pytest.mark.parametrize(
    ("damage", "reason"),
    [
        (lambda mp4: mp4.replace(b"moov", b"free"), "moov"),
        (lambda mp4: mp4.replace(b"mdat", b"free"), "mdat"),
        (lambda mp4: mp4.replace(b"tkhd", b"xxxx"), "tkhd"),
        (lambda mp4: mp4[:-5], "size"),
        (lambda mp4: mp4 + b"\0\0\0", "trailing"),
        (lambda mp4: mp4.replace(b"ftyp", b"free", 1), "first box"),
    ],
)
def test_a_damaged_mp4_structure_is_refused_with_its_reason(damage, reason):
    data = damage(files.minimal_mp4())
    with pytest.raises(containers.ContainerError, match=reason):
        containers.probe_isobmff(io.BytesIO(data), len(data))


def test_a_box_claiming_more_than_the_file_is_refused():
    data = files.minimal_mp4()
    data = data[:28] + struct.pack(">I", 2**31) + data[32:]  # the moov box's size
    with pytest.raises(containers.ContainerError, match="outside its parent"):
        containers.probe_isobmff(io.BytesIO(data), len(data))


def test_a_webm_is_recognised_and_a_fake_one_refused():
    assert uploads.check_video(_file(files.minimal_webm())).mime == "video/webm"
    with pytest.raises(ValidationError):
        uploads.check_video(_file(b"\x1a\x45\xdf\xa3" + b"\xff" * 100))


def test_a_file_that_claims_no_video_format_is_not_a_video():
    assert uploads.check_video(_file(files.png())) is None


def test_random_names_are_unguessable_and_keep_the_extension():
    names = {uploads.random_name(".png") for _ in range(100)}
    assert len(names) == 100 and all(n.endswith(".png") and len(n) > 20 for n in names)
