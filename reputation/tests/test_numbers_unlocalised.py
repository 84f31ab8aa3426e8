"""Numbers a browser reads (SVG coordinates) are never localised, even in French."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from reputation.models.mentions import Mention
from reputation.services.crisis_evaluation import _link_mentions
from reputation.tests.factories import CrisisIncidentFactory
from reputation.tests.test_crisis import _history, _mentions

pytestmark = pytest.mark.usefixtures("in_agency_a")


def test_the_crisis_chart_marker_has_dot_decimals_in_french(owner_of_a, brand_a, login):
    _history(brand_a, per_hour=2, weeks=1, seed=26, start=timezone.now() - timedelta(days=3))
    incident = CrisisIncidentFactory(
        agency=brand_a.agency, brand=brand_a, opened_at=timezone.now() - timedelta(hours=7)
    )
    _mentions(brand_a, [timezone.now() - timedelta(minutes=5)])
    _link_mentions(incident, list(Mention.unscoped.values_list("pk", flat=True)))
    client = login(owner_of_a)
    body = client.get(
        reverse("dashboard:crisis_incident", args=[incident.pk]), HTTP_ACCEPT_LANGUAGE="fr"
    ).content.decode()
    svg = body[body.index("<svg") : body.index("</svg>")]
    marker = re.search(r'<line x1="([^"]+)" y1="10"', svg)
    assert marker, svg
    assert re.fullmatch(r"\d+(\.\d+)?", marker.group(1))
    for attribute in re.findall(r'(?:x1|x2|y1|y2|x|y|viewBox)="([^"]*)"', svg):
        assert "," not in attribute, attribute
