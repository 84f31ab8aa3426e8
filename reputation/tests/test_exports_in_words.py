"""The mention export is for people (its headers are translated): sentiment as a word."""

import csv
import io

from reputation.tests.factories import MentionFactory


def test_the_mention_export_writes_the_sentiment_in_french(agency_a, brand_a, owner_of_a, login):
    MentionFactory(agency=agency_a, brand=brand_a, sentiment_label="negative")
    body = login(owner_of_a).get("/listening/export.csv?brand=", HTTP_ACCEPT_LANGUAGE="fr")
    rows = list(csv.reader(io.StringIO(body.content.decode("utf-8-sig"))))
    sentiment = rows[0].index("Sentiment") if "Sentiment" in rows[0] else rows[0].index("Tonalité")
    assert rows[1][sentiment] == "Négative"


def test_the_influencers_page_names_the_network(agency_a, brand_a, owner_of_a, login):
    from reputation.tests.factories import AuthorFactory

    author = AuthorFactory(agency=agency_a, network="google_business", name="Salma")
    MentionFactory(agency=agency_a, brand=brand_a, author=author)
    body = login(owner_of_a).get("/listening/influencers/?brand=").content.decode()
    assert "Salma" in body
    assert "<td>google_business</td>" not in body
    assert "<td>Google Business Profile</td>" in body
