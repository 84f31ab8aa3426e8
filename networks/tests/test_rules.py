import pytest
from hypothesis import given
from hypothesis import strategies as st

from networks.base import MediaItem, MediaKind, PostContent
from networks.rules import check_content, rules_for
from networks.text import (
    count_code_points,
    count_graphemes,
    count_hashtags,
    count_mastodon,
    count_x,
    find_urls,
)

FAMILY = "👨\u200d👩\u200d👧\u200d👦"  # one grapheme: man ZWJ woman ZWJ girl ZWJ boy
THUMB = "👍🏽"  # thumbs up + skin tone modifier
E_ACUTE_DECOMPOSED = "e\u0301"
ARABIC = "مرحبا بكم في الدار البيضاء"
DARIJA_LATIN = "salam 3likom, kifach n9der nkhless?"


def image(size=1000, mime="image/jpeg", alt=""):
    return MediaItem(kind=MediaKind.IMAGE, mime_type=mime, size=size, alt_text=alt)


def codes(network, content, **limits):
    return [v.code for v in check_content(network, content, **limits)]


# ----------------------------------------------------------------------- counting


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (FAMILY, 2),
        (THUMB, 2),
        ("🇲🇦", 2),
        (E_ACUTE_DECOMPOSED, 1),
        ("日本語", 6),
        (ARABIC, len(ARABIC)),
        (DARIJA_LATIN, len(DARIJA_LATIN)),
        ("voir https://atlas.example/une/très/longue/page?utm=1", 5 + 23),
        ("voir atlas.ma", 5 + 23),
        ("voir www.atlas.ma/x", 5 + 23),
        ("voir atlas.example", 18),  # .example is not a real TLD: plain text, as in twitter-text
    ],
)
def test_x_weighted_length(text, expected):
    assert count_x(text) == expected


def test_x_counts_280_ascii_as_full_and_a_url_as_23_whatever_its_length():
    assert count_x("a" * 280) == 280
    assert count_x("https://example.com/" + "x" * 200) == 23


def test_bluesky_counts_graphemes_so_emoji_sequences_and_accents_are_one():
    assert count_graphemes(FAMILY) == 1
    assert count_graphemes(THUMB) == 1
    assert count_graphemes(E_ACUTE_DECOMPOSED) == 1
    assert count_graphemes(ARABIC) == len(ARABIC)


def test_mastodon_counts_urls_with_scheme_as_23_and_mentions_without_domain():
    assert count_mastodon("https://example.com/" + "x" * 100) == 23
    assert count_mastodon("example.com") == len("example.com")  # no scheme: counted in full
    assert count_mastodon("@salma@mastodon.social salut") == len("@salma salut")
    assert count_mastodon(FAMILY) == 1


def test_code_point_count_normalises_combining_accents():
    assert count_code_points(E_ACUTE_DECOMPOSED) == 1
    assert count_code_points(FAMILY) == 7


def test_urls_with_and_without_scheme_are_found_but_not_emails_or_mentions():
    text = "a https://x.example/p). b atlas.ma/promo, c me@atlas.ma d @user.bsky.social"
    spans = [text[s:e] for s, e in find_urls(text)]
    assert spans == ["https://x.example/p", "atlas.ma/promo"]


def test_hashtags_count_words_not_numbers_or_anchors():
    assert count_hashtags("#Maroc #été #2026 #1er C#sharp &#39; ##double") == 3


@given(st.text())
def test_counting_is_never_negative(text):
    for count in (count_x, count_mastodon, count_graphemes, count_code_points):
        assert count(text) >= 0


@given(
    st.text(
        alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ,!?'", max_size=400
    )
)
def test_plain_ascii_without_urls_counts_its_length_everywhere(text):
    assert count_x(text) == count_mastodon(text) == count_graphemes(text) == len(text)


@given(st.text(max_size=50), st.text(max_size=50))
def test_x_length_is_additive_when_no_url_or_cluster_spans_the_join(left, right):
    joined = left + " " + right
    if find_urls(joined) or find_urls(left) or find_urls(right):
        return
    if count_graphemes(joined) != count_graphemes(left) + 1 + count_graphemes(right):
        return  # e.g. a skin-tone modifier after the space merges with it into one cluster
    assert count_x(joined) == count_x(left) + 1 + count_x(right)


# ----------------------------------------------------------------------- rules


