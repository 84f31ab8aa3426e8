"""The overview (charts, e-reputation, share of voice) and the influencers and sources ranked."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from agency import permissions
from agency.views.common import require_action
from reputation import charts
from reputation.selectors.listening import brands_for_filters
from reputation.selectors.statistics import influencers, sources_ranked, statistics
from reputation.views.common import (
    PERIODS,
    agency_tz,
    csv_response,
    current_brand,
    period,
)

# --- Overview: charts and e-reputation ------------------------------------------------------


@require_action(permissions.LISTENING_VIEW)
def overview(request: HttpRequest) -> HttpResponse:
    actor = request.membership
    brand_id = current_brand(request)
    brands = list(brands_for_filters(actor))
    if brand_id not in {b.pk for b in brands}:
        brand_id = None
    days, since, until = period(request)
    tz = agency_tz(request)
    stats = statistics(actor, tz=tz, brand_id=brand_id, since=since, until=until)
    voices = [
        (row["voice"] or _("The brand"), row["volume"], f"{row['share']:.0%}")
        for row in stats["share_of_voice"]
    ]
    context = {
        "brands": brands,
        "brand_id": brand_id,
        "days": days,
        "periods": PERIODS,
        "stats": stats,
        "volume_chart": charts.stacked_volume(
            stats["by_day"], title=_("Mentions per day, by sentiment")
        ),
        "reputation_chart": charts.line(
            [(d["day"].strftime("%d/%m"), d["reputation_score"]) for d in stats["by_day"]],
            title=_("E-reputation score per day"),
        ),
        "voice_chart": charts.horizontal_bars(voices, title=_("Share of voice")),
        "sources_chart": charts.horizontal_bars(
            [
                (row["source__name"], row["volume"], str(row["volume"]))
                for row in stats["top_sources"]
            ],
            title=_("Top sources"),
        ),
        "authors_chart": charts.horizontal_bars(
            [
                (row["author__name"] or row["author__handle"], row["volume"], str(row["volume"]))
                for row in stats["top_authors"]
            ],
            title=_("Top authors"),
        ),
    }
    return render(request, "reputation/overview.html", context)


# --- Influencers and sources ranked ---------------------------------------------------------

INFLUENCER_ORDERS = ("reach", "mentions", "engagement", "sentiment")


def _influencer_args(request):
    actor = request.membership
    brand_id = current_brand(request)
    brands = list(brands_for_filters(actor))
    if brand_id not in {b.pk for b in brands}:
        brand_id = None
    order = request.GET.get("order", "reach")
    order = order if order in INFLUENCER_ORDERS else "reach"
    days, since, until = period(request)
    return brands, brand_id, order, days, since, until


@require_action(permissions.LISTENING_VIEW)
def influencer_list(request: HttpRequest) -> HttpResponse:
    brands, brand_id, order, days, since, until = _influencer_args(request)
    actor = request.membership
    return render(
        request,
        "reputation/influencers.html",
        {
            "brands": brands,
            "brand_id": brand_id,
            "order": order,
            "orders": INFLUENCER_ORDERS,
            "days": days,
            "periods": PERIODS,
            "authors": influencers(actor, brand_id=brand_id, since=since, until=until, order=order),
            "sources": sources_ranked(actor, brand_id=brand_id, since=since, until=until),
        },
    )


@require_action(permissions.LISTENING_VIEW)
def influencer_export(request: HttpRequest) -> HttpResponse:
    _brands, brand_id, order, _days, since, until = _influencer_args(request)
    authors = influencers(
        request.membership, brand_id=brand_id, since=since, until=until, order=order, limit=5000
    )
    header = [
        _("Name"),
        _("Handle"),
        _("Network"),
        _("Followers"),
        _("Mentions"),
        _("Engagement"),
        _("Average sentiment"),
        _("Address"),
    ]
    rows = (
        [
            a.name,
            a.handle,
            a.network,
            a.followers or "",
            a.mention_count,
            a.engagement_total or 0,
            f"{a.sentiment_avg:.2f}" if a.sentiment_avg is not None else "",
            a.url,
        ]
        for a in authors
    )
    return csv_response(f"influencers-{timezone.localdate():%Y%m%d}.csv", header, rows)
