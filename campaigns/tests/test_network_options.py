"""Each network's publishing options: asked in the composer, stored on the variant, checked
with the content rules, given to the network with the post, and set through the API."""

import pytest
from django.urls import reverse
from django.utils import translation

from campaigns.composer import check_composition, composition_of, variant_content
from campaigns.models import PostRevision, PostVariant
from campaigns.services.posts import post_create, post_update

pytestmark = pytest.mark.usefixtures("en")


def _form_data(brand, accounts, **fields):
    return {"brand": brand.pk, "accounts": [a.pk for a in accounts], "text": "Bonjour", **fields}


def test_the_composer_asks_for_the_options_of_the_chosen_networks_only(
    member_of_a, brand_a, accounts_a, en_login
):
    mastodon = accounts_a[0]
    response = en_login(member_of_a).get(reverse("campaigns:post_create"), {"brand": brand_a.pk})
    body = response.content.decode()
    assert "Options of each network" in body
    assert f'name="option_{mastodon.pk}_visibility"' in body
    assert f'name="option_{mastodon.pk}_spoiler_text"' in body
    assert f'name="option_{accounts_a[1].pk}_visibility"' not in body  # Bluesky has none


def test_options_typed_in_the_composer_are_kept_on_the_variant_and_sent_with_the_post(
    member_of_a, brand_a, accounts_a, en_login, in_agency
):
    mastodon = accounts_a[0]
    data = _form_data(
        brand_a,
        [mastodon],
        **{
            f"option_{mastodon.pk}_visibility": "unlisted",
            f"option_{mastodon.pk}_spoiler_text": "Match",
        },
    )
    response = en_login(member_of_a).post(reverse("campaigns:post_create"), data)
    assert response.status_code == 302
    with in_agency(brand_a.agency_id):
        variant = PostVariant.objects.get(social_account=mastodon)
        # The unticked "Paid partnership" box (networks.policy) is kept as false.
        assert variant.network_options == {
            "visibility": "unlisted",
            "spoiler_text": "Match",
            "paid_partnership": False,
        }
        assert variant_content(variant).options == variant.network_options
        edit = en_login(member_of_a).get(
            reverse("campaigns:post_edit", kwargs={"post_id": variant.post_id})
        )
    assert 'value="unlisted" selected' in edit.content.decode()


def test_a_choice_the_network_does_not_offer_is_refused_on_save(
    member_of_a, brand_a, accounts_a, en_login
):
    mastodon = accounts_a[0]
    data = _form_data(brand_a, [mastodon], **{f"option_{mastodon.pk}_visibility": "everyone"})
    response = en_login(member_of_a).post(reverse("campaigns:post_create"), data)
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


def test_the_content_rules_name_a_stored_option_the_network_refuses(
    member_of_a, brand_a, accounts_a, in_agency
):
    with in_agency(brand_a.agency_id):
        post = post_create(
            actor=member_of_a,
            brand=brand_a,
            account_ids=[accounts_a[0].pk],
            text="Bonjour",
            network_options={accounts_a[0].pk: {"spoiler_text": "x" * 501}},
        )
        (check,) = check_composition(composition_of(post))
    assert check.errors == [
        "Mastodon allows 500 characters for “Content warning”; this one has 501."
    ]
    with in_agency(brand_a.agency_id), translation.override("fr"):
        (check,) = check_composition(composition_of(post))
    assert check.errors == [
        "Mastodon permet 500 caractères pour « Avertissement de contenu » ; celui-ci en compte 501."
    ]


def test_an_option_change_is_a_new_version_with_the_options_in_its_revision(
    member_of_a, brand_a, accounts_a, in_agency
):
    mastodon = accounts_a[0]
    with in_agency(brand_a.agency_id):
        post = post_create(
            actor=member_of_a, brand=brand_a, account_ids=[mastodon.pk], text="Bonjour"
        )
        post_update(
            actor=member_of_a,
            post=post,
            account_ids=[mastodon.pk],
            network_options={mastodon.pk: {"visibility": "private"}},
        )
        post.refresh_from_db()
        revision = PostRevision.objects.get(post=post, version=post.version)
    assert post.version == 2
    assert revision.snapshot["variants"][0]["options"] == {"visibility": "private"}


def test_the_api_sets_and_shows_each_accounts_options_and_names_what_it_refuses(
    member_of_a, brand_a, accounts_a, api_as
):
    mastodon = accounts_a[0]
    client = api_as(member_of_a)
    created = client.post(
        "/api/v1/posts/",
        {
            "brand": brand_a.pk,
            "accounts": [mastodon.pk],
            "text": "Bonjour",
            "network_options": {str(mastodon.pk): {"visibility": "unlisted"}},
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    (variant,) = created.json()["variants"]
    assert variant["network_options"] == {"visibility": "unlisted"}

    url = f"/api/v1/posts/{created.json()['id']}/"
    changed = client.patch(
        url, {"network_options": {str(mastodon.pk): {"spoiler_text": "Match"}}}, format="json"
    )
    assert changed.status_code == 200, changed.content
    assert changed.json()["variants"][0]["network_options"] == {"spoiler_text": "Match"}

    unknown = client.patch(
        url, {"network_options": {str(mastodon.pk): {"colour": "red"}}}, format="json"
    )
    assert unknown.status_code == 400
    assert "colour" in unknown.json()["error"]["fields"]["network_options"][0]
    huge = client.patch(
        url, {"network_options": {str(mastodon.pk): {"spoiler_text": "x" * 2001}}}, format="json"
    )
    assert huge.status_code == 400
    assert "spoiler_text" in huge.json()["error"]["fields"]["network_options"][0]
    bad_key = client.patch(url, {"network_options": {"mastodon": {}}}, format="json")
    assert bad_key.status_code == 400
    assert "network_options" in bad_key.json()["error"]["fields"]


def test_choices_the_network_cannot_give_leave_a_typed_field_with_the_reason(
    member_of_a, agency_a, brand_a, en_login
):
    import httpx
    import respx

    from clients.tests.factories import SocialAccountFactory

    pinterest = SocialAccountFactory(agency=agency_a, brand=brand_a, network="pinterest")
    with respx.mock(assert_all_called=True) as router:
        router.get(url__startswith="https://api.pinterest.com/v5/boards").mock(
            return_value=httpx.Response(401, json={"code": 2, "message": "Authentication failed."})
        )
        response = en_login(member_of_a).get(
            reverse("campaigns:post_create"), {"brand": brand_a.pk}
        )
    body = response.content.decode()
    assert response.status_code == 200
    assert f'name="option_{pinterest.pk}_board_id"' in body
    assert "The choices could not be loaded: the account&#x27;s access was refused" in body
