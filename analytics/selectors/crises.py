"""The crisis incidents of a period, read through reputation's crisis selectors. Part of the
listening summary (analytics.selectors.listening)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from agency.models import ApiKey, Membership
from analytics.periods import Period
from reputation.models.crises import CrisisSeverity
from reputation.selectors.crises import incidents_in_period

Actor = Membership | ApiKey


@dataclass(frozen=True)
class CrisisItem:
    id: int
    brand_id: int
    brand_name: str
    severity: str
    severity_label: str
    cause: str
    cause_label: str
    state: str
    state_label: str
    opened_at: dt.datetime
    resolved_at: dt.datetime | None
    mention_count: int
    opened_in_period: bool
    resolved_in_period: bool


@dataclass(frozen=True)
class CrisisSummary:
    incidents: list[CrisisItem]  # running at some time in the period, oldest first
    opened: int
    resolved: int
    opened_by_severity: dict[str, int]  # every severity, 0 included
    opened_previous: int | None


def brand_crises(
    actor: Actor,
    *,
    brands: dict[int, str],
    tz: ZoneInfo,
    period: Period,
    comparison: Period | None,
) -> CrisisSummary:
    """The crisis incidents running at some time in the period, how many were opened and
    resolved in it (by severity), and how many were opened in the comparison period. Two
    queries (one without a comparison)."""
    ids = list(brands)
    since, until = period.utc_bounds(tz)
    items = []
    for incident in incidents_in_period(actor, brand_ids=ids, since=since, until=until):
        resolved = incident.resolved_at
        items.append(
            CrisisItem(
                id=incident.pk,
                brand_id=incident.brand_id,
                brand_name=brands.get(incident.brand_id, ""),
                severity=incident.severity,
                severity_label=str(incident.get_severity_display()),
                cause=incident.cause,
                cause_label=str(incident.get_cause_display()),
                state=incident.state,
                state_label=str(incident.get_state_display()),
                opened_at=incident.opened_at,
                resolved_at=resolved,
                mention_count=incident.mention_count,
                opened_in_period=since <= incident.opened_at < until,
                resolved_in_period=resolved is not None and since <= resolved < until,
            )
        )
    opened = [i for i in items if i.opened_in_period]
    by_severity = {value: 0 for value in CrisisSeverity.values}
    for item in opened:
        by_severity[item.severity] = by_severity.get(item.severity, 0) + 1
    opened_previous = None
    if comparison is not None:
        start, end = comparison.utc_bounds(tz)
        opened_previous = (
            incidents_in_period(actor, brand_ids=ids, since=start, until=end)
            .filter(opened_at__gte=start)
            .count()
        )
    return CrisisSummary(
        incidents=items,
        opened=len(opened),
        resolved=sum(1 for i in items if i.resolved_in_period),
        opened_by_severity=by_severity,
        opened_previous=opened_previous,
    )
