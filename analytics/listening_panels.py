"""The listening, share-of-voice, crises and community panels of the analytics pages: what a
page's view adds to its context to include them (templates/analytics/_listening.html,
_share_of_voice.html, _crises.html, _community.html).

Each panel is there only for the people who may see what it shows (listening, crises, the
inbox); the charts of days are drawn by the analytics pages' Chart.js (static/analytics/charts.js,
from a ``json_script`` of unlocalised numbers), the charts of categories (share of voice, per
network) are inline SVG drawn on the server (reputation.charts, every label escaped); each
chart has its numbers beside it as a table.
"""

from __future__ import annotations

from collections.abc import Iterable
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

from agency import permissions
from agency.models import ApiKey, Membership
from analytics.periods import Period
from analytics.selectors.community import CommunitySummary, brand_community
from analytics.selectors.listening import ListeningSummary, brand_listening
from reputation import charts

Actor = Membership | ApiKey


def panels_context(
    actor: Actor,
    *,
    brand_ids: Iterable[int] | None,
    tz: ZoneInfo | str,
    period: Period,
    comparison: Period | None,
) -> dict:
    """``listening``, ``share_of_voice``, ``crises`` and ``community`` for the templates: each
    None when the actor may not see it (the partials then show nothing)."""
    ids = None if brand_ids is None else list(brand_ids)
    context: dict = {"listening": None, "share_of_voice": None, "crises": None, "community": None}
    if permissions.can(actor, permissions.LISTENING_VIEW):
        summary = brand_listening(actor, brand_ids=ids, tz=tz, period=period, comparison=comparison)
        context["listening"] = listening_panel(summary)
        context["share_of_voice"] = share_of_voice_panel(summary)
        if permissions.can(actor, permissions.CRISES_VIEW):
            context["crises"] = {"summary": summary.crises, "period": period}
    if permissions.can(actor, permissions.INBOX_VIEW):
        community = brand_community(
            actor, brand_ids=ids, tz=tz, period=period, comparison=comparison
        )
        context["community"] = community_panel(community)
    return context


def listening_panel(summary: ListeningSummary) -> dict:
    return {
        "summary": summary,
        "charts": [
            _day_chart(
                "chart-listening-volume",
                _("Mentions per day, by sentiment"),
                summary,
                [
                    ("positive", _("Positive"), [d.positive for d in summary.by_day]),
                    ("neutral", _("Neutral"), [d.neutral for d in summary.by_day]),
                    ("negative", _("Negative"), [d.negative for d in summary.by_day]),
                ],
                bars=("positive", "neutral", "negative"),
            ),
            _day_chart(
                "chart-listening-score",
                _("E-reputation score per day"),
                summary,
                [
                    (
                        "reputation_score",
                        _("E-reputation score"),
                        [d.reputation_score for d in summary.by_day],
                    ),
                    ("mentions", _("Mentions"), [d.mentions for d in summary.by_day]),
                ],
                bars=("mentions",),
            ),
        ],
        "data": {
            "days": [
                {
                    "day": d.day.isoformat(),
                    "mentions": d.mentions,
                    "positive": d.positive,
                    "neutral": d.neutral,
                    "negative": d.negative,
                    "reputation_score": d.reputation_score,
                }
                for d in summary.by_day
            ],
            "mentions": summary.mentions,
            "mentions_previous": summary.mentions_previous,
            "reputation_score": summary.reputation_score,
            "reputation_score_previous": summary.reputation_score_previous,
        },
    }


def _day_chart(chart_id, title, summary, datasets, *, bars) -> dict:
    """A chart of the period's days in the format of static/analytics/charts.js (Chart.js):
    ISO days, unlocalised numbers; the template puts its table beside it."""
    return {
        "id": chart_id,
        "title": title,
        "data": {
            "labels": [d.day.isoformat() for d in summary.by_day],
            "datasets": [
                {"key": key, "label": str(label), "values": values}
                for key, label, values in datasets
            ],
            "bar": list(bars),
        },
    }


def share_of_voice_panel(summary: ListeningSummary) -> dict:
    brands = []
    for brand in summary.share_of_voice:
        bars = [
            (
                voice.name,
                voice.mentions,
                "–" if voice.share is None else f"{voice.share:.0%}",
            )
            for voice in brand.voices
        ]
        brands.append(
            {
                "brand": brand,
                "chart": charts.horizontal_bars(bars, title=_("Share of voice")),
                "json_id": f"share-of-voice-data-{brand.brand_id}",
                "data": {
                    "brand": brand.brand_id,
                    "voices": [
                        {
                            "name": v.name,
                            "is_brand": v.is_brand,
                            "mentions": v.mentions,
                            "share": v.share,
                            "mentions_previous": v.mentions_previous,
                        }
                        for v in brand.voices
                    ],
                },
            }
        )
    return {
        "brands": brands,
        "has_competitors": any(len(b.voices) > 1 for b in summary.share_of_voice),
    }


def community_panel(summary: CommunitySummary) -> dict:
    bars = [
        (
            row.network,
            round((row.current.share_answered_within_1h or 0) * 100),
            "–"
            if row.current.share_answered_within_1h is None
            else f"{row.current.share_answered_within_1h:.0%}",
        )
        for row in summary.by_network
    ]
    return {
        "summary": summary,
        "chart": charts.horizontal_bars(bars, title=_("Answered within 1 hour, per network")),
        "data": {
            "networks": [
                {
                    "network": row.network,
                    "received": row.current.received,
                    "answered": row.current.answered,
                    "first_response_median_seconds": row.current.first_response_median_seconds,
                    "first_response_p90_seconds": row.current.first_response_p90_seconds,
                    "share_answered_within_1h": row.current.share_answered_within_1h,
                    "share_answered_within_24h": row.current.share_answered_within_24h,
                }
                for row in summary.by_network
            ],
        },
    }
