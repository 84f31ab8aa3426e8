"""The networks' content policies in the composer: errors where the network refuses, warnings
where it recommends (networks.policy)."""

import pytest

from campaigns.composer import Composition, check_composition
from campaigns.tests.factories import PostFactory, PostVariantFactory
from clients.tests.factories import SocialAccountFactory

pytestmark = pytest.mark.usefixtures("en")


def _check(brand, account, in_agency, **fields):
    with in_agency(brand.agency):
        return check_composition(Composition(brand=brand, accounts=[account], **fields))[0]


@pytest.fixture
def x_account(agency_a, brand_a):
    return SocialAccountFactory(agency=agency_a, brand=brand_a, network="x", handle="cafe")


def test_a_duplicate_on_x_is_an_error_because_x_refuses_it(agency_a, brand_a, x_account, in_agency):
    earlier = PostFactory(agency=agency_a, brand=brand_a, text="Bonjour Tanger")
    PostVariantFactory(agency=agency_a, post=earlier, social_account=x_account)

    check = _check(brand_a, x_account, in_agency, text="bonjour   tanger")

    assert not check.ok
    assert any("X refuses a text identical" in error for error in check.errors)
    assert not any("same text" in warning for warning in check.warnings)


def test_a_duplicate_on_mastodon_stays_a_warning(agency_a, brand_a, in_agency):
    account = SocialAccountFactory(agency=agency_a, brand=brand_a, network="mastodon")
    earlier = PostFactory(agency=agency_a, brand=brand_a, text="Bonjour Tanger")
    PostVariantFactory(agency=agency_a, post=earlier, social_account=account)

    check = _check(brand_a, account, in_agency, text="Bonjour Tanger")

    assert check.ok
    assert any("The same text is planned" in warning for warning in check.warnings)


def test_a_paid_partnership_must_be_disclosed_in_the_text(brand_a, x_account, in_agency):
    marked = {x_account.pk: {"paid_partnership": True}}
    check = _check(brand_a, x_account, in_agency, text="Le nouveau menu", options=marked)
    assert check.errors == ["X's policy requires a paid partnership to carry #ad in the text."]
    disclosed = _check(brand_a, x_account, in_agency, text="Menu #ad", options=marked)
    assert disclosed.ok and disclosed.warnings == []


def test_a_paid_partnership_on_linkedin_takes_any_usual_disclosure(agency_a, brand_a, in_agency):
    account = SocialAccountFactory(agency=agency_a, brand=brand_a, network="linkedin")
    marked = {account.pk: {"paid_partnership": True}}
    check = _check(brand_a, account, in_agency, text="Le nouveau menu", options=marked)
    assert check.errors == [
        "LinkedIn requires a paid partnership to be disclosed: add #ad, #sponsored or "
        "“collaboration commerciale” to the text, or use the network's branded-content label "
        "where it has one."
    ]
    disclosed = _check(
        brand_a, account, in_agency, text="Collaboration commerciale : le menu", options=marked
    )
    assert disclosed.ok


def test_x_hashtags_beyond_its_recommendation_warn_without_blocking(brand_a, x_account, in_agency):
    check = _check(brand_a, x_account, in_agency, text="Menu #cafe #tanger #maroc")
    assert check.ok
    assert check.warnings == ["X recommends at most 2 hashtags; this text has 3."]


def test_the_policy_messages_are_french_for_french_readers(brand_a, x_account, in_agency):
    from django.utils import translation

    with translation.override("fr"):
        check = _check(
            brand_a,
            x_account,
            in_agency,
            text="Le menu",
            options={x_account.pk: {"paid_partnership": True}},
        )
    assert check.errors[0] == (
        "La politique du réseau X exige qu'un partenariat rémunéré porte #ad dans le texte."
    )
