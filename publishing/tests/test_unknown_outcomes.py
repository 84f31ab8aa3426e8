"""Network answers the engine did not hold under (issue 10, section 5): a 5xx after the post was
created, a recurring post with the same text, Facebook's image-and-link caption, a poisoned
lookup, an expired token over many queued posts, and an account-wide rate limit.

Each network is faked at the transport (respx) by a small stateful fake that really creates the
post before it fails, and lists what it created as the network's documented endpoints do."""

import datetime as dt

import httpx
import pytest
import respx
from django.utils import timezone, translation

from agency.tenancy import tenant_scope
from campaigns.models import PostVariant, VariantState
from clients.tests.factories import SocialAccountFactory
from notifications.models import Notification
from publishing import dispatch, reaper, worker
from publishing.tests.fake_networks import FakeNetwork, _now_iso
from publishing.tests.helpers import dispatch_and_publish, fresh, variant_on


@pytest.fixture(autouse=True)
def _in_english():
    with translation.override("en"):
        yield


def run_until_settled(variant, *, rounds: int = 4):
    """The dispatcher and a worker, with time moving on to each retry."""
    now = timezone.now()
    for _ in range(rounds):
        dispatch_and_publish(now=now)
        current = fresh(variant)
        if current.state != VariantState.SCHEDULED:
            return current
        now = (current.next_attempt_at or now) + dt.timedelta(seconds=1)
    return fresh(variant)


@pytest.mark.parametrize("network", ["mastodon", "facebook", "linkedin", "x"])
def test_a_5xx_after_the_post_was_created_is_published_exactly_once(agency_a, brand_a, network):
    fake = FakeNetwork(network, fail_with=502)
    variant = variant_on(agency_a, brand_a, network, text=f"Soirée jazz {network} ce vendredi")
    with respx.mock(assert_all_called=False) as router:
        fake.install(router, variant.social_account)
        variant = run_until_settled(variant)
    assert variant.state == VariantState.PUBLISHED, variant.last_error
    assert fake.creates == 1, "asked the network instead of sending again"
    assert len(fake.created) == 1
    assert variant.external_id == fake.created[0]["id"]
    assert variant.sent_key == "" and variant.unsettled_since is None


def test_a_recurring_post_with_the_same_text_that_never_reached_the_network_is_sent(
    agency_a, brand_a
):
    text = "Happy hour tous les jeudis !"
    earlier = variant_on(agency_a, brand_a, "mastodon", text=text)
    with respx.mock(assert_all_called=False) as router:
        fake = FakeNetwork("mastodon", failures=0)
        fake.install(router, earlier.social_account)
        assert run_until_settled(earlier).state == VariantState.PUBLISHED
        # Last week's post is on the network with the same text, created before this send.
        router.get(url__regex=r"https://mastodon\.social/api/v1/accounts/.*/statuses").mock(
            return_value=httpx.Response(
                200,
                json=[
                    {
                        "id": fake.created[0]["id"],
                        "created_at": (timezone.now() - dt.timedelta(days=7)).isoformat(),
                        "content": f"<p>{text}</p>",
                    }
                ],
            )
        )
        # This week's request never reaches the network (the worker died before the call
        # could be answered): the reaper asks, must not take last week's post for it.
        again = variant_on(agency_a, brand_a, "mastodon", text=text, account=earlier.social_account)
        dispatch.due_variants_claim_across_agencies()
        PostVariant.unscoped.filter(pk=again.pk).update(call_started_at=timezone.now())
        later = timezone.now() + dt.timedelta(hours=1)
        assert reaper.expired_publications_reap_across_agencies(now=later) == {
            again.pk: "republished"
        }
        router.post("https://mastodon.social/api/v1/statuses").mock(
            return_value=httpx.Response(200, json={"id": "777", "url": "u"})
        )
        assert run_until_settled(again).state == VariantState.PUBLISHED
    assert fresh(again).external_id == "777"
    assert fresh(earlier).external_id != fresh(again).external_id


def test_an_id_another_variant_holds_is_never_taken(agency_a, brand_a):
    text = "Même texte, autre publication"
    first = variant_on(agency_a, brand_a, "mastodon", text=text)
    with respx.mock(assert_all_called=False) as router:
        fake = FakeNetwork("mastodon", failures=0)
        fake.install(router, first.social_account)
        assert run_until_settled(first).state == VariantState.PUBLISHED
        second = variant_on(agency_a, brand_a, "mastodon", text=text, account=first.social_account)
        dispatch.due_variants_claim_across_agencies()
        PostVariant.unscoped.filter(pk=second.pk).update(call_started_at=timezone.now())
        decisions = reaper.expired_publications_reap_across_agencies(
            now=timezone.now() + dt.timedelta(hours=1)
        )
    assert decisions == {second.pk: "republished"}, "the first post's id is not the second's"


