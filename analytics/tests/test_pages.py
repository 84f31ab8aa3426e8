"""The analytics pages: a brand's, a campaign's, the agency's. Figures localised for people and
plain in the charts' data, "not available" never 0, the period picker's errors shown, client
viewers kept to their brands, the same number of queries however many posts."""

import datetime as dt
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import number_format

from agency.models import Role
from agency.tests.factories import BrandAccessFactory, MembershipFactory
from analytics.tests.factories import account_metrics, post_metrics, published_variant
from campaigns.tests.factories import CampaignFactory
from clients.tests.factories import BrandFactory, SocialAccountFactory


@pytest.fixture
def english(login):
    """login(membership) with the pages asked for in English (the product's default is
    French)."""

    def sign_in(membership):
        client = login(membership)
        client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
        return client

    return sign_in


@pytest.fixture
def yesterday():
    return timezone.localdate() - dt.timedelta(days=1)


@pytest.fixture
def figures(agency_a, brand_a, yesterday):
    """A Mastodon account with 12,345 followers and two posts published in the last 30 days."""
    account = SocialAccountFactory(agency=agency_a, brand=brand_a, network="mastodon")
    account_metrics(account, yesterday, followers=12345, follower_growth=12)
    when = dt.datetime.combine(yesterday - dt.timedelta(days=3), dt.time(10), tzinfo=dt.UTC)
    for likes in (40, 7):
        variant = published_variant(account, at=when, title=f"Menu du jour {likes}")
        post_metrics(variant, yesterday, likes=likes, comments=2, shares=1)
    return account


