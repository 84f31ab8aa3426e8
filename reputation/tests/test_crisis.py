"""Crisis incidents end to end on stored mentions: synthetic seasonal history as rollups, the
evaluated hours as real Mention rows, the same services the tasks call."""

import random
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from notifications.models import Notification
from reputation import crisis_sim
from reputation.crisis_tasks import _evaluate_on_ingest
from reputation.models.crises import CrisisIncident, CrisisState, IncidentEvent
from reputation.models.mentions import Mention, MentionRollup
from reputation.selectors.crises import crisis_rule_for
from reputation.services.crisis_evaluation import _link_mentions, crisis_evaluate_brand
from reputation.tests.factories import AuthorFactory, CrisisIncidentFactory, SourceFactory
from webhooks.models import WebhookDelivery
from webhooks.tests.factories import WebhookEndpointFactory

# The services run in agency A's tenant scope, as its tasks run them.
pytestmark = pytest.mark.usefixtures("in_agency_a")

# A round UTC hour, far enough from "now" that nothing else interferes.
T0 = timezone.now().replace(minute=0, second=0, microsecond=0) - timedelta(days=60)


def _history(brand, *, per_hour, weeks, seed, start=T0):
    """Hourly rollups of a simulated seasonal NB stream, `weeks` long, from `start`."""
    stream = crisis_sim.simulate_stream(
        random.Random(seed), per_hour=per_hour, alpha=0.15, weeks=weeks
    )
    rows = []
    for index, (_, volume, negative) in enumerate(stream.hourly(0, len(stream.volume))):
        rows.append(
            MentionRollup(
                agency_id=brand.agency_id,
                brand=brand,
                hour=start + timedelta(hours=index),
                volume=volume,
                negative=negative,
                neutral=volume - negative,
            )
        )
    MentionRollup.unscoped.bulk_create(rows)
    return stream


def _mentions(brand, times, *, negative=True, text="Service décevant", followers=500):
    source = SourceFactory(agency=brand.agency)
    author = AuthorFactory(agency=brand.agency, followers=followers)
    base = Mention.unscoped.count()
    Mention.unscoped.bulk_create(
        [
            Mention(
                agency_id=brand.agency_id,
                brand=brand,
                source=source,
                author=author,
                external_id=f"m-{base + i}",
                fingerprint=f"{base + i:040d}",
                text=text,
                sentiment_label="negative" if negative else "neutral",
                sentiment_score=-0.6 if negative else 0.0,
                published_at=when,
            )
            for i, when in enumerate(times)
        ]
    )


def _stream_mentions(brand, stream, first_slot, last_slot, start):
    """Mention rows for slots [first_slot, last_slot) of a simulated stream."""
    negatives, others = [], []
    for slot in range(first_slot, last_slot):
        when = start + (slot - first_slot) * crisis_sim.SLOT
        negatives += [when + timedelta(seconds=10 * i) for i in range(stream.negative[slot])]
        others += [
            when + timedelta(seconds=10 * i)
            for i in range(stream.volume[slot] - stream.negative[slot])
        ]
    _mentions(brand, negatives)
    _mentions(brand, others, negative=False, text="Bon café")


@pytest.fixture
def busy_brand(brand_a):
    """Café Tanger with four weeks of busy history (50 mentions/hour) before NOW."""
    _history(brand_a, per_hour=50, weeks=4, seed=21)
    return brand_a


NOW = T0 + timedelta(weeks=4, days=1)


def test_four_normal_weeks_open_no_incident(busy_brand, owner_of_a):
    stream = crisis_sim.simulate_stream(random.Random(22), per_hour=50, alpha=0.15, weeks=1)
    day = 24 * crisis_sim.SLOTS_PER_HOUR
    start = NOW - timedelta(days=1)
    _stream_mentions(busy_brand, stream, 0, day, start)
    for hours in range(1, 25, 2):
        assert crisis_evaluate_brand(brand=busy_brand, now=start + timedelta(hours=hours)) == []
    assert not CrisisIncident.unscoped.exists()


