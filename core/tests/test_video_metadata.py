"""Reading a video's length and size from its headers (hachoir), never failing on a bad file."""

import io

import pytest

from core.tests import files
from core.video_metadata import UNKNOWN, VideoMetadata, read_video_metadata


def test_an_mp4_gives_its_length_and_size():
    data = files.minimal_mp4(timescale=30_000, duration=2_715_000, width=1280, height=720)
    assert read_video_metadata(io.BytesIO(data)) == VideoMetadata(90.5, 1280, 720)


def test_a_quicktime_movie_is_read_the_same_way():
    data = files.minimal_mp4(major_brand=b"qt  ", duration=4_000)
    assert read_video_metadata(io.BytesIO(data)) == VideoMetadata(4.0, 320, 240)


def test_a_phones_portrait_video_is_as_tall_as_it_is_shown():
    data = files.minimal_mp4(width=1920, height=1080, rotated=True)
    assert read_video_metadata(io.BytesIO(data)) == VideoMetadata(1.0, 1080, 1920)


@pytest.mark.parametrize(
    "data",
    [
        b"",
        files.fake_mp4(),
        files.minimal_webm(),  # an empty segment: no Info, no Tracks
        files.minimal_mp4(duration=0),
        files.minimal_mp4(duration=5000)[:60],  # cut inside the moov
    ],
    ids=["empty", "noise", "empty-webm", "no-length", "cut"],
)
def test_what_cannot_be_read_is_unknown_and_never_an_error(data):
    assert read_video_metadata(io.BytesIO(data)) == UNKNOWN


def test_a_size_no_video_has_is_not_taken_for_one():
    result = read_video_metadata(io.BytesIO(files.minimal_mp4(width=60_000, height=60_000)))
    assert (result.width, result.height) == (None, None)


def test_the_file_is_left_open_at_its_start_for_storing():
    upload = io.BytesIO(files.minimal_mp4())
    read_video_metadata(upload)
    assert not upload.closed and upload.tell() == 0