def test_a_facebook_image_and_link_post_is_found_after_a_dropped_connection(agency_a, brand_a):
    fake = FakeNetwork("facebook", fail_with=httpx.RemoteProtocolError("connection dropped"))
    variant = variant_on(
        agency_a,
        brand_a,
        "facebook",
        text="Notre nouvelle carte",
        link="https://cafe-tanger.ma/carte",
        media_urls=["https://cdn.cafe-tanger.ma/carte.jpg"],
    )
    with respx.mock(assert_all_called=False) as router:
        fake.install(router, variant.social_account)
        assert dispatch_and_publish() == {variant.pk: "published"}
    assert fake.creates == 1
    assert "https://cafe-tanger.ma/carte" in fake.created[0]["text"], "the link is in the caption"
    assert fresh(variant).external_id == fake.created[0]["id"]


def test_a_facebook_image_and_link_post_is_found_by_the_reaper_after_a_worker_kill(
    agency_a, brand_a
):
    fake = FakeNetwork("facebook", failures=0)
    variant = variant_on(
        agency_a,
        brand_a,
        "facebook",
        text="Brunch du dimanche",
        link="https://cafe-tanger.ma/brunch",
        media_urls=["https://cdn.cafe-tanger.ma/brunch.jpg"],
    )
    dispatch.due_variants_claim_across_agencies()
    PostVariant.unscoped.filter(pk=variant.pk).update(call_started_at=timezone.now())
    fake.create("Brunch du dimanche\n\nhttps://cafe-tanger.ma/brunch")  # the killed worker's
    with respx.mock(assert_all_called=False) as router:
        fake.install(router, variant.social_account)
        decisions = reaper.expired_publications_reap_across_agencies(
            now=timezone.now() + dt.timedelta(hours=1)
        )
    assert decisions == {variant.pk: "published"}
    assert fake.creates == 1


def test_a_poisoned_lookup_is_contained_to_its_variant(agency_a, brand_a, agency_b, brand_b):
    poisoned = variant_on(agency_a, brand_a, "mastodon", text="Réponse illisible")
    healthy = variant_on(agency_b, brand_b, "mastodon", text="Jamais parti")
    dispatch.due_variants_claim_across_agencies()
    PostVariant.unscoped.filter(pk=poisoned.pk).update(call_started_at=timezone.now())
    with respx.mock(assert_all_called=False) as router:
        router.get(url__regex=r".*/accounts/.*/statuses").mock(
            return_value=httpx.Response(
                200, text="<html>maintenance</html>", headers={"Content-Type": "text/html"}
            )
        )
        decisions = reaper.expired_publications_reap_across_agencies(
            now=timezone.now() + dt.timedelta(hours=1)
        )
    assert decisions == {poisoned.pk: "needs_attention", healthy.pk: "requeued"}
    assert "could not be read" in fresh(poisoned).last_error


def test_a_poisoned_lookup_after_a_5xx_is_contained_to_its_variant(agency_a, brand_a):
    variant = variant_on(agency_a, brand_a, "mastodon", text="Réponse illisible")
    with respx.mock(assert_all_called=False) as router:
        router.post("https://mastodon.social/api/v1/statuses").mock(
            return_value=httpx.Response(502, text="<html>Bad Gateway</html>")
        )
        router.get(url__regex=r".*/accounts/.*/statuses").mock(
            return_value=httpx.Response(200, text="<html>maintenance</html>")
        )
        assert dispatch_and_publish() == {variant.pk: "transient"}
    variant = fresh(variant)
    assert "could not be asked" in variant.last_error
    assert variant.unsettled_since is not None, "the next attempt asks before any resend"


def test_an_expired_token_over_15_queued_posts_notifies_each_person_once(
    agency_a, brand_a, owner_of_a
):
    account = SocialAccountFactory(
        agency=agency_a, brand=brand_a, network="mastodon", connected_by=owner_of_a.user
    )
    variants = [
        variant_on(agency_a, brand_a, "mastodon", text=f"Post {n}", account=account)
        for n in range(15)
    ]
    with respx.mock(assert_all_called=False) as router:
        router.post("https://mastodon.social/api/v1/statuses").mock(
            return_value=httpx.Response(401, json={"error": "The access token is invalid"})
        )
        dispatch_and_publish()
    assert {fresh(v).state for v in variants} == {VariantState.FAILED}
    verbs = list(
        Notification.unscoped.filter(recipient=owner_of_a.user).values_list("verb", flat=True)
    )
    assert verbs == ["social_account.needs_reconnect"]


