"""A French failure message says what went wrong in French; the network's English words stay
only as a quoted detail. Mastodon faked at the transport with its documented 422 answer."""

import httpx
from django.utils import translation

from campaigns.models import VariantState
from core.network_errors import network_error_words
from networks.base import AuthExpired, PermanentError, RateLimited
from publishing.tests.helpers import STATUSES, dispatch_and_publish, fresh, scheduled_variant


def test_a_refused_post_is_explained_in_french_with_the_networks_words_as_detail(
    agency_a, brand_a, mastodon
):
    variant = scheduled_variant(agency_a, brand_a)
    mastodon.post(STATUSES).mock(
        return_value=httpx.Response(
            422, json={"error": "Validation failed: Text character limit of 500 exceeded"}
        )
    )
    with translation.override("fr"):
        assert dispatch_and_publish() == {variant.pk: "failed"}
    variant = fresh(variant)
    assert variant.state == VariantState.FAILED
    assert variant.last_error.startswith("Mastodon a refusé la publication : le réseau a refusé")
    detail = "— réponse du réseau : « Mastodon rejected the post: Validation failed"
    assert detail in variant.last_error


def test_each_kind_of_network_error_has_french_words():
    with translation.override("fr"):
        assert network_error_words(AuthExpired()) == "l’accès du compte a été refusé ou a expiré"
        assert network_error_words(RateLimited("Too Many Requests")) == (
            "trop de requêtes pour le moment — réponse du réseau : « Too Many Requests »"
        )
        assert network_error_words(PermanentError("dup", code="duplicate")).startswith(
            "le même texte a été publié récemment"
        )
        assert network_error_words(PermanentError(code="2207026")) == (
            "le réseau a refusé la requête (code 2207026)"
        )
