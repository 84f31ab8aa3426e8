"""Money shown to people is localised: French groups thousands and writes a decimal comma."""

import re
from decimal import Decimal

from django.urls import reverse

from campaigns.tests.factories import CampaignFactory


def test_a_campaign_budget_reads_the_french_way(agency_a, brand_a, member_of_a, login, in_agency):
    with in_agency(agency_a):
        campaign = CampaignFactory(
            agency=agency_a, brand=brand_a, budget=Decimal("15000"), currency="MAD"
        )
    client = login(member_of_a)
    for url in (
        reverse("campaigns:campaign_detail", args=[campaign.pk]),
        reverse("campaigns:campaign_list"),
    ):
        body = client.get(url, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
        assert re.search(r"15[\u00a0\u202f ]000,00[\u00a0 ]MAD", body), url
