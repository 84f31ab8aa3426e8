"""Abuse labels on mentions: set by the ingest pipeline, shown as badges on the stream,
filterable in the listening page and the API, exported in the CSV."""

import pytest
from django.utils import translation

from reputation import matching
from reputation.abuse import LABELS
from reputation.models.mentions import AbuseLabel, Mention
from reputation.services.ingest import RawMention, mentions_ingest
from reputation.tests.factories import ListeningQueryFactory, MentionFactory

# The services run in agency A's tenant scope, as its tasks run them.
pytestmark = pytest.mark.usefixtures("in_agency_a")


@pytest.fixture(autouse=True)
def _fresh_matchers():
    matching.clear_cache()
    yield
    matching.clear_cache()


def test_the_models_choices_name_every_label_of_the_detector():
    assert tuple(AbuseLabel.values) == LABELS


def test_ingest_stores_the_abuse_labels_with_their_scores(agency_a, brand_a):
    ListeningQueryFactory(agency=agency_a, brand=brand_a, expression="tanger")
    mentions_ingest(
        agency_id=agency_a.pk,
        items=[
            RawMention(external_id="1", text="Café Tanger, bande de connards, je vais vous tuer"),
            RawMention(external_id="2", text="Café Tanger : service lent, très déçu."),
            RawMention(external_id="3", text="Café Tanger nta bouzbal, rasselni f inbox"),
        ],
    )
    rows = {m.external_id: m.abuse_labels for m in Mention.objects.all()}
    assert set(rows["1"]) == {"insult", "threat"}
    assert all(0.5 <= score <= 1 for score in rows["1"].values())
    assert rows["2"] == {}
    assert set(rows["3"]) == {"insult", "spam"}


def test_stream_shows_abuse_badges_and_filters_by_label(agency_a, brand_a, owner_of_a, login):
    MentionFactory(agency=agency_a, brand=brand_a, text="Insulte ici", abuse_labels={"insult": 0.9})
    MentionFactory(agency=agency_a, brand=brand_a, text="Arnaque ici", abuse_labels={"scam": 0.7})
    MentionFactory(agency=agency_a, brand=brand_a, text="Rien à signaler")
    client = login(owner_of_a)
    with translation.override("en"):
        body = client.get("/listening/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert ">Insult</a>" in body and ">Scam</a>" in body
    assert "?abuse=insult" in body
    body = client.get("/listening/?abuse=insult").content.decode()
    assert "Insulte ici" in body and "Arnaque ici" not in body and "Rien à signaler" not in body
    body = client.get("/listening/?abuse=any").content.decode()
    assert "Insulte ici" in body and "Arnaque ici" in body and "Rien à signaler" not in body
    body = client.get("/listening/?abuse=nonsense").content.decode()  # ignored, not a 500
    assert "Rien à signaler" in body


def test_badges_are_translated(agency_a, brand_a, owner_of_a, login):
    MentionFactory(agency=agency_a, brand=brand_a, abuse_labels={"threat": 0.9})
    body = login(owner_of_a).get("/listening/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert ">Menace</a>" in body


def test_api_lists_abuse_labels_and_filters_by_them(owner_of_a, agency_a, brand_a, api_as):
    MentionFactory(agency=agency_a, brand=brand_a, external_id="i", abuse_labels={"insult": 0.8})
    MentionFactory(agency=agency_a, brand=brand_a, external_id="s", abuse_labels={"spam": 0.6})
    MentionFactory(agency=agency_a, brand=brand_a, external_id="c")
    client = api_as(owner_of_a)

    def ids(query_string):
        response = client.get(f"/api/v1/listening/mentions/?{query_string}")
        assert response.status_code == 200
        return sorted(r["external_id"] for r in response.json()["results"])

    assert ids("abuse=insult") == ["i"]
    assert ids("abuse=any") == ["i", "s"]
    assert ids("abuse=unknown-label") == []
    assert ids("") == ["c", "i", "s"]
    row = client.get("/api/v1/listening/mentions/?abuse=spam").json()["results"][0]
    assert row["abuse_labels"] == {"spam": 0.6}


def test_csv_export_has_the_abuse_labels(agency_a, brand_a, owner_of_a, login):
    MentionFactory(agency=agency_a, brand=brand_a, abuse_labels={"insult": 0.8, "threat": 0.7})
    body = login(owner_of_a).get("/listening/export.csv").content.decode()
    assert "insult, threat" in body
