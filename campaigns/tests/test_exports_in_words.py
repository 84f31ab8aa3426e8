"""The calendar export keeps its machine columns and adds the words people read."""

import csv
import io

from django.urls import reverse

from campaigns.models import PostState
from campaigns.tests.factories import PostFactory


def test_the_calendar_export_names_the_state_in_french(agency_a, brand_a, owner_of_a, login):
    PostFactory(agency=agency_a, brand=brand_a, state=PostState.PARTLY_PUBLISHED)
    response = login(owner_of_a).get(
        reverse("campaigns:calendar_export"), HTTP_ACCEPT_LANGUAGE="fr"
    )
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0]["state"] == "partly_published"  # the code, for machines
    assert rows[0]["state_label"] == "Publiée en partie"
