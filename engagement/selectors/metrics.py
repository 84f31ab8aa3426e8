"""Response metrics of the inbox, per brand and per person, over a range of dates: volume,
share answered, first-response time (median and p90, in the brand's business time and in
elapsed time, and the share that arrived outside business hours), resolution time (median and
p90, business time). The reports issue reads them from here.

A conversation counts in the range of its first inbound message (network time), read in the
agency's time zone. Constant queries whatever the range and the number of brands: the
brands, their intervals, their closed days, the conversations (one ``values_list``) and the
people's names; percentiles are computed in Python over the values, so the same code runs on
PostgreSQL and SQLite. A client role sees only its brands (``visible_to``) and no per-person
figures (docs/decisions.md).
"""

from __future__ import annotations

import datetime as dt
import math
import zoneinfo
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model

from clients.models import Brand
from engagement.business_hours import ROUND_THE_CLOCK, Schedule, business_seconds, is_open
from engagement.models import BusinessInterval, ClosedDay, Conversation

# A range longer than this is refused (a year and a day: a report over a year, not a scan of
# the whole history by a typing error).
MAX_RANGE_DAYS = 367


def percentile(values: list[float], share: float) -> float | None:
    """Linear interpolation between the closest ranks (PostgreSQL's percentile_cont)."""
    if not values:
        return None
    ordered = sorted(values)
    rank = (len(ordered) - 1) * share
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


@dataclass
class Figures:
    volume: int = 0
    answered: int = 0
    resolved: int = 0
    arrived_out_of_hours: int = 0
    _first_business: list[float] = field(default_factory=list, repr=False)
    _first_elapsed: list[float] = field(default_factory=list, repr=False)
    _first_in_hours: list[float] = field(default_factory=list, repr=False)
    _first_out_of_hours: list[float] = field(default_factory=list, repr=False)
    _resolution: list[float] = field(default_factory=list, repr=False)

    def as_dict(self) -> dict:
        def seconds(values):
            median, p90 = percentile(values, 0.5), percentile(values, 0.9)
            return {
                "median": None if median is None else round(median),
                "p90": None if p90 is None else round(p90),
            }

        return {
            "volume": self.volume,
            "answered": self.answered,
            "share_answered": round(self.answered / self.volume, 4) if self.volume else None,
            "resolved": self.resolved,
            "arrived_out_of_hours": self.arrived_out_of_hours,
            # Seconds; "business" counts only the brand's business hours.
            "first_response_business_seconds": seconds(self._first_business),
            "first_response_elapsed_seconds": seconds(self._first_elapsed),
            "first_response_arrived_in_hours_business_seconds": seconds(self._first_in_hours),
            "first_response_arrived_out_of_hours_business_seconds": seconds(
                self._first_out_of_hours
            ),
            "resolution_business_seconds": seconds(self._resolution),
        }


def _schedules(brands: Iterable[Brand]) -> dict[int, Schedule]:
    brands = list(brands)
    weekly: dict[int, dict[int, list]] = defaultdict(lambda: defaultdict(list))
    for brand_id, weekday, starts, ends in BusinessInterval.objects.filter(
        brand__in=[b.pk for b in brands]
    ).values_list("brand_id", "weekday", "starts", "ends"):
        weekly[brand_id][weekday].append((starts, ends))
    closed: dict[int, set] = defaultdict(set)
    for brand_id, date in ClosedDay.objects.filter(brand__in=[b.pk for b in brands]).values_list(
        "brand_id", "date"
    ):
        closed[brand_id].add(date)
    schedules = {}
    for brand in brands:
        week = {day: tuple(spans) for day, spans in weekly[brand.pk].items()}
        schedules[brand.pk] = Schedule(
            time_zone=brand.time_zone,
            weekly=week if any(week.values()) else ROUND_THE_CLOCK,
            closed=frozenset(closed[brand.pk]),
        )
    return schedules


def _bounds(agency_tz: str, start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    tz = zoneinfo.ZoneInfo(agency_tz or "UTC")
    since = dt.datetime.combine(start, dt.time(0), tzinfo=tz)
    until = dt.datetime.combine(end + dt.timedelta(days=1), dt.time(0), tzinfo=tz)
    return since, until


def inbox_metrics(*, actor, start: dt.date, end: dt.date, brand_id: int | None = None) -> dict:
    """{"start", "end", "total", "brands": [...], "people": [...]} for the dates [start, end]
    (both included) in the agency's time zone. ``people`` is empty for client roles."""
    if end < start or (end - start).days >= MAX_RANGE_DAYS:
        raise ValueError("the range must be at most a year, its end not before its start")
    since, until = _bounds(actor.agency.time_zone, start, end)
    brands = Brand.objects.visible_to(actor)
    rows = Conversation.objects.visible_to(actor).filter(
        first_inbound_at__gte=since, first_inbound_at__lt=until
    )
    if brand_id is not None:
        brands = brands.filter(pk=brand_id)
        rows = rows.filter(brand_id=brand_id)
    brand_rows = {b.pk: b for b in brands.only("id", "name", "time_zone")}
    schedules = _schedules(brand_rows.values())
    total = Figures()
    by_brand: defaultdict[int, Figures] = defaultdict(Figures)
    by_person: defaultdict[int | None, Figures] = defaultdict(Figures)
    for brand, assignee, inbound, response, since_at, resolved in rows.values_list(
        "brand_id",
        "assignee_id",
        "first_inbound_at",
        "first_response_at",
        "resolution_since",
        "resolved_at",
    ):
        schedule = schedules.get(brand)
        if schedule is None:
            continue
        groups = (total, by_brand[brand], by_person[assignee])
        in_hours = is_open(schedule, inbound)
        business: float | None = None
        elapsed = 0.0
        resolution: float | None = None
        if response is not None and response >= inbound:
            business = business_seconds(schedule, inbound, response)
            elapsed = (response - inbound).total_seconds()
        if resolved is not None and since_at is not None and resolved >= since_at:
            resolution = business_seconds(schedule, since_at, resolved)
        for figures in groups:
            figures.volume += 1
            figures.arrived_out_of_hours += not in_hours
            if business is not None:
                figures.answered += 1
                figures._first_business.append(business)
                figures._first_elapsed.append(elapsed)
                (figures._first_in_hours if in_hours else figures._first_out_of_hours).append(
                    business
                )
            if resolution is not None:
                figures.resolved += 1
                figures._resolution.append(resolution)
    people: list[dict] = []
    if not getattr(actor, "is_client", False):
        names: dict[int | None, str] = {
            u.pk: (u.get_full_name() or u.email)
            for u in get_user_model().objects.filter(pk__in=[k for k in by_person if k])
        }
        people = [
            {"user": key, "name": names.get(key, ""), **figures.as_dict()}
            for key, figures in sorted(
                by_person.items(), key=lambda kv: (kv[0] is None, names.get(kv[0], ""))
            )
        ]
    return {
        "start": start.isoformat(),
        "end": end.isoformat(),
        "total": total.as_dict(),
        "brands": [
            {"brand": pk, "name": brand_rows[pk].name, **by_brand[pk].as_dict()}
            for pk in sorted(brand_rows, key=lambda pk: brand_rows[pk].name.lower())
        ],
        "people": people,
    }
