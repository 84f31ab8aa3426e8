"""The networks' content policies as rules: paid partnerships, mentions, hashtags, duplicates."""

from __future__ import annotations

import pytest

from networks.base import MediaItem, MediaKind, PostContent
from networks.policy import count_mentions, discloses_partnership
from networks.registry import get_adapter
from networks.rules import check_content, rules_for

IMAGE = MediaItem(kind=MediaKind.IMAGE, mime_type="image/jpeg", size=1000, url="https://a.ma/1.jpg")
VIDEO = MediaItem(kind=MediaKind.VIDEO, mime_type="video/mp4", size=1000, url="https://a.ma/1.mp4")


def codes(network, content, **kwargs):
    return [(v.code, v.severity) for v in check_content(network, content, **kwargs)]


@pytest.mark.parametrize(
    "text",
    [
        "Nouveau menu #ad",
        "Nouveau menu #Sponsorisé",
        "Nouveau menu #publicite",
        "Collaboration commerciale avec Café Tanger",
        "Paid partnership with @cafe",
    ],
)
def test_the_usual_disclosures_are_recognised(text):
    assert discloses_partnership(text)


@pytest.mark.parametrize("text", ["Nouveau menu", "#adorable chaton", "mail: ad@cafe.ma"])
def test_ordinary_words_are_not_disclosures(text):
    assert not discloses_partnership(text)


@pytest.mark.parametrize("network", ["facebook", "linkedin", "mastodon", "bluesky"])
def test_a_paid_partnership_without_disclosure_is_an_error(network):
    content = PostContent(text="Le nouveau menu est là", options={"paid_partnership": True})
    assert ("paid_partnership_undisclosed", "error") in codes(network, content)


def test_a_paid_partnership_disclosed_in_the_text_passes():
    content = PostContent(text="Le nouveau menu #sponsorisé", options={"paid_partnership": True})
    assert codes("mastodon", content, include_warnings=True) == []


def test_x_accepts_only_the_ad_hashtag_as_its_policy_says():
    sponsored = PostContent(text="Le nouveau menu #sponsorisé", options={"paid_partnership": True})
    assert codes("x", sponsored) == [("paid_partnership_hashtag_required", "error")]
    tagged = PostContent(text="Le nouveau menu #AD", options={"paid_partnership": True})
    assert codes("x", tagged, include_warnings=True) == []


def test_instagram_counts_a_disclosure_in_the_first_comment_too():
    content = PostContent(
        text="Le nouveau menu",
        media=[IMAGE],
        first_comment="#ad",
        options={"paid_partnership": True},
    )
    assert codes("instagram", content) == []


def test_every_adapter_without_its_own_label_asks_whether_a_post_is_a_paid_partnership():
    for network in ("facebook", "instagram", "linkedin", "x", "mastodon", "bluesky"):
        names = [option.name for option in get_adapter(network).publish_options]
        assert "paid_partnership" in names, network


def test_tiktok_brand_content_toggle_is_the_disclosure():
    rules = rules_for("tiktok")
    assert rules.paid_partnership_flag == "brand_content_toggle"
    content = PostContent(text="Menu", media=[VIDEO], options={"brand_content_toggle": True})
    assert ("paid_partnership_undisclosed", "error") not in codes("tiktok", content)


def test_a_sponsored_text_without_the_tiktok_label_is_a_warning_only():
    content = PostContent(text="Menu #ad", media=[VIDEO])
    assert ("paid_partnership_label_missing", "warning") in codes(
        "tiktok", content, include_warnings=True
    )
    assert "paid_partnership_label_missing" not in [c for c, _ in codes("tiktok", content)]


def test_instagram_refuses_more_than_twenty_mentions():
    text = " ".join(f"@ami{n}" for n in range(21))
    assert ("too_many_mentions", "error") in codes(
        "instagram", PostContent(text=text, media=[IMAGE])
    )
    assert codes("instagram", PostContent(text=text.rsplit(" ", 1)[0], media=[IMAGE])) == []


def test_mentions_are_counted_without_e_mail_addresses():
    assert count_mentions("@a @b.c hello@cafe.ma @d@mastodon.social") == 3


def test_x_recommends_two_hashtags_as_a_warning_the_engine_does_not_stop_on():
    content = PostContent(text="Menu #cafe #tanger #maroc")
    assert codes("x", content, include_warnings=True) == [("hashtags_above_recommended", "warning")]
    assert codes("x", content) == []
    assert get_adapter("x").check(content) == []  # what the publishing engine checks


def test_instagram_hashtag_limit_stays_an_error():
    text = " ".join(f"#tag{n}" for n in range(31))
    assert ("too_many_hashtags", "error") in codes(
        "instagram", PostContent(text=text, media=[IMAGE])
    )


def test_the_networks_that_refuse_duplicates_say_so():
    refused = {n for n in ("x", "facebook", "linkedin", "mastodon", "bluesky", "instagram")}
    assert {n for n in refused if rules_for(n).duplicate_refused} == {"x", "facebook", "linkedin"}