def test_x_rejects_281_weighted_characters_but_accepts_280():
    assert codes("x", PostContent(text="a" * 280)) == []
    violation = check_content("x", PostContent(text="日" * 141))[0]
    assert violation.code == "text_too_long"
    assert violation.params == {"length": 282, "max_length": 280}
    assert violation.field == "text"
    assert violation.message == "X allows 280 characters; this text counts 282."


def test_link_is_counted_when_the_network_appends_it_to_the_text():
    content = PostContent(text="a" * 260, link="https://atlas.example/" + "p" * 80)
    assert codes("x", content) == ["text_too_long"]  # 260 + 2 newlines + 23
    assert codes("facebook", content) == []  # link goes in its own field


def test_bluesky_counts_an_emoji_family_as_one_grapheme_of_its_300():
    # 300 graphemes is the length limit; the 3,000-byte limit is tested in test_bluesky_sessions
    assert rules_for("bluesky").count(FAMILY * 300) == 300
    assert codes("bluesky", PostContent(text="é" * 300)) == []
    assert codes("bluesky", PostContent(text="é" * 301)) == ["text_too_long"]
    assert codes("bluesky", PostContent(text=FAMILY * 301)) == [
        "text_too_long",
        "text_too_many_bytes",
    ]


def test_instagram_requires_media_and_caps_hashtags_at_30():
    tags = " ".join(f"#tag{n}" for n in range(31))
    assert codes("instagram", PostContent(text=tags)) == ["too_many_hashtags", "media_required"]
    assert codes("instagram", PostContent(text="ok", media=[image()])) == []


def test_instagram_accepts_only_jpeg_images():
    found = check_content("instagram", PostContent(text="x", media=[image(mime="image/png")]))
    assert [v.code for v in found] == ["media_type_not_allowed"]
    assert found[0].field == "media[0]"


def test_media_count_and_size_limits_per_network():
    five = [image() for _ in range(5)]
    assert codes("x", PostContent(text="x", media=five)) == ["too_many_media"]
    assert codes("bluesky", PostContent(text="x", media=[image(size=1_000_001)])) == [
        "media_too_large"
    ]
    assert codes("bluesky", PostContent(text="x", media=[image(size=1_000_000)])) == []
    eleven = [image() for _ in range(11)]
    assert codes("instagram", PostContent(text="x", media=eleven)) == ["too_many_media"]


def test_video_cannot_be_mixed_with_images_except_in_instagram_carousels():
    video = MediaItem(kind=MediaKind.VIDEO, mime_type="video/mp4", size=10)
    mixed = PostContent(text="x", media=[image(), video])
    assert codes("mastodon", mixed) == ["video_must_be_alone"]
    assert codes("x", mixed) == ["video_must_be_alone"]
    assert codes("instagram", mixed) == []


def test_bluesky_does_not_take_video_here():
    video = MediaItem(kind=MediaKind.VIDEO, mime_type="video/mp4", size=10)
    assert codes("bluesky", PostContent(text="x", media=[video])) == ["media_kind_not_allowed"]


def test_mastodon_limits_come_from_the_instance():
    limits = {
        "max_characters": 5000,
        "max_media_attachments": 8,
        "image_size_limit": 1024,
        "characters_reserved_per_url": 10,
    }
    rules = rules_for("mastodon", **limits)
    assert (rules.max_length, rules.max_media) == (5000, 8)
    assert rules.count("https://example.com/long") == 10
    assert codes("mastodon", PostContent(text="x", media=[image(size=2048)]), **limits) == [
        "media_too_large"
    ]
    assert codes("mastodon", PostContent(text="a" * 501)) == ["text_too_long"]


def test_threads_and_first_comments_are_checked_where_supported():
    assert codes("facebook", PostContent(text="x", thread=["y"])) == ["thread_not_supported"]
    assert codes("x", PostContent(text="x", first_comment="y")) == ["first_comment_not_supported"]
    found = check_content("x", PostContent(text="1/2", thread=["", "a" * 281]))
    assert [(v.code, v.field) for v in found] == [
        ("thread_item_empty", "thread[0]"),
        ("text_too_long", "thread[1]"),
    ]


def test_empty_post_and_long_alt_text_are_reported():
    assert codes("mastodon", PostContent(text="  ")) == ["text_required"]
    assert codes("x", PostContent(text="x", media=[image(alt="a" * 1001)])) == ["alt_text_too_long"]


def test_darija_arabic_and_latin_fit_in_linkedin_and_facebook():
    text = f"{ARABIC} — {DARIJA_LATIN} {THUMB}"
    for network in ("linkedin", "facebook", "mastodon", "bluesky", "x"):
        assert codes(network, PostContent(text=text)) == []
