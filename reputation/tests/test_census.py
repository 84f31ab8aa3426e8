"""The community census: places where a brand is discussed, ranked by volume, reach,
sentiment and recency, with whether a source follows them; bounded queries; client roles
see their brands' places only; page, CSV and API."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from clients.tests.factories import BrandFactory
from reputation.models.mentions import Mention
from reputation.places import place_of
from reputation.selectors.census import census_page
from reputation.services.ingest import RawMention, mentions_ingest
from reputation.tests.factories import (
    AuthorFactory,
    ListeningQueryFactory,
    MentionFactory,
    SourceFactory,
)

pytestmark = pytest.mark.usefixtures("in_agency_a")


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.mark.parametrize(
    ("network", "url", "handle", "place"),
    [
        ("web", "https://www.le360.example/eco/1", "", "web:le360.example"),
        (
            "discourse",
            "https://forum.example/t/x/3/1",
            "salma@forum.example",
            "discourse:forum.example",
        ),
        ("reddit", "https://www.reddit.com/r/Morocco/comments/1/x/", "casa", "reddit:r/Morocco"),
        ("web", "https://www.reddit.com/r/Maroc/comments/2/y/", "", "reddit:r/Maroc"),
        ("mastodon", "https://mastodon.social/@salma/1", "salma", "mastodon:@salma"),
        ("web", "", "", ""),
        ("x", "https://x.com/i/1", "", ""),
    ],
)
def test_a_mention_s_place_is_its_site_forum_subreddit_or_account(network, url, handle, place):
    assert place_of(network, url, handle) == place


def test_the_pipeline_stores_each_mention_s_place(agency_a, brand_a):
    ListeningQueryFactory(agency=agency_a, brand=brand_a, expression='"cafe tanger"')
    mentions_ingest(
        agency_id=agency_a.pk,
        items=[
            RawMention(
                external_id="1", url="https://blog.example/p/1", text="Le café tanger est bon"
            ),
            RawMention(
                external_id="2",
                url="https://mastodon.social/@salma/2",
                text="café tanger encore",
                network="mastodon",
                author_handle="salma",
            ),
        ],
    )
    assert set(Mention.unscoped.values_list("place", flat=True)) == {
        "web:blog.example",
        "mastodon:@salma",
    }


def _mention(agency, brand, place, *, author=None, label="neutral", days_ago=1, **extra):
    return MentionFactory(
        agency=agency,
        brand=brand,
        place=place,
        author=author,
        source=None,
        sentiment_label=label,
        published_at=timezone.now() - timedelta(days=days_ago),
        **extra,
    )


@pytest.fixture
def places(agency_a, brand_a):
    big = AuthorFactory(agency=agency_a, followers=50_000)
    small = AuthorFactory(agency=agency_a, followers=300)
    unknown = AuthorFactory(agency=agency_a, followers=None)
    # A forum: three mentions, two of them negative, by two people (one wrote twice).
    for label in ("negative", "negative", "positive"):
        _mention(agency_a, brand_a, "discourse:forum.example", author=small, label=label)
    _mention(agency_a, brand_a, "discourse:forum.example", author=unknown, days_ago=10)
    # A news site: two mentions by a widely followed author, the latest of all.
    _mention(agency_a, brand_a, "web:le360.example", author=big, label="positive", days_ago=0)
    _mention(agency_a, brand_a, "web:le360.example", author=big, label="positive")
    # An account, once; and a mention outside the 90 days, which does not count.
    _mention(agency_a, brand_a, "mastodon:@salma", author=small, days_ago=3)
    _mention(agency_a, brand_a, "web:old.example", author=small, days_ago=200)
    SourceFactory(agency=agency_a, url="https://www.le360.example/rss")


def _names(actor, **kwargs):
    since = timezone.now() - timedelta(days=90)
    rows, total = census_page(actor, since=since, until=timezone.now(), **kwargs)
    return [r.place for r in rows], total, rows


def test_places_are_ranked_by_volume_reach_sentiment_and_recency(owner_of_a, places):
    by_volume, total, rows = _names(owner_of_a)
    assert total == 3
    assert by_volume == ["discourse:forum.example", "web:le360.example", "mastodon:@salma"]
    forum = rows[0]
    assert (forum.volume, forum.negative, forum.positive) == (4, 2, 1)
    assert forum.reach == 300  # each known author counted once; unknown followers ignored
    assert rows[1].reach == 50_000
    assert (rows[1].followed, forum.followed) == (True, False)
    assert rows[1].url == "https://le360.example/"
    assert _names(owner_of_a, order="reach")[0][0] == "web:le360.example"
    assert _names(owner_of_a, order="negative")[0][0] == "discourse:forum.example"
    assert _names(owner_of_a, order="positive")[0][0] == "web:le360.example"
    assert _names(owner_of_a, order="recent")[0][0] == "web:le360.example"


def test_the_census_takes_three_queries_however_many_places(
    owner_of_a, agency_a, brand_a, places, django_assert_num_queries
):
    for n in range(30):
        _mention(agency_a, brand_a, f"web:site{n}.example", author=AuthorFactory(agency=agency_a))
    with django_assert_num_queries(3):
        rows, total = census_page(owner_of_a, since=timezone.now() - timedelta(days=90))
    assert (len(rows), total) == (25, 33)
    with django_assert_num_queries(3):
        rows, _total = census_page(
            owner_of_a, since=timezone.now() - timedelta(days=90), page=2, order="reach"
        )
    assert len(rows) == 8


def test_a_client_sees_only_the_places_of_their_brands(client_of_a, agency_a, places):
    other = BrandFactory(agency=agency_a, name="Atlas Télécom")
    _mention(agency_a, other, "web:secret.example")
    seen, _total, _rows = _names(client_of_a)
    assert "web:secret.example" not in seen
    assert "discourse:forum.example" in seen


def test_the_page_ranks_paginates_and_exports(owner_of_a, agency_a, brand_a, places, login):
    client = login(owner_of_a)
    page = client.get("/listening/census/", {"order": "reach", "brand": brand_a.pk})
    assert page.status_code == 200
    body = page.content.decode()
    assert body.index("le360.example") < body.index("forum.example")
    assert 'href="/listening/census/"' in client.get("/listening/").content.decode()

    export = client.get("/listening/census/export.csv", {"brand": brand_a.pk})
    assert export["Content-Type"].startswith("text/csv")
    lines = export.content.decode("utf-8-sig").splitlines()
    assert len(lines) == 4
    assert lines[1].startswith("forum.example,discourse,https://forum.example/,4,300,")

    for n in range(30):
        _mention(agency_a, brand_a, f"web:site{n}.example")
    second = client.get("/listening/census/", {"page": 2, "order": "bogus", "days": "13"})
    assert second.status_code == 200
    assert "page=1" in second.content.decode()  # the link back to the first page


def test_the_page_has_an_empty_state(owner_of_a, login):
    body = login(owner_of_a).get("/listening/census/").content.decode()
    assert "Mentions appear here once sources have been polled" in body or "0 " in body


def test_the_api_gives_the_census_and_refuses_an_unknown_order(owner_of_a, places, api_as):
    api = api_as(owner_of_a)
    body = api.get("/api/v1/listening/census/", {"order": "negative"}).json()
    assert body["count"] == 3 and body["days"] == 90
    first = body["results"][0]
    assert first["place"] == "discourse:forum.example"
    assert (first["mentions"], first["reach"], first["followed"]) == (4, 300, False)
    assert first["negative_share"] == 0.5
    refused = api.get("/api/v1/listening/census/", {"order": "loudest"})
    assert refused.status_code == 400
    assert "order" in refused.json()["error"]["fields"]