def test_a_negative_burst_opens_one_incident_within_a_cycle_and_it_grows(
    busy_brand, owner_of_a, agency_a
):
    WebhookEndpointFactory(agency=agency_a, events=["crisis.opened", "crisis.updated"])
    stream = crisis_sim.simulate_stream(random.Random(23), per_hour=50, alpha=0.15, weeks=1)
    start = NOW - timedelta(hours=3)
    _stream_mentions(busy_brand, stream, 0, 5 * crisis_sim.SLOTS_PER_HOUR, start)
    burst_start = NOW - timedelta(hours=1)
    # Four times the usual negative mentions (about 30 more an hour), every two minutes.
    _mentions(busy_brand, [burst_start + timedelta(minutes=2 * i) for i in range(60)])

    assert crisis_evaluate_brand(brand=busy_brand, now=burst_start) == []
    opened = []
    for minutes in (15, 30, 45, 60):
        opened += crisis_evaluate_brand(
            brand=busy_brand, now=burst_start + timedelta(minutes=minutes)
        )
    incidents = list(CrisisIncident.unscoped.all())
    assert len(incidents) == 1
    incident = incidents[0]
    assert incident.cause == "negative" and incident.state == CrisisState.OPEN
    first_count = incident.mention_count
    assert first_count > 0

    # It keeps growing: more negative mentions, the same incident, updated.
    _mentions(busy_brand, [NOW + timedelta(minutes=i) for i in range(60)])
    crisis_evaluate_brand(brand=busy_brand, now=NOW + timedelta(minutes=61))
    assert CrisisIncident.unscoped.count() == 1
    incident.refresh_from_db()
    assert incident.mention_count > first_count
    kinds = list(IncidentEvent.unscoped.values_list("kind", flat=True).order_by("id"))
    assert kinds[0] == "opened" and "updated" in kinds
    events = list(WebhookDelivery.unscoped.values_list("event", flat=True).order_by("id"))
    assert events[0] == "crisis.opened" and "crisis.updated" in events
    assert Notification.unscoped.filter(verb="crisis.opened", recipient=owner_of_a.user).exists()


def test_three_negative_posts_for_a_small_brand_alert_nobody(brand_a, owner_of_a):
    _history(brand_a, per_hour=2, weeks=4, seed=24)
    _mentions(brand_a, [NOW - timedelta(minutes=m) for m in (5, 20, 40)])
    for minutes in (0, 15, 30):
        assert crisis_evaluate_brand(brand=brand_a, now=NOW + timedelta(minutes=minutes)) == []
    assert not Notification.unscoped.exists()


def test_trigger_words_open_an_incident_even_without_history(brand_a, owner_of_a):
    _mentions(
        brand_a,
        [NOW - timedelta(minutes=m) for m in (3, 10, 25)],
        text="C'est une arnaque, boycott ! فضيحة",
    )
    [incident] = crisis_evaluate_brand(brand=brand_a, now=NOW)
    assert incident.cause == "trigger_words"
    assert set(incident.stats["trigger_words"]["words"]) >= {"arnaque", "boycott"}


def test_a_large_audience_negative_mention_is_critical_at_ten_times_the_threshold(brand_a):
    _mentions(brand_a, [NOW - timedelta(minutes=5)], followers=2_000_000)
    [incident] = crisis_evaluate_brand(brand=brand_a, now=NOW)
    assert (incident.cause, incident.severity) == ("high_reach", "critical")


def test_state_machine_acknowledge_then_resolve_with_a_summary(brand_a, member_of_a, api_as):
    incident = CrisisIncidentFactory(agency=brand_a.agency, brand=brand_a)
    client = api_as(member_of_a)
    response = client.post(f"/api/v1/crisis-incidents/{incident.pk}/acknowledge/")
    assert response.status_code == 200 and response.json()["state"] == "acknowledged"
    assert response.json()["owner"] == member_of_a.user.email
    again = client.post(f"/api/v1/crisis-incidents/{incident.pk}/acknowledge/")
    assert again.status_code == 400
    no_summary = client.post(f"/api/v1/crisis-incidents/{incident.pk}/resolve/", {"summary": " "})
    assert no_summary.status_code == 400
    done = client.post(
        f"/api/v1/crisis-incidents/{incident.pk}/resolve/",
        {"summary": "Rappel produit expliqué."},
        format="json",
    )
    assert done.status_code == 200 and done.json()["state"] == "resolved"
    kinds = [
        e["kind"] for e in client.get(f"/api/v1/crisis-incidents/{incident.pk}/events/").json()
    ]
    assert kinds == ["acknowledged", "resolved"]