def test_an_expired_token_is_refreshed_once_and_the_post_published(agency_a, brand_a, settings):
    settings.SOCIAL_APPS = {**settings.SOCIAL_APPS, "linkedin": ("client", "secret")}
    variant = variant_on(agency_a, brand_a, "linkedin", text="Nouvelle offre")
    with respx.mock(assert_all_called=False) as router:
        create = router.post("https://api.linkedin.com/rest/posts").mock(
            side_effect=[
                httpx.Response(401, json={"status": 401, "message": "Expired token"}),
                httpx.Response(201, headers={"x-restli-id": "urn:li:share:1"}),
            ]
        )
        router.post(url__regex=r"https://www\.linkedin\.com/oauth/v2/accessToken").mock(
            return_value=httpx.Response(
                200, json={"access_token": "renewed", "expires_in": 5184000}
            )
        )
        assert dispatch_and_publish() == {variant.pk: "published"}
    assert create.call_count == 2
    assert create.calls[1].request.headers["Authorization"] == "Bearer renewed"
    assert fresh(variant).social_account.status == "connected"


def test_a_rate_limited_account_holds_back_its_other_due_variants(agency_a, brand_a):
    account = SocialAccountFactory(agency=agency_a, brand=brand_a, network="mastodon")
    variants = [
        variant_on(agency_a, brand_a, "mastodon", text=f"Post {n}", account=account)
        for n in range(5)
    ]
    with respx.mock(assert_all_called=False) as router:
        route = router.post("https://mastodon.social/api/v1/statuses").mock(
            return_value=httpx.Response(429, headers={"Retry-After": "300"}, json={"error": "?"})
        )
        claims = dispatch.due_variants_claim_across_agencies(limit=1)
        with tenant_scope(agency_a):
            worker.variant_publish(
                post_variant_id=claims[0].post_variant_id, attempt=claims[0].attempt
            )
        assert route.call_count == 1
        # The other four are due, but their account waits: nothing is claimed or sent.
        assert dispatch_and_publish() == {}
        assert route.call_count == 1
    waiting = [fresh(v) for v in variants]
    assert {v.state for v in waiting} == {VariantState.SCHEDULED}
    assert sum("slow down" in v.last_error for v in waiting) == 1


def test_an_error_while_handling_one_variant_is_recorded_on_it_and_the_rest_goes_on(
    agency_a, brand_a
):
    broken = variant_on(agency_a, brand_a, "mastodon", text="Ligne abîmée")
    Post = type(broken.post)
    Post.unscoped.filter(pk=broken.post_id).update(media_urls=[{"not": "an address"}])
    healthy = variant_on(
        agency_a, brand_a, "mastodon", text="Tout va bien", account=broken.social_account
    )
    with respx.mock(assert_all_called=False) as router:
        router.post("https://mastodon.social/api/v1/statuses").mock(
            return_value=httpx.Response(200, json={"id": "5", "url": "u"})
        )
        outcomes = dispatch_and_publish()
    assert outcomes == {broken.pk: "needs_attention", healthy.pk: "published"}
    assert "unexpected error" in fresh(broken).last_error


def test_x_refusing_a_resend_as_a_duplicate_finds_the_live_post_instead_of_failing_it(
    agency_a, brand_a
):
    variant = variant_on(agency_a, brand_a, "x", text="Concert ce soir au port")
    with respx.mock(assert_all_called=False) as router:
        router.post("https://api.x.com/2/tweets").mock(
            side_effect=[
                httpx.Response(503, json={"title": "Service Unavailable"}),  # created it
                httpx.Response(
                    403,
                    json={
                        "detail": "You are not allowed to create a Tweet with duplicate content."
                    },
                ),
            ]
        )
        timeline = {"data": [{"id": "42", "text": "Concert ce soir au port", "created_at": ""}]}
        router.get(url__regex=r"https://api\.x\.com/2/users/.*/tweets").mock(
            side_effect=[
                httpx.Response(500, json={"title": "Internal Error"}),  # cannot tell yet
                httpx.Response(500, json={"title": "Internal Error"}),
                httpx.Response(500, json={"title": "Internal Error"}),
                httpx.Response(200, json={"data": []}),  # not listed yet when asked first
                *[
                    httpx.Response(
                        200,
                        json={"data": [{**t, "created_at": _now_iso()} for t in timeline["data"]]},
                    )
                    for _ in range(3)
                ],
            ]
        )
        variant = run_until_settled(variant)
    assert variant.state == VariantState.PUBLISHED, variant.last_error
    assert variant.external_id == "42"
