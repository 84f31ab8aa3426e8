"""The ingestion pipeline, end to end in the database."""

from datetime import UTC, datetime, timedelta

import pytest

from clients.tests.factories import BrandFactory
from reputation import matching
from reputation.models.mentions import Author, Mention, MentionMatch, MentionRollup
from reputation.services.ingest import RawMention, mentions_ingest
from reputation.signals import mentions_ingested
from reputation.tests.factories import ListeningQueryFactory, SourceFactory

# The services run in agency A's tenant scope, as its tasks run them.
pytestmark = pytest.mark.usefixtures("in_agency_a")


@pytest.fixture(autouse=True)
def _fresh_matchers():
    matching.clear_cache()
    yield
    matching.clear_cache()


def _raw(n, text, **extra):
    return RawMention(external_id=f"item-{n}", text=text, url=f"https://x.test/{n}", **extra)


def test_a_mention_matching_two_brands_queries_is_stored_once_per_brand_and_no_other(
    agency_a, agency_b, brand_a, in_agency
):
    other_brand = BrandFactory(agency=agency_a, name="Atlas Télécom", slug="atlas")
    unrelated = BrandFactory(agency=agency_a, name="Souk", slug="souk")
    ListeningQueryFactory(agency=agency_a, brand=brand_a, expression='"café tanger"')
    ListeningQueryFactory(agency=agency_a, brand=other_brand, expression="atlas AND télécom")
    ListeningQueryFactory(agency=agency_a, brand=unrelated, expression="souk")
    # Agency B follows the same words: its queries never see agency A's sources.
    ListeningQueryFactory(agency=agency_b, expression='"café tanger"')
    text = "Partenariat entre CAFE TANGER et Atlas Telecom pour le wifi gratuit."

    result = mentions_ingest(agency_id=agency_a.pk, items=[_raw(1, text)])

    assert result.stored == 2
    rows = Mention.unscoped.filter(external_id="item-1")
    assert {m.brand_id for m in rows} == {brand_a.pk, other_brand.pk}
    assert {m.agency_id for m in rows} == {agency_a.pk}
    with in_agency(agency_a):
        assert MentionMatch.objects.count() == 2


def test_duplicates_by_external_id_and_by_syndicated_story_are_stored_once(agency_a, brand_a):
    ListeningQueryFactory(agency=agency_a, brand=brand_a, expression="tanger")
    story = "<p>Le Café <b>Tanger</b> ouvre à Rabat.</p>"
    first = mentions_ingest(agency_id=agency_a.pk, items=[_raw(1, story), _raw(1, story)])
    again = mentions_ingest(
        agency_id=agency_a.pk,
        items=[_raw(1, story), _raw(2, "Le café   Tanger ouvre à Rabat !", title="")],
    )
    assert first.stored == 1 and first.duplicates == 1
    assert again.stored == 0 and again.duplicates == 2
    assert Mention.unscoped.get().text == "Le Café Tanger ouvre à Rabat."


def test_unmatched_items_are_not_stored(agency_a, brand_a):
    ListeningQueryFactory(agency=agency_a, brand=brand_a, expression="tanger")
    result = mentions_ingest(agency_id=agency_a.pk, items=[_raw(1, "Rien à voir.")])
    assert result.stored == 0 and result.unmatched == 1
    assert not Mention.unscoped.exists()


def test_pipeline_scores_detects_language_upserts_authors_and_rolls_up(
    agency_a, brand_a, django_capture_on_commit_callbacks
):
    ListeningQueryFactory(agency=agency_a, brand=brand_a, expression="tanger")
    when = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)
    items = [
        _raw(
            1,
            "Le café Tanger est excellent, je recommande !",
            published_at=when,
            author_handle="salma",
            author_followers=900,
        ),
        _raw(
            2,
            "Service nul au café Tanger, très déçu 😡",
            published_at=when,
            author_handle="salma",
            author_followers=950,
        ),
        _raw(3, "القهوة ديال tanger خايبة بزاف", published_at=when + timedelta(minutes=10)),
    ]
    received = []

    def receiver(**kwargs):
        received.append(kwargs)

    mentions_ingested.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            mentions_ingest(agency_id=agency_a.pk, items=items)
    finally:
        mentions_ingested.disconnect(receiver)

    by_id = {m.external_id: m for m in Mention.unscoped.all()}
    assert by_id["item-1"].sentiment_label == "positive" and by_id["item-1"].language == "fr"
    assert by_id["item-2"].sentiment_label == "negative"
    assert by_id["item-3"].language == "ary" and by_id["item-3"].sentiment_label == "negative"
    author = Author.unscoped.get(handle="salma")
    assert author.followers == 950 and by_id["item-1"].author_id == author.pk
    rollup = MentionRollup.unscoped.get(brand=brand_a)
    assert rollup.hour == datetime(2026, 11, 20, 9, tzinfo=UTC)
    assert (rollup.volume, rollup.positive, rollup.negative) == (3, 1, 2)
    assert received and received[0]["brand_ids"] == [brand_a.pk]
    assert sorted(received[0]["mention_ids"]) == sorted(m.pk for m in by_id.values())


def test_a_brand_source_feeds_only_its_brand(agency_a, brand_a):
    other = BrandFactory(agency=agency_a, name="Autre", slug="autre")
    ListeningQueryFactory(agency=agency_a, brand=brand_a, expression="tanger")
    ListeningQueryFactory(agency=agency_a, brand=other, expression="tanger")
    source = SourceFactory(agency=agency_a, brand=brand_a)
    mentions_ingest(agency_id=agency_a.pk, items=[_raw(1, "Tanger")], source=source)
    assert list(Mention.unscoped.values_list("brand_id", flat=True)) == [brand_a.pk]


def test_matcher_sees_query_changes_at_the_next_batch(agency_a, brand_a, in_agency):
    query = ListeningQueryFactory(agency=agency_a, brand=brand_a, expression="tanger")
    mentions_ingest(agency_id=agency_a.pk, items=[_raw(1, "Tanger")])
    query.expression = "rabat"
    query.save()
    mentions_ingest(agency_id=agency_a.pk, items=[_raw(2, "Rabat"), _raw(3, "Tanger encore")])
    assert set(Mention.unscoped.values_list("external_id", flat=True)) == {"item-1", "item-2"}


def test_text_is_stripped_of_markup_and_capped(agency_a, brand_a):
    ListeningQueryFactory(agency=agency_a, brand=brand_a, expression="tanger")
    hostile = "<script>alert(1)</script><img src=x onerror=alert(2)>Tanger " + "mot " * 3000
    mentions_ingest(agency_id=agency_a.pk, items=[_raw(1, hostile, title="<b>Titre</b>")])
    mention = Mention.unscoped.get()
    assert "<" not in mention.text and "alert" not in mention.text
    assert len(mention.text) <= 5000 and mention.title == "Titre"