def test_brand_page_shows_kpis_localised_and_not_available_never_zero(
    english, member_of_a, brand_a, figures
):
    response = english(member_of_a).get(reverse("dashboard:brand_analytics", args=[brand_a.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "12,345" in body  # followers, for people
    cards = dict(re.findall(r'data-kpi="(\w+)".*?fs-4 fw-semibold">(.*?)</div>', body, re.S))
    assert "not available" in cards["clicks"] and "not available" in cards["reach"]
    assert cards["engagements"].strip() == "53"
    assert "Figures as of" in body
    assert "Menu du jour 40" in body
    chart = json.loads(re.search(r'id="chart-followers"[^>]*>(.*?)</script>', body, re.S)[1])
    assert chart["datasets"][0]["values"][-1] == 12345  # a number for the script


def test_in_french_figures_use_french_separators_but_chart_data_stays_plain(
    login, member_of_a, brand_a, figures
):
    client = login(member_of_a)
    with translation.override("fr"):
        response = client.get(
            reverse("dashboard:brand_analytics", args=[brand_a.pk]), HTTP_ACCEPT_LANGUAGE="fr"
        )
        french = number_format(12345, use_l10n=True, force_grouping=True)
    body = response.content.decode()
    assert "Taux d’engagement" in body or "Taux d'engagement" in body
    assert french in body and french != "12345"
    chart = json.loads(re.search(r'id="chart-followers"[^>]*>(.*?)</script>', body, re.S)[1])
    assert 12345 in chart["datasets"][0]["values"]
    assert re.search(r"--heat: \d\.\d\d", body)  # never "0,50"


def test_a_period_typed_wrong_is_reported_and_the_default_shown(english, member_of_a, brand_a):
    response = english(member_of_a).get(
        reverse("dashboard:brand_analytics", args=[brand_a.pk]),
        {"preset": "custom", "start": "2026-13-01", "end": "2026-11-30", "compare": "moon"},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "“2026-13-01” is not a date (YYYY-MM-DD)." in body
    assert "Choose a comparison from the list." in body
    assert response.context["choice"].preset == "last_30"


def test_posts_sort_by_a_column_and_refuse_an_unknown_one(english, member_of_a, brand_a, figures):
    client = english(member_of_a)
    url = reverse("dashboard:brand_analytics", args=[brand_a.pk])
    ascending = client.get(url, {"sort": "likes"})
    assert [r.likes for r in ascending.context["page"]] == [7, 40]
    wrong = client.get(url, {"sort": "password"})
    assert wrong.status_code == 400
    assert "cannot be sorted by" in wrong.content.decode()


def test_brand_page_takes_the_same_queries_however_many_posts(
    english, member_of_a, agency_a, brand_a, figures, yesterday
):
    client = english(member_of_a)
    url = reverse("dashboard:brand_analytics", args=[brand_a.pk])
    client.get(url)  # warm the session and the caches
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    when = dt.datetime.combine(yesterday - dt.timedelta(days=5), dt.time(8), tzinfo=dt.UTC)
    for i in range(30):
        post_metrics(published_variant(figures, at=when), yesterday, likes=i, reach=100)
    client.get(url)  # the health banner's cached counts, warm again
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert response.status_code == 200 and response.context["page"].paginator.count == 32
    assert len(many) == len(few)


def test_empty_brand_says_what_to_do(english, member_of_a, brand_a):
    body = (
        english(member_of_a)
        .get(reverse("dashboard:brand_analytics", args=[brand_a.pk]))
        .content.decode()
    )
    assert "No connected account yet" in body
    assert "No post was published in this period." in body
    assert "No figures for this period." in body


def test_a_client_viewer_sees_only_its_brands(english, agency_a, brand_a, figures):
    other = BrandFactory(agency=agency_a, name="Marque cachée")
    viewer = MembershipFactory(agency=agency_a, role=Role.CLIENT_VIEWER)
    BrandAccessFactory(agency=agency_a, membership=viewer, brand=brand_a)
    client = english(viewer)
    assert client.get(reverse("dashboard:brand_analytics", args=[other.pk])).status_code == 404
    body = client.get(reverse("dashboard:analytics")).content.decode()
    assert brand_a.name in body and "Marque cachée" not in body
    assert client.get(reverse("dashboard:brand_analytics", args=[brand_a.pk])).status_code == 200


def test_another_agencys_brand_and_campaign_are_not_found(english, member_of_a, brand_b, agency_b):
    client = english(member_of_a)
    campaign = CampaignFactory(agency=agency_b, brand=brand_b)
    assert client.get(reverse("dashboard:brand_analytics", args=[brand_b.pk])).status_code == 404
    url = reverse("dashboard:campaign_analytics", args=[campaign.pk])
    assert client.get(url).status_code == 404


def test_campaign_page_shows_targets_and_what_cannot_be_measured(
    english, member_of_a, agency_a, brand_a, figures, yesterday
):
    campaign = CampaignFactory(
        agency=agency_a,
        brand=brand_a,
        starts_on=yesterday - dt.timedelta(days=10),
        ends_on=yesterday + dt.timedelta(days=10),
        kpi_targets={"reach": 5000, "leads": 10},
    )
    when = dt.datetime.combine(yesterday - dt.timedelta(days=2), dt.time(9), tzinfo=dt.UTC)
    mine = published_variant(figures, at=when, campaign=campaign, title="Lancement")
    post_metrics(mine, yesterday, likes=10, reach=2500)
    response = english(member_of_a).get(reverse("dashboard:campaign_analytics", args=[campaign.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "not measured" in body and "Count them in your CRM" in body
    assert "50 %" in body  # reach: 2,500 of 5,000
    assert [row.post.title for row in response.context["page"]] == ["Lancement"]
    assert response.context["period"].start == campaign.starts_on


def test_the_sidebar_leads_to_analytics(english, member_of_a):
    body = english(member_of_a).get(reverse("dashboard:overview")).content.decode()
    assert reverse("dashboard:analytics") in body


def test_the_brand_page_shows_the_listening_and_community_panels_beside_the_posts(
    english, owner_of_a, brand_a, figures
):
    body = (
        english(owner_of_a)
        .get(reverse("dashboard:brand_analytics", args=[brand_a.pk]))
        .content.decode()
    )
    for panel in ("listening", "share-of-voice", "crises", "community"):
        assert f'id="panel-{panel}"' in body
    assert body.count('data-panel="listening"') == 1  # registered once, however often ready() ran


def test_the_campaign_and_agency_pages_show_the_same_panels_over_their_brands(
    english, owner_of_a, agency_a, brand_a, figures
):
    campaign = CampaignFactory(agency=agency_a, brand=brand_a)
    client = english(owner_of_a)
    for url in (
        reverse("dashboard:campaign_analytics", args=[campaign.pk]),
        reverse("dashboard:analytics"),
    ):
        body = client.get(url).content.decode()
        for panel in ("listening", "share-of-voice", "crises", "community"):
            assert f'id="panel-{panel}"' in body, (url, panel)
