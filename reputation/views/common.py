"""What the listening pages share: the agency's time zone, the chosen brand and period, CSV."""

from __future__ import annotations

import csv
import datetime as dt
import zoneinfo

from django.http import HttpResponse
from django.utils import timezone

from agency.views.common import current_brand_id
from core.csv_safety import csv_safe

EXPORT_LIMIT = 10_000
PERIODS = (7, 30, 90)


def agency_tz(request) -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(request.agency.time_zone or "Africa/Casablanca")


def day_bounds(day: dt.date | None, tz, *, end: bool = False):
    if day is None:
        return None
    if end:
        day = day + dt.timedelta(days=1)
    return dt.datetime.combine(day, dt.time.min, tzinfo=tz)


current_brand = current_brand_id  # the listening pages' name for the top bar's brand


def csv_response(filename: str, header: list[str], rows) -> HttpResponse:
    # Built in memory (exports are capped at EXPORT_LIMIT rows) so the response has a body
    # that middleware and tests can read.
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # so that spreadsheet programs read UTF-8 (Arabic, accents)
    writer = csv.writer(response)
    writer.writerow(header)
    for row in rows:
        writer.writerow([csv_safe(v) for v in row])
    return response


def period(request) -> tuple[int, dt.datetime, dt.datetime]:
    days = int(request.GET.get("days", "30")) if request.GET.get("days", "").isdigit() else 30
    days = days if days in PERIODS else 30
    tz = agency_tz(request)
    today = timezone.now().astimezone(tz).date()
    since = dt.datetime.combine(today - dt.timedelta(days=days - 1), dt.time.min, tzinfo=tz)
    return days, since, timezone.now()
