"""The analytics pages: a brand's, a campaign's and the agency's (docs/analytics.md)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from agency import permissions
from agency.views.common import require_action
from analytics.listening_panels import panels_context
from analytics.selectors.performance import campaign_kpis, campaign_period_bounds
from analytics.views.context import figures_context
from campaigns.selectors.planning import campaign_get_for
from clients.selectors import brand_get_for, brands_visible_to


@require_action(permissions.BRANDS_VIEW)
def brand_analytics(request: HttpRequest, brand_id: int) -> HttpResponse:
    actor = request.membership  # type: ignore[attr-defined]
    brand = brand_get_for(actor=actor, brand_id=brand_id)
    tz = ZoneInfo(brand.time_zone)
    context = figures_context(request, brand_ids=[brand.pk], tz=tz)
    context.update(brand=brand, panels=_panels(actor, [brand.pk], context, tz))
    return render(request, "analytics/brand.html", context, status=_status(context))


@require_action(permissions.BRANDS_VIEW)
def campaign_analytics(request: HttpRequest, campaign_id: int) -> HttpResponse:
    actor = request.membership  # type: ignore[attr-defined]
    campaign = campaign_get_for(actor=actor, campaign_id=campaign_id)
    tz = ZoneInfo(campaign.brand.time_zone)
    context = figures_context(
        request,
        brand_ids=[campaign.brand_id],
        tz=tz,
        campaign_id=campaign.pk,
        default_period=campaign_period_bounds(campaign),
    )
    context.update(
        campaign=campaign,
        brand=campaign.brand,
        targets=campaign_kpis(actor, campaign=campaign),
        panels=_panels(actor, [campaign.brand_id], context, tz),
    )
    return render(request, "analytics/campaign.html", context, status=_status(context))


@require_action(permissions.BRANDS_VIEW)
def agency_analytics(request: HttpRequest) -> HttpResponse:
    actor = request.membership  # type: ignore[attr-defined]
    tz = ZoneInfo(request.agency.time_zone)  # type: ignore[attr-defined]
    context = figures_context(request, brand_ids=None, tz=tz)
    context["brands"] = brands_visible_to(actor).order_by("name")
    context["panels"] = _panels(actor, None, context, tz)
    return render(request, "analytics/agency.html", context, status=_status(context))


def _panels(actor, brand_ids, context: dict, tz: ZoneInfo) -> dict:
    """The figures only we have, over the page's period and comparison: listening,
    e-reputation, share of voice, crises, the inbox's response times."""
    return panels_context(
        actor,
        brand_ids=brand_ids,
        tz=tz,
        period=context["period"],
        comparison=context["comparison"],
    )


def _status(context: dict) -> int:
    # What was typed is reported and replaced by the default: the page still shows true
    # figures, with a 400 saying the request was not what it asked for.
    return 400 if context["errors"] else 200
