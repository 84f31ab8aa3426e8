"""The community census page and its CSV (reputation.selectors.census)."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from agency import permissions
from agency.views.common import require_action
from reputation.selectors.census import (
    CENSUS_ORDERS,
    EXPORT_LIMIT,
    PER_PAGE,
    census_page,
    census_places,
    census_rows,
    followed_places,
)
from reputation.selectors.listening import brands_for_filters
from reputation.views.common import agency_tz, csv_response, current_brand

CENSUS_PERIODS = (30, 90, 180, 365)
DEFAULT_DAYS = 90


def _args(request):
    brands = list(brands_for_filters(request.membership))
    brand_id = current_brand(request)
    if brand_id not in {b.pk for b in brands}:
        brand_id = None
    raw = request.GET.get("days", "")
    days = int(raw) if raw.isdigit() and int(raw) in CENSUS_PERIODS else DEFAULT_DAYS
    today = timezone.now().astimezone(agency_tz(request)).date()
    since = dt.datetime.combine(
        today - dt.timedelta(days=days - 1), dt.time.min, tzinfo=agency_tz(request)
    )
    order = request.GET.get("order", "volume")
    order = order if order in CENSUS_ORDERS else "volume"
    return brands, brand_id, days, since, timezone.now(), order


@require_action(permissions.LISTENING_VIEW)
def census(request: HttpRequest) -> HttpResponse:
    brands, brand_id, days, since, until, order = _args(request)
    raw_page = request.GET.get("page", "1")
    page = int(raw_page) if raw_page.isdigit() and 0 < int(raw_page) < 10_000 else 1
    rows, total = census_page(
        request.membership, brand_id=brand_id, since=since, until=until, order=order, page=page
    )
    pages = max((total + PER_PAGE - 1) // PER_PAGE, 1)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "reputation/census.html",
        {
            "brands": brands,
            "brand_id": brand_id,
            "days": days,
            "periods": CENSUS_PERIODS,
            "order": order,
            "rows": rows,
            "total": total,
            "page": min(page, pages),
            "pages": pages,
            "previous_page": page - 1 if page > 1 else None,
            "next_page": page + 1 if page < pages else None,
            "query": query.urlencode(),
            "first_rank": (page - 1) * PER_PAGE,
        },
    )


@require_action(permissions.LISTENING_VIEW)
def census_export(request: HttpRequest) -> HttpResponse:
    _brands, brand_id, _days, since, until, order = _args(request)
    actor = request.membership
    places = census_places(actor, brand_id=brand_id, since=since, until=until, order=order)
    rows = census_rows(list(places[:EXPORT_LIMIT]), followed_places(actor, brand_id=brand_id))
    header = [
        _("Place"),
        _("Network"),
        _("Address"),
        _("Mentions"),
        _("Reach"),
        _("Positive share"),
        _("Negative share"),
        _("Last mention"),
        _("Followed as a source"),
    ]
    lines = (
        [
            row.name,
            row.network,
            row.url,
            row.volume,
            row.reach if row.reach is not None else "",
            f"{row.positive_share:.2f}",
            f"{row.negative_share:.2f}",
            row.last_mention.isoformat(),
            _("yes") if row.followed else _("no"),
        ]
        for row in rows
    )
    return csv_response(f"census-{timezone.localdate():%Y%m%d}.csv", header, lines)
