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
