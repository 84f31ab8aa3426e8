"""A YouTube network search: the source goes on from the newest video's publication time
(YouTube's publishedAfter), not from a video id; network HTTP faked with respx."""

import httpx
import pytest
import respx

from clients.tests.factories import SocialAccountFactory
from reputation import matching
from reputation.models.mentions import Mention
from reputation.services.polling import source_poll
from reputation.tests.factories import ListeningQueryFactory, SourceFactory

pytestmark = pytest.mark.usefixtures("in_agency_a")

SEARCH = "https://www.googleapis.com/youtube/v3/search"


@pytest.fixture(autouse=True)
def _fresh_matchers():
    matching.clear_cache()
    yield
    matching.clear_cache()


def _result(video_id, title, published):
    # Shaped like search.list's searchResult (YouTube Data API reference: Search).
    return {
        "kind": "youtube#searchResult",
        "id": {"kind": "youtube#video", "videoId": video_id},
        "snippet": {
            "publishedAt": published,
            "channelId": "UCm1n2b3v4c5x6z7l8k9j0hA",
            "title": title,
            "description": "",
            "channelTitle": "Nomade &amp; Co",
        },
    }


def test_youtube_search_goes_on_from_the_newest_publication_time(agency_a, brand_a, in_agency):
    SocialAccountFactory(agency=agency_a, brand=brand_a, network="youtube")
    ListeningQueryFactory(agency=agency_a, brand=brand_a, expression="tanger")
    source = SourceFactory(
        agency=agency_a,
        kind="network_search",
        brand=brand_a,
        network="youtube",
        search_terms="cafe tanger",
        url="",
    )
    first = {
        "items": [
            _result("Zx9Yw8Vu7Ts", "Le café Tanger est génial", "2026-12-05T18:00:00Z"),
            _result("a8hZLWLk_bs", "Café Tanger, service nul", "2026-12-04T09:00:00Z"),
        ]
    }
    with respx.mock(assert_all_called=True) as mock:
        route = mock.get(SEARCH).mock(
            side_effect=[httpx.Response(200, json=first), httpx.Response(200, json={"items": []})]
        )
        with in_agency(agency_a):
            assert source_poll(source=source).status == "ok"
            source.refresh_from_db()
            assert source.cursor.startswith("2026-12-05T18:00:00")
            source_poll(source=source)
    assert route.calls[1].request.url.params["publishedAfter"] == "2026-12-05T18:00:00Z"
    mentions = Mention.unscoped.filter(brand=brand_a).select_related("author")
    assert {m.external_id for m in mentions} == {"Zx9Yw8Vu7Ts", "a8hZLWLk_bs"}
    assert {m.author.name for m in mentions} == {"Nomade & Co"}


def test_a_youtube_search_may_not_poll_faster_than_its_quota_allows(owner_of_a, brand_a):
    from django.core.exceptions import ValidationError
    from django.utils import translation

    from reputation.models.sources import SourceKind
    from reputation.services.sources import source_create, source_update

    def create(minutes):
        return source_create(
            actor=owner_of_a,
            kind=SourceKind.NETWORK_SEARCH,
            brand_id=brand_a.pk,
            network="youtube",
            search_terms="Café Tanger",
            poll_interval_minutes=minutes,
        )

    with translation.override("en"), pytest.raises(ValidationError) as refused:
        create(15)
    assert refused.value.message_dict["poll_interval_minutes"] == [
        "YouTube searches use much of its daily quota: poll between every 60 minutes and "
        "once a day."
    ]
    source = create(60)
    with pytest.raises(ValidationError):
        source_update(actor=owner_of_a, source=source, poll_interval_minutes=30)
    mastodon = source_create(
        actor=owner_of_a,
        kind=SourceKind.NETWORK_SEARCH,
        brand_id=brand_a.pk,
        network="mastodon",
        search_terms="Café Tanger",
        poll_interval_minutes=15,
    )
    assert mastodon.poll_interval_minutes == 15
