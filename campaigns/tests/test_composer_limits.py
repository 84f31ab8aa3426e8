"""Drafts no network could take are refused at input: form, API and services alike."""

import pytest
from django.core.exceptions import ValidationError

from campaigns.composer import MAX_DRAFT_CHARS, MAX_FIRST_COMMENT_CHARS
from campaigns.services.posts import post_create, post_update
from networks import rules


def test_the_cap_is_the_longest_network_limit_with_a_margin():
    longest = max(r.max_length for r in rules.RULES.values())
    assert longest < MAX_DRAFT_CHARS <= longest * 1.2


def test_api_refuses_a_text_of_millions_of_characters(api_as, member_of_a, brand_a):
    response = api_as(member_of_a).post(
        "/api/v1/posts/", {"brand": brand_a.pk, "text": "a" * 2_000_000}, format="json"
    )
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["text"]


def test_api_refuses_an_account_text_over_the_cap(api_as, member_of_a, brand_a, accounts_a):
    account = accounts_a[0]
    response = api_as(member_of_a).post(
        "/api/v1/posts/",
        {
            "brand": brand_a.pk,
            "text": "Bonjour",
            "accounts": [account.pk],
            "overrides": {str(account.pk): "a" * (MAX_DRAFT_CHARS + 1)},
        },
        format="json",
    )
    assert response.status_code == 400
    assert "overrides" in response.json()["error"]["fields"]


def test_api_accepts_a_long_facebook_length_text(api_as, member_of_a, brand_a):
    response = api_as(member_of_a).post(
        "/api/v1/posts/", {"brand": brand_a.pk, "text": "a" * 63_206}, format="json"
    )
    assert response.status_code == 201, response.content[:300]


@pytest.mark.parametrize(
    ("fields", "name"),
    [
        ({"text": "a" * (MAX_DRAFT_CHARS + 1)}, "text"),
        ({"text": "ok", "first_comment": "a" * (MAX_FIRST_COMMENT_CHARS + 1)}, "first_comment"),
    ],
)
def test_service_refuses_an_oversized_draft_from_any_caller(
    member_of_a, brand_a, in_agency, fields, name
):
    with in_agency(brand_a.agency_id), pytest.raises(ValidationError) as raised:
        post_create(actor=member_of_a, brand=brand_a, **fields)
    assert name in raised.value.message_dict


def test_service_refuses_an_oversized_edit(member_of_a, draft, in_agency):
    with in_agency(draft.agency_id), pytest.raises(ValidationError) as raised:
        post_update(actor=member_of_a, post=draft, text="a" * 1_000_000)
    assert "text" in raised.value.message_dict
    draft.refresh_from_db()
    assert len(draft.text) < 100


def test_composer_form_refuses_an_oversized_text(member_of_a, brand_a, accounts_a, in_agency):
    from campaigns.forms import PostForm
    from campaigns.models import Campaign, MediaAsset
    from clients.models import SocialAccount

    with in_agency(brand_a.agency_id):
        form = PostForm(
            {"text": "a" * (MAX_DRAFT_CHARS + 1), f"override_{accounts_a[0].pk}": "b" * 80_000},
            brand=brand_a,
            accounts=SocialAccount.objects.filter(brand=brand_a),
            media=MediaAsset.objects.none(),
            campaigns=Campaign.objects.none(),
        )
        assert not form.is_valid()
    assert "text" in form.errors
    assert f"override_{accounts_a[0].pk}" in form.errors


# --- Dates at the edge of the calendar, in the dashboard ------------------------------------


@pytest.mark.parametrize("path", ["/listening/", "/listening/export.csv"])
def test_listening_pages_refuse_year_9999_instead_of_overflowing(login, member_of_a, path):
    response = login(member_of_a).get(path, {"until": "9999-12-31", "since": "0001-01-01"})
    assert response.status_code in (200, 302, 400)


def test_composer_refuses_a_post_dated_9999(member_of_a, brand_a, in_agency):
    from campaigns.forms import CampaignForm, PostForm
    from campaigns.models import Campaign, MediaAsset
    from clients.models import SocialAccount

    with in_agency(brand_a.agency_id):
        form = PostForm(
            {"text": "Bonjour", "scheduled_at": "9999-12-31T23:30"},
            brand=brand_a,
            accounts=SocialAccount.objects.filter(brand=brand_a),
            media=MediaAsset.objects.none(),
            campaigns=Campaign.objects.none(),
        )
        assert not form.is_valid()
    assert "scheduled_at" in form.errors
    assert "2199" in str(form.errors["scheduled_at"])
    from clients.models import Brand, Persona

    campaign_form = CampaignForm(
        {"starts_on": "2026-01-01", "ends_on": "9999-12-31"},
        brands=Brand.unscoped.none(),
        personas=Persona.unscoped.none(),
    )
    assert "ends_on" in campaign_form.errors
