"""A brand with a month of everything a report shows: published posts and their metrics, the
accounts' daily figures, a campaign with targets, next month's planned post, conversations
answered in the inbox, mentions (one in Darija, in Arabic script) with their rollups, a
competitor, and a crisis. November 2026, Casablanca (UTC+1)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.base import ContentFile
from django.utils import translation
from PIL import Image

from agency.models import Role
from agency.tenancy import tenant_scope
from analytics.tests.factories import account_metrics, post_metrics, published_variant
from campaigns.tests.factories import CampaignFactory, PostFactory, PostVariantFactory
from clients.tests.factories import SocialAccountFactory
from engagement.tests.factories import ConversationFactory
from reports.tests.factories import ReportTemplateFactory
from reputation.tests.factories import (
    CrisisIncidentFactory,
    ListeningQueryFactory,
    MentionFactory,
    MentionRollupFactory,
)

NOW = dt.datetime(2026, 12, 3, 9, 0, tzinfo=dt.UTC)
ARABIC_QUOTE = "الخدمة زوينة بزاف في مقهى طنجة"
# The logo: a solid square of a colour found nowhere else in a report.
LOGO_COLOUR = (214, 40, 180)


def _utc(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.UTC)


def logo_png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (120, 60), LOGO_COLOUR).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def agency_logo(agency_a, media_root):
    agency_a.logo.save("atlas.png", ContentFile(logo_png()), save=True)
    return agency_a.logo.name


@pytest.fixture
def november(agency_a, brand_a):
    """Everything of November 2026 for brand_a (Café Tanger)."""
    with tenant_scope(agency_a):
        account = SocialAccountFactory(agency=agency_a, brand=brand_a, network="mastodon")
        campaign = CampaignFactory(
            agency=agency_a,
            brand=brand_a,
            name="Ramadan gourmand",
            starts_on=dt.date(2026, 11, 1),
            ends_on=dt.date(2026, 11, 30),
            kpi_targets={"reach": 5000},
        )
        for day, reach, likes in ((3, 1200, 80), (10, 900, 20), (17, 2400, 150)):
            variant = published_variant(
                account,
                at=_utc(2026, 11, day, 11),
                campaign=campaign,
                text=f"Le café du {day} novembre, servi avec le sourire.",
            )
            post_metrics(variant, dt.date(2026, 11, day + 1), reach=reach, likes=likes, comments=4)
        for day in range(1, 31):
            account_metrics(
                account,
                dt.date(2026, 11, day),
                followers=4000 + day * 10,
                follower_growth=10,
                reach=300 + day * 7,
            )
        planned = PostFactory(
            agency=agency_a,
            brand=brand_a,
            text="Les douceurs de décembre arrivent.",
            state="scheduled",
            scheduled_at=_utc(2026, 12, 10, 10),
        )
        PostVariantFactory(agency=agency_a, post=planned, social_account=account, state="scheduled")
        ConversationFactory(
            agency=agency_a,
            brand=brand_a,
            social_account=account,
            first_inbound_at=_utc(2026, 11, 5, 10),
            first_response_at=_utc(2026, 11, 5, 10, 40),
        )
        ListeningQueryFactory(
            agency=agency_a, brand=brand_a, is_competitor=True, competitor_name="Café Rival"
        )
        MentionRollupFactory(
            agency=agency_a,
            brand=brand_a,
            hour=_utc(2026, 11, 8, 12),
            volume=3,
            positive=2,
            neutral=1,
            negative=0,
            sentiment_sum=1.5,
        )
        MentionRollupFactory(
            agency=agency_a,
            brand=brand_a,
            hour=_utc(2026, 11, 9, 12),
            voice="Café Rival",
            volume=1,
            positive=0,
            neutral=1,
            negative=0,
        )
        MentionFactory(
            agency=agency_a,
            brand=brand_a,
            text=ARABIC_QUOTE,
            language="ary",
            sentiment_label="positive",
            engagement=90,
            published_at=_utc(2026, 11, 8, 12),
        )
        CrisisIncidentFactory(agency=agency_a, brand=brand_a, opened_at=_utc(2026, 11, 20, 8))
    return {"account": account, "campaign": campaign}


@pytest.fixture(autouse=True)
def _in_english():
    with translation.override("en"):
        yield


@pytest.fixture
def analyst_of_a(agency_a, member_factory):
    return member_factory(agency_a, Role.ANALYST)


@pytest.fixture
def template_a(agency_a):
    # A short template: the cover and the summary (what the renderer always has).
    return ReportTemplateFactory(agency=agency_a, name="Rapport mensuel", sections=["cover"])


@pytest.fixture
def scope_a(agency_a):
    with tenant_scope(agency_a):
        yield agency_a
