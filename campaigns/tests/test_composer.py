"""The composer: per-network previews and counts, rule errors, guidelines, duplicates, UTM."""

import pytest
from django.urls import reverse

from campaigns.composer import Composition, add_utm, check_composition, variant_content
from campaigns.models import Post, PostState, PostVariant
from campaigns.services.posts import post_create
from campaigns.services.workflow import post_errors
from campaigns.tests.factories import CampaignFactory, PostFactory, PostVariantFactory
from clients.tests.factories import BrandGuidelinesFactory, SocialAccountFactory

pytestmark = pytest.mark.usefixtures("en")


def _preview(client, brand, accounts, **fields):
    data = {"brand": brand.pk, "accounts": [a.pk for a in accounts], **fields}
    return client.post(reverse("campaigns:compose_preview"), data, HTTP_HX_REQUEST="true")


def test_preview_counts_each_network_its_own_way_and_shows_rule_errors(
    member_of_a, brand_a, accounts_a, en_login
):
    text = "é" * 310
    response = _preview(en_login(member_of_a), brand_a, accounts_a, text=text)
    assert response.status_code == 200
    body = response.content.decode()
    assert "310 / 500" in body  # Mastodon
    assert "310 / 300" in body  # Bluesky: over the limit
    assert "310 / 3000" in body  # LinkedIn
    assert "Bluesky allows 300 characters; this text counts 310." in body


def test_preview_counts_a_link_as_23_characters_on_x(agency_a, brand_a, member_of_a, en_login):
    x_account = SocialAccountFactory(agency=agency_a, brand=brand_a, network="x", handle="cafe")
    response = _preview(
        en_login(member_of_a),
        brand_a,
        [x_account],
        text="Menu : https://cafe-tanger.ma/" + "a" * 80,
    )
    assert "30 / 280" in response.content.decode()


def test_words_to_avoid_are_flagged_case_and_accents_ignored(
    member_of_a, agency_a, brand_a, accounts_a, en_login
):
    BrandGuidelinesFactory(agency=agency_a, brand=brand_a, words_to_avoid=["pas cher", "promo"])
    response = _preview(en_login(member_of_a), brand_a, accounts_a[:1], text="Un café PAS CHER !")
    body = response.content.decode()
    assert "“pas cher” is on the brand&#x27;s list of words to avoid." in body
    assert "“promo”" not in body


def test_the_same_text_on_the_same_account_within_the_window_is_flagged(
    member_of_a, agency_a, brand_a, accounts_a, en_login
):
    earlier = PostFactory(agency=agency_a, brand=brand_a, text="Bonjour   Tanger")
    PostVariantFactory(agency=agency_a, post=earlier, social_account=accounts_a[0])
    response = _preview(en_login(member_of_a), brand_a, accounts_a[:2], text="bonjour tanger")
    body = response.content.decode()
    assert body.count("The same text is planned or published on this account") == 1


def test_hashtag_sets_and_signatures_are_offered_in_the_composer(
    member_of_a, agency_a, brand_a, accounts_a, en_login
):
    BrandGuidelinesFactory(agency=agency_a, brand=brand_a)
    body = en_login(member_of_a).get(reverse("campaigns:post_create") + f"?brand={brand_a.pk}")
    html = body.content.decode()
    assert 'data-insert="#ramadan #ftour"' in html
    assert 'data-insert="— L&#x27;équipe"' in html


def test_campaign_utm_parameters_are_added_to_links_per_network(
    agency_a, brand_a, accounts_a, member_of_a, in_agency
):
    campaign = CampaignFactory(agency=agency_a, brand=brand_a, name="Ramadan Karim")
    with in_agency(agency_a):
        post = post_create(
            actor=member_of_a,
            brand=brand_a,
            campaign=campaign,
            account_ids=[accounts_a[0].pk, accounts_a[2].pk],
            text="Voir https://cafe-tanger.ma/menu?x=1",
            link="https://cafe-tanger.ma/ftour",
        )
        variants = list(
            PostVariant.objects.filter(post=post).select_related("post__brand", "social_account")
        )
        contents = {v.social_account.network: variant_content(v) for v in variants}
    assert "utm_source=mastodon" in contents["mastodon"].text
    assert "x=1&utm_source=mastodon&utm_medium=social&utm_campaign=ramadan-karim" in (
        contents["mastodon"].text
    )
    assert contents["linkedin"].link == (
        "https://cafe-tanger.ma/ftour?utm_source=linkedin&utm_medium=social"
        "&utm_campaign=ramadan-karim"
    )
    assert contents["linkedin"].idempotency_key