def test_cooldown_keeps_a_resolved_cause_quiet(brand_a):
    CrisisIncidentFactory(
        agency=brand_a.agency,
        brand=brand_a,
        cause="high_reach",
        state="resolved",
        resolved_at=NOW - timedelta(hours=1),
    )
    _mentions(brand_a, [NOW - timedelta(minutes=5)], followers=500_000)
    assert crisis_evaluate_brand(brand=brand_a, now=NOW) == []


def test_a_calm_incident_gets_a_resolve_suggestion(brand_a):
    _history(brand_a, per_hour=50, weeks=4, seed=25)
    incident = CrisisIncidentFactory(
        agency=brand_a.agency, brand=brand_a, last_signal_at=NOW - timedelta(hours=3)
    )
    crisis_evaluate_brand(brand=brand_a, now=NOW)
    incident.refresh_from_db()
    assert incident.resolve_suggested_at is not None


def test_ingesting_mentions_queues_an_evaluation_per_brand(brand_a, monkeypatch):
    queued = []
    monkeypatch.setattr(
        "reputation.crisis_tasks.evaluate_brand_crises.delay", lambda **kw: queued.append(kw)
    )
    _evaluate_on_ingest(sender=Mention, agency_id=brand_a.agency_id, brand_ids=[brand_a.pk])
    assert queued == [{"agency_id": brand_a.agency_id, "brand_id": brand_a.pk}]


def test_client_sees_only_incidents_of_their_brands(client_of_a, agency_a, brand_a, api_as, login):
    from clients.tests.factories import BrandFactory

    mine = CrisisIncidentFactory(agency=agency_a, brand=brand_a)
    CrisisIncidentFactory(agency=agency_a, brand=BrandFactory(agency=agency_a))
    rows = api_as(client_of_a).get("/api/v1/crisis-incidents/").json()["results"]
    assert [row["id"] for row in rows] == [mine.pk]
    page = login(client_of_a).get(reverse("dashboard:crises"))
    assert page.status_code == 200


def test_incident_page_shows_chart_mentions_timeline_and_the_banner(owner_of_a, brand_a, login):
    _history(brand_a, per_hour=2, weeks=1, seed=26, start=timezone.now() - timedelta(days=3))
    incident = CrisisIncidentFactory(agency=brand_a.agency, brand=brand_a)
    _mentions(brand_a, [timezone.now() - timedelta(minutes=5)], text="Un vrai <b>scandale</b>")
    _link_mentions(incident, list(Mention.unscoped.values_list("pk", flat=True)))
    client = login(owner_of_a)
    body = client.get(reverse("dashboard:crisis_incident", args=[incident.pk])).content.decode()
    assert "<svg" in body and "<polyline" in body
    assert "Un vrai &lt;b&gt;scandale&lt;/b&gt;" in body
    assert 'class="alert alert-danger' in client.get(reverse("dashboard:overview")).content.decode()


def test_rule_page_saves_a_tuned_rule(owner_of_a, brand_a, login):
    client = login(owner_of_a)
    url = reverse("dashboard:crisis_rule", args=[brand_a.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "active": "on",
            "negative_volume_enabled": "on",
            "p_value": "0.0001",
            "min_volume_short": "12",
            "share_floor": "0.6",
            "share_jump": "0.1",
            "trigger_min_mentions": "3",
            "high_reach_followers": "50000",
            "cooldown_hours": "6",
            "extra_trigger_words": "khayb, ma kaynach",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    rule = crisis_rule_for(brand=brand_a)
    assert rule.min_volume_short == 12 and not rule.volume_enabled
    assert rule.extra_trigger_words == ["khayb", "ma kaynach"]


def test_backtest_replays_stored_mentions_and_prints_would_be_incidents(brand_a):
    from io import StringIO

    from django.core.management import call_command

    now = timezone.now()
    _mentions(brand_a, [now - timedelta(hours=5, minutes=m) for m in (1, 5, 9)], text="arnaque")
    out = StringIO()
    call_command("crisis_backtest", brand=brand_a.pk, days=1, stdout=out)
    text = out.getvalue()
    assert "OPEN" in text and "trigger_words" in text
    assert "1 incident(s) would have been opened." in text
    assert not CrisisIncident.unscoped.exists()  # a replay writes nothing
