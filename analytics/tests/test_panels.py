"""The listening, share-of-voice, crises and community panels render their figures in the
person's language with the numbers unlocalised in attributes and JSON, each chart beside a
table, Arabic quotes right-to-left, untrusted text escaped."""

import datetime as dt
import json
import re
from zoneinfo import ZoneInfo

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from agency.tenancy import tenant_scope
from analytics.listening_panels import panels_context
from analytics.periods import Period
from clients.tests.factories import SocialAccountFactory
from engagement.tests.factories import ConversationFactory
from reputation.tests.factories import (
    CrisisIncidentFactory,
    ListeningQueryFactory,
    MentionFactory,
    MentionRollupFactory,
)

NOVEMBER = Period(dt.date(2026, 11, 1), dt.date(2026, 11, 30))
CASABLANCA = ZoneInfo("Africa/Casablanca")
PANELS = ("_listening", "_share_of_voice", "_crises", "_community")


def _utc(*args):
    return dt.datetime(*args, tzinfo=dt.UTC)


@pytest.fixture
def brand_figures(agency_a, brand_a):
    with tenant_scope(agency_a.pk):
        ListeningQueryFactory(
            agency=agency_a, brand=brand_a, is_competitor=True, competitor_name="Café <Rival>"
        )
        MentionRollupFactory(
            agency=agency_a,
            brand=brand_a,
            hour=_utc(2026, 11, 3, 9),
            volume=3,
            positive=1,
            neutral=1,
            negative=1,
        )
        MentionRollupFactory(
            agency=agency_a,
            brand=brand_a,
            hour=_utc(2026, 11, 3, 9),
            voice="Café <Rival>",
            volume=5,
            positive=5,
            neutral=0,
            negative=0,
        )
        MentionFactory(
            agency=agency_a,
            brand=brand_a,
            text="القهوة باردة <script>alert(1)</script>",
            language="ar",
            sentiment_label="negative",
            published_at=_utc(2026, 11, 3, 9, 10),
        )
        CrisisIncidentFactory(
            agency=agency_a, brand=brand_a, severity="critical", opened_at=_utc(2026, 11, 4)
        )
        account = SocialAccountFactory(agency=agency_a, brand=brand_a, network="facebook")
        inbound = _utc(2026, 11, 5, 9)
        ConversationFactory(
            agency=agency_a,
            brand=brand_a,
            social_account=account,
            network="facebook",
            first_inbound_at=inbound,
            first_response_at=inbound + dt.timedelta(minutes=45),
            last_message_at=inbound,
        )


def _render(actor, brand, language):
    with tenant_scope(actor.agency_id), translation.override(language):
        context = panels_context(
            actor, brand_ids=[brand.pk], tz=CASABLANCA, period=NOVEMBER, comparison=None
        )
        html = {
            name: render_to_string(f"analytics/{name}.html", {"panel": context[name[1:]]})
            for name in PANELS
        }
        html["all"] = render_to_string("analytics/_panels.html", {"panels": context})
        return html


def test_panels_show_localised_figures_with_unlocalised_numbers_in_data(
    owner_of_a, brand_a, brand_figures
):
    html = _render(owner_of_a, brand_a, "fr")
    voice = html["_share_of_voice"]
    assert "37,5 %" in voice  # 3 of 8 mentions, in French
    assert 'data-value="0.375"' in voice
    data = json.loads(re.search(r'id="share-of-voice-data-\d+"[^>]*>(.*?)</script>', voice)[1])
    assert [v["mentions"] for v in data["voices"]] == [3, 5]
    assert "Café &lt;Rival&gt;" in voice and "<Rival>" not in voice.split("<script")[0]
    community = html["_community"]
    assert "45 min" in community and 'data-value="2700"' in community
    crises = html["_crises"]
    assert 'data-severity="critical" data-value="1"' in crises


def test_each_chart_has_its_numbers_as_a_table(owner_of_a, brand_a, brand_figures):
    html = _render(owner_of_a, brand_a, "en")
    listening = html["_listening"]
    assert 'data-chart="listening-days"' in listening
    for chart in ("chart-listening-volume", "chart-listening-score"):
        assert f'<canvas data-chart="{chart}"' in listening
        data = json.loads(re.search(rf'id="{chart}"[^>]*>(.*?)</script>', listening)[1])
        assert data["labels"][0] == "2026-11-01" and len(data["labels"]) == NOVEMBER.days
    assert listening.count('<tr data-day="') == NOVEMBER.days
    assert '<tr data-day="2026-11-03">' in listening
    assert (
        "<svg" in html["_share_of_voice"]
        and 'data-chart="share-of-voice"' in html["_share_of_voice"]
    )
    assert "<svg" in html["_community"] and 'data-chart="community-networks"' in html["_community"]


def test_the_brand_page_panel_includes_the_four_parts(owner_of_a, brand_a, brand_figures):
    html = _render(owner_of_a, brand_a, "en")["all"]
    for panel in ("listening", "share-of-voice", "crises", "community"):
        assert f'data-panel="{panel}"' in html


def test_arabic_quotes_are_right_to_left_and_escaped(owner_of_a, brand_a, brand_figures):
    listening = _render(owner_of_a, brand_a, "en")["_listening"]
    assert 'lang="ar" dir="rtl"' in listening
    assert "القهوة باردة" in listening
    assert "<script>alert(1)</script>" not in listening
    assert "&lt;script&gt;" in listening