def test_utm_parameters_already_in_a_link_are_kept():
    url = add_utm("https://a.ma/?utm_source=newsletter", {"utm_source": "x", "utm_medium": "s"})
    assert url == "https://a.ma/?utm_source=newsletter&utm_medium=s"


def test_instagram_without_media_is_an_error(agency_a, brand_a, in_agency):
    account = SocialAccountFactory(agency=agency_a, brand=brand_a, network="instagram")
    with in_agency(agency_a):
        checks = check_composition(Composition(brand=brand_a, text="Bonjour", accounts=[account]))
    assert checks[0].errors == ["Instagram posts need at least one image or video."]


def test_composer_saves_a_post_for_three_networks_and_submits_it(
    member_of_a, brand_a, accounts_a, en_login
):
    response = en_login(member_of_a).post(
        reverse("campaigns:post_create"),
        {
            "brand": brand_a.pk,
            "accounts": [a.pk for a in accounts_a],
            "title": "Ftour",
            "text": "Ftour à partir de 18h30 #ramadan",
            "scheduled_at": "2030-03-01T18:30",
            "submit": "1",
        },
    )
    assert response.status_code == 302
    post = Post.unscoped.get(title="Ftour")
    assert post.state == PostState.IN_REVIEW
    assert PostVariant.unscoped.filter(post=post).count() == 3
    # 18:30 in Casablanca (UTC+1 that day) is 17:30 UTC.
    assert post.scheduled_at.isoformat() == "2030-03-01T17:30:00+00:00"


def test_composer_refuses_to_submit_with_a_rule_error_and_keeps_the_input(
    member_of_a, brand_a, accounts_a, en_login
):
    response = en_login(member_of_a).post(
        reverse("campaigns:post_create"),
        {"brand": brand_a.pk, "accounts": [accounts_a[1].pk], "text": "x" * 301, "submit": "1"},
    )
    assert response.status_code == 200
    assert "Bluesky allows 300 characters" in response.content.decode()
    assert not Post.unscoped.exists()  # one transaction: nothing half-saved


def test_composer_refuses_a_time_the_clocks_skip(member_of_a, brand_a, accounts_a, en_login):
    response = en_login(member_of_a).post(
        reverse("campaigns:post_create"),
        {
            "brand": brand_a.pk,
            "accounts": [accounts_a[0].pk],
            "text": "Bonjour",
            "scheduled_at": "2027-03-14T02:30",
        },
    )
    assert response.status_code == 200
    assert "does not exist in Africa/Casablanca" in response.content.decode()


def test_each_account_may_have_its_own_media(agency_a, brand_a, member_of_a, in_agency):
    from campaigns.tests.factories import MediaAssetFactory

    photo = MediaAssetFactory(agency=agency_a, brand=brand_a, mime_type="image/jpeg")
    instagram = SocialAccountFactory(agency=agency_a, brand=brand_a, network="instagram")
    mastodon = SocialAccountFactory(agency=agency_a, brand=brand_a, network="mastodon")
    with in_agency(agency_a):
        post = post_create(
            actor=member_of_a,
            brand=brand_a,
            account_ids=[instagram.pk, mastodon.pk],
            media_overrides={instagram.pk: [photo.pk]},
            text="Le ftour en image",
        )
        assert post_errors(Post.objects.get(pk=post.pk)) == []
        variants = {
            v.social_account.network: v
            for v in PostVariant.objects.filter(post=post).select_related(
                "post__brand", "social_account"
            )
        }
        assert len(variant_content(variants["instagram"]).media) == 1
        assert variant_content(variants["mastodon"]).media == []


def test_media_of_another_brand_cannot_be_attached(agency_a, brand_a, member_of_a, in_agency):
    from django.core.exceptions import ValidationError

    from campaigns.tests.factories import MediaAssetFactory
    from clients.tests.factories import BrandFactory

    foreign = MediaAssetFactory(agency=agency_a, brand=BrandFactory(agency=agency_a))
    with in_agency(agency_a), pytest.raises(ValidationError):
        post_create(actor=member_of_a, brand=brand_a, media_ids=[foreign.pk], text="x")
