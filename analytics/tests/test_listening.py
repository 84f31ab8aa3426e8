"""The listening summary of brands over a period: mention volume and its change, sentiment,
e-reputation score per day in the brand's time zone, share of voice against the competitors of
the brand's queries, the crises running in the period, and quotes (Arabic right-to-left);
constant queries; a client role sees its brands only; another agency's rows never count."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from agency.tenancy import tenant_scope
from analytics.periods import Period
from analytics.selectors.listening import brand_listening
from clients.tests.factories import BrandFactory
from reputation.tests.factories import (
    CrisisIncidentFactory,
    ListeningQueryFactory,
    MentionFactory,
    MentionRollupFactory,
)

CASABLANCA = ZoneInfo("Africa/Casablanca")  # UTC+1 in November 2026
NOVEMBER = Period(dt.date(2026, 11, 1), dt.date(2026, 11, 30))
OCTOBER = NOVEMBER.preceding()


def _utc(*args):
    return dt.datetime(*args, tzinfo=dt.UTC)


def _rollup(agency, brand, hour, *, voice="", positive=0, neutral=0, negative=0, score=0.0):
    return MentionRollupFactory(
        agency=agency,
        brand=brand,
        hour=hour,
        voice=voice,
        volume=positive + neutral + negative,
        positive=positive,
        neutral=neutral,
        negative=negative,
        sentiment_sum=score,
    )


@pytest.fixture
def listening(agency_a, brand_a, agency_b, brand_b):
    with tenant_scope(agency_a.pk):
        ListeningQueryFactory(
            agency=agency_a, brand=brand_a, is_competitor=True, competitor_name="Café Rival"
        )
        ListeningQueryFactory(agency=agency_a, brand=brand_a, is_competitor=True, name="Zeta")
        # 23:00 UTC on 31 October is midnight on 1 November in Casablanca.
        _rollup(agency_a, brand_a, _utc(2026, 10, 31, 23), positive=2, neutral=1, score=1.0)
        _rollup(agency_a, brand_a, _utc(2026, 11, 10, 9), neutral=1, negative=2, score=-1.5)
        _rollup(agency_a, brand_a, _utc(2026, 11, 12, 9), voice="Café Rival", positive=6)
        _rollup(agency_a, brand_a, _utc(2026, 10, 15, 9), positive=1, neutral=1, score=0.4)
        _rollup(agency_a, brand_a, _utc(2026, 10, 15, 9), voice="Café Rival", neutral=2)
        # Outside both periods.
        _rollup(agency_a, brand_a, _utc(2026, 12, 1, 9), negative=9, score=-9.0)
    with tenant_scope(agency_b.pk):
        _rollup(agency_b, brand_b, _utc(2026, 11, 10, 9), negative=50, score=-40.0)


def test_mention_volume_sentiment_and_change_against_the_previous_period(
    agency_a, brand_a, owner_of_a, listening
):
    with tenant_scope(agency_a.pk):
        summary = brand_listening(
            owner_of_a, brand_ids=[brand_a.pk], tz=CASABLANCA, period=NOVEMBER, comparison=OCTOBER
        )
    assert summary.mentions == 6
    assert summary.mentions_previous == 2
    assert summary.mentions_change == pytest.approx(2.0)
    assert (summary.sentiment.positive, summary.sentiment.neutral) == (2, 2)
    assert summary.sentiment.negative == 2
    assert summary.sentiment.negative_share == pytest.approx(1 / 3)
    assert summary.sentiment_previous.positive == 1


def test_reputation_score_follows_reputations_definition_per_day_in_the_brands_zone(
    agency_a, brand_a, owner_of_a, listening
):
    with tenant_scope(agency_a.pk):
        summary = brand_listening(
            owner_of_a, brand_ids=[brand_a.pk], tz=CASABLANCA, period=NOVEMBER, comparison=OCTOBER
        )
    # 50 + 50 × Σscore / (mentions + 5)
    assert summary.reputation_score == round(50 + 50 * (1.0 - 1.5) / (6 + 5))
    assert summary.reputation_score_previous == round(50 + 50 * 0.4 / (2 + 5))
    assert summary.reputation_score_change == (
        summary.reputation_score - summary.reputation_score_previous
    )
    assert [d.day for d in summary.by_day] == NOVEMBER.dates()
    first, tenth, quiet = summary.by_day[0], summary.by_day[9], summary.by_day[1]
    assert (first.mentions, first.positive) == (3, 2)
    assert first.reputation_score == round(50 + 50 * 1.0 / 8)
    assert (tenth.mentions, tenth.negative) == (3, 2)
    assert (quiet.mentions, quiet.reputation_score) == (0, 50)


def test_share_of_voice_counts_the_brand_against_each_competitor_of_its_queries(
    agency_a, brand_a, owner_of_a, listening
):
    with tenant_scope(agency_a.pk):
        summary = brand_listening(
            owner_of_a, brand_ids=[brand_a.pk], tz=CASABLANCA, period=NOVEMBER, comparison=OCTOBER
        )
    (sov,) = summary.share_of_voice
    assert sov.brand_id == brand_a.pk and sov.mentions == 12
    voices = [(v.name, v.is_brand, v.mentions, v.mentions_previous) for v in sov.voices]
    assert voices == [
        ("Café Tanger", True, 6, 2),
        ("Café Rival", False, 6, 2),
        ("Zeta", False, 0, 0),
    ]
    assert sov.voices[0].share == pytest.approx(0.5)
    assert sov.voices[2].share == 0
    assert sov.voices[0].share_previous == pytest.approx(0.5)


def test_crises_running_in_the_period_with_what_opened_and_closed_in_it(
    agency_a, brand_a, owner_of_a, listening
):
    with tenant_scope(agency_a.pk):
        inside = CrisisIncidentFactory(
            agency=agency_a,
            brand=brand_a,
            severity="critical",
            state="resolved",
            opened_at=_utc(2026, 11, 5, 8),
            resolved_at=_utc(2026, 11, 6, 8),
        )
        running = CrisisIncidentFactory(
            agency=agency_a, brand=brand_a, severity="high", opened_at=_utc(2026, 10, 20, 8)
        )
        CrisisIncidentFactory(
            agency=agency_a,
            brand=brand_a,
            state="resolved",
            opened_at=_utc(2026, 9, 1, 8),
            resolved_at=_utc(2026, 9, 2, 8),
        )
        summary = brand_listening(
            owner_of_a, brand_ids=[brand_a.pk], tz=CASABLANCA, period=NOVEMBER, comparison=OCTOBER
        )
    crises = summary.crises
    assert [c.id for c in crises.incidents] == [running.pk, inside.pk]
    assert (crises.opened, crises.resolved, crises.opened_previous) == (1, 1, 1)
    assert crises.opened_by_severity == {"medium": 0, "high": 0, "critical": 1}
    assert crises.incidents[0].opened_in_period is False
    assert crises.incidents[1].severity_label


def test_quotes_are_the_most_engaged_mentions_with_arabic_right_to_left(
    agency_a, brand_a, owner_of_a
):
    with tenant_scope(agency_a.pk):
        at = _utc(2026, 11, 8, 12)
        arabic = MentionFactory(
            agency=agency_a,
            brand=brand_a,
            text="الخدمة زوينة بزاف في مقهى طنجة",
            language="ary",
            sentiment_label="positive",
            engagement=90,
            published_at=at,
        )
        MentionFactory(
            agency=agency_a,
            brand=brand_a,
            text="Service lent aujourd'hui",
            sentiment_label="negative",
            engagement=5,
            published_at=at,
        )
        for engagement in (1, 0):
            MentionFactory(
                agency=agency_a,
                brand=brand_a,
                sentiment_label="positive",
                engagement=engagement,
                published_at=at,
            )
        MentionFactory(  # a competitor's: not a quote of the brand
            agency=agency_a,
            brand=brand_a,
            voice="Café Rival",
            sentiment_label="negative",
            engagement=500,
            published_at=at,
        )
        MentionFactory(  # outside the period
            agency=agency_a,
            brand=brand_a,
            sentiment_label="negative",
            published_at=_utc(2026, 12, 2),
        )
        summary = brand_listening(
            owner_of_a, brand_ids=[brand_a.pk], tz=CASABLANCA, period=NOVEMBER, comparison=None
        )
    quotes = summary.quotes
    assert [q.sentiment for q in quotes] == ["negative", "positive", "positive"]
    assert quotes[1].mention_id == arabic.pk
    assert quotes[1].text == "الخدمة زوينة بزاف في مقهى طنجة"
    assert (quotes[1].direction, quotes[0].direction) == ("rtl", "ltr")
    assert quotes[1].author and quotes[1].network and quotes[1].language == "ary"
    assert summary.mentions_previous is None and summary.mentions_change is None


def test_client_role_sees_only_its_brands_figures(agency_a, brand_a, client_of_a, listening):
    with tenant_scope(agency_a.pk):
        other = BrandFactory(agency=agency_a, name="Autre Marque")
        _rollup(agency_a, other, _utc(2026, 11, 10, 9), negative=40, score=-30.0)
        summary = brand_listening(
            client_of_a,
            brand_ids=[brand_a.pk, other.pk],
            tz=CASABLANCA,
            period=NOVEMBER,
            comparison=OCTOBER,
        )
    assert summary.brand_ids == [brand_a.pk]
    assert summary.mentions == 6
    assert [s.brand_id for s in summary.share_of_voice] == [brand_a.pk]


def test_all_brands_the_actor_sees_when_none_is_chosen(agency_a, brand_a, owner_of_a, listening):
    with tenant_scope(agency_a.pk):
        other = BrandFactory(agency=agency_a, name="Autre Marque")
        _rollup(agency_a, other, _utc(2026, 11, 10, 9), negative=4, score=-3.0)
        summary = brand_listening(
            owner_of_a, brand_ids=None, tz="Africa/Casablanca", period=NOVEMBER, comparison=None
        )
    assert summary.mentions == 10  # 6 of Café Tanger, 4 of the other; agency B's never
    assert [s.brand_name for s in summary.share_of_voice] == ["Autre Marque", "Café Tanger"]


def test_listening_summary_reads_in_constant_queries(
    agency_a, brand_a, owner_of_a, listening, django_assert_num_queries
):
    def count(brand_ids):
        with tenant_scope(agency_a.pk), django_assert_num_queries(11) as ctx:
            brand_listening(
                owner_of_a, brand_ids=brand_ids, tz=CASABLANCA, period=NOVEMBER, comparison=OCTOBER
            )
        return len(ctx.captured_queries)

    one = count([brand_a.pk])
    with tenant_scope(agency_a.pk):
        brands = [BrandFactory(agency=agency_a) for _ in range(3)]
        for brand in brands:
            ListeningQueryFactory(agency=agency_a, brand=brand, is_competitor=True)
            _rollup(agency_a, brand, _utc(2026, 11, 3, 9), positive=3, score=1.0)
            CrisisIncidentFactory(agency=agency_a, brand=brand, opened_at=_utc(2026, 11, 4))
            MentionFactory(agency=agency_a, brand=brand, published_at=_utc(2026, 11, 4))
    assert count([brand_a.pk, *(b.pk for b in brands)]) == one
