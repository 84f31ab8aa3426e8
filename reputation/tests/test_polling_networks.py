"""Network sources: searches through the brand's connected account (from a since-cursor) and
the replies to the brand's own published posts; network HTTP faked with respx."""

import pytest

from reputation import matching
from reputation.models.mentions import Mention
from reputation.services.polling import source_poll
from reputation.tests.factories import ListeningQueryFactory, SourceFactory

# The services run in agency A's tenant scope, as its tasks run them.
pytestmark = pytest.mark.usefixtures("in_agency_a")


@pytest.fixture(autouse=True)
def _fresh_matchers():
    matching.clear_cache()
    yield
    matching.clear_cache()


def test_network_search_without_connected_account_explains_itself(agency_a, brand_a, in_agency):
    source = SourceFactory(
        agency=agency_a,
        kind="network_search",
        brand=brand_a,
        network="mastodon",
        search_terms="cafe tanger",
        url="",
    )
    with in_agency(agency_a):
        outcome = source_poll(source=source)
    assert outcome.status == "failed"
    # Stored in the agency's language (French by default) for the people who read it.
    assert "Connectez un compte mastodon" in outcome.error
    agency_a.language = "en"
    agency_a.save()
    with in_agency(agency_a):
        assert "Connect a mastodon account" in source_poll(source=source).error


def _status(status_id, text, *, followers=5000):
    # Shaped like Mastodon's Status entity (docs: entities/Status).
    return {
        "id": status_id,
        "created_at": "2026-11-20T10:00:00.000Z",
        "url": f"https://mastodon.social/@salma/{status_id}",
        "uri": f"https://mastodon.social/users/salma/statuses/{status_id}",
        "content": f"<p>{text}</p>",
        "language": "fr",
        "account": {
            "id": "77",
            "acct": "salma",
            "display_name": "Salma",
            "followers_count": followers,
            "url": "https://mastodon.social/@salma",
        },
    }


def test_network_search_uses_the_connected_account_and_a_since_cursor(agency_a, brand_a, in_agency):
    import httpx
    import respx

    from clients.tests.factories import SocialAccountFactory

    SocialAccountFactory(agency=agency_a, brand=brand_a, network="mastodon")
    ListeningQueryFactory(agency=agency_a, brand=brand_a, expression="tanger")
    source = SourceFactory(
        agency=agency_a,
        kind="network_search",
        brand=brand_a,
        network="mastodon",
        search_terms="cafe tanger",
        url="",
    )
    with respx.mock(assert_all_called=True) as mock:
        route = mock.get("https://mastodon.social/api/v2/search").mock(
            side_effect=[
                httpx.Response(
                    200,
                    json={
                        "statuses": [
                            _status("1002", "Le café Tanger est génial !"),
                            _status("1001", "Café Tanger : service nul."),
                        ]
                    },
                ),
                httpx.Response(200, json={"statuses": []}),
            ]
        )
        with in_agency(agency_a):
            assert source_poll(source=source).status == "ok"
            source.refresh_from_db()
            assert source.cursor == "1002"
            source_poll(source=source)
    assert route.calls[1].request.url.params["min_id"] == "1002"
    mentions = Mention.unscoped.filter(brand=brand_a).select_related("author")
    assert {m.external_id for m in mentions} == {"1001", "1002"}
    assert {m.sentiment_label for m in mentions} == {"positive", "negative"}
    assert all(m.author.followers == 5000 and m.reach == 5000 for m in mentions)


def test_owned_comments_read_the_replies_to_the_brands_published_posts(
    agency_a, brand_a, in_agency
):
    import datetime as dt

    import httpx
    import respx
    from django.utils import timezone

    from campaigns.tests.factories import PostVariantFactory
    from clients.tests.factories import SocialAccountFactory

    account = SocialAccountFactory(agency=agency_a, brand=brand_a, network="mastodon")
    recent = PostVariantFactory(
        agency=agency_a,
        post__brand=brand_a,
        social_account=account,
        state="published",
        external_id="5001",
        published_at=timezone.now() - dt.timedelta(days=1),
    )
    PostVariantFactory(  # too old to be read again
        agency=agency_a,
        post__brand=brand_a,
        social_account=account,
        state="published",
        external_id="4001",
        published_at=timezone.now() - dt.timedelta(days=40),
    )
    source = SourceFactory(
        agency=agency_a, kind="owned_comments", brand=brand_a, network="mastodon", url=""
    )
    reply = _status("5002", "Service nul, commande jamais arrivée.")
    reply["in_reply_to_id"] = recent.external_id
    with respx.mock(assert_all_called=True) as mock:
        # Shaped like Mastodon's Context entity (GET /api/v1/statuses/:id/context).
        route = mock.get("https://mastodon.social/api/v1/statuses/5001/context").mock(
            return_value=httpx.Response(200, json={"ancestors": [], "descendants": [reply]})
        )
        # The account's mentions are read too (test_polling_owned_mentions): none here.
        mock.get("https://mastodon.social/api/v1/notifications").mock(
            return_value=httpx.Response(200, json=[])
        )
        # And its own statuses, for posts not published through us (none here).
        mock.get(url__regex=r"https://mastodon\.social/api/v1/accounts/[^/]+/statuses").mock(
            return_value=httpx.Response(200, json=[])
        )
        with in_agency(agency_a):
            assert source_poll(source=source).status == "ok"
            source_poll(source=source)  # the same reply again: stored once
    assert route.call_count == 2
    source.refresh_from_db()
    assert source.cursor.startswith("2026-11-20T10:00:00")
    mention = Mention.unscoped.get(brand=brand_a)
    assert mention.external_id == "5002" and mention.sentiment_label == "negative"
    assert source.last_error == ""
