"""Community management beside the posts: the inbox's response times per network and the
moderation actions taken, for brands over a period with its comparison (docs/analytics.md,
"Community management").

The metrics are defined once, in ``engagement.selectors.response_times``, and read from there;
this module puts the period and its comparison around them. Four queries (two without a
comparison) whatever the period, the number of brands and of networks.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from agency.models import ApiKey, Membership
from analytics.periods import Period, change_ratio
from engagement.selectors.response_times import (
    ModerationCounts,
    ResponseTimes,
    moderation_counts,
    response_times,
)

Actor = Membership | ApiKey


@dataclass(frozen=True)
class NetworkResponse:
    network: str
    current: ResponseTimes
    previous: ResponseTimes | None


@dataclass(frozen=True)
class CommunitySummary:
    period: Period
    comparison: Period | None
    brand_ids: list[int] | None  # None: every brand the actor sees
    total: ResponseTimes  # every network together
    total_previous: ResponseTimes | None
    received_change: float | None
    answered_change: float | None
    first_response_median_change: float | None
    by_network: list[NetworkResponse]  # every network with a conversation in either period
    moderation: ModerationCounts
    moderation_previous: ModerationCounts | None
    moderation_change: float | None


def brand_community(
    actor: Actor,
    *,
    brand_ids: Iterable[int] | None,
    tz: ZoneInfo | str,
    period: Period,
    comparison: Period | None,
) -> CommunitySummary:
    """Response times and moderation of ``brand_ids`` (None: every brand the actor sees) over
    ``period`` (its days in ``tz``), with the ``comparison`` period's beside them."""
    zone = tz if isinstance(tz, ZoneInfo) else ZoneInfo(tz)
    ids = None if brand_ids is None else list(brand_ids)
    since, until = period.utc_bounds(zone)
    total, networks = response_times(actor, since=since, until=until, brand_ids=ids)
    moderation = moderation_counts(actor, since=since, until=until, brand_ids=ids)
    total_before: ResponseTimes | None = None
    networks_before: dict[str, ResponseTimes] = {}
    moderation_before: ModerationCounts | None = None
    if comparison is not None:
        start, end = comparison.utc_bounds(zone)
        total_before, before = response_times(actor, since=start, until=end, brand_ids=ids)
        networks_before = {figures.network: figures for figures in before}
        moderation_before = moderation_counts(actor, since=start, until=end, brand_ids=ids)
    current = {figures.network: figures for figures in networks}
    by_network = [
        NetworkResponse(
            network=name,
            current=current.get(name) or _nothing(name),
            previous=(networks_before.get(name) or _nothing(name)) if comparison else None,
        )
        for name in sorted(set(current) | set(networks_before))
    ]
    return CommunitySummary(
        period=period,
        comparison=comparison,
        brand_ids=ids,
        total=total,
        total_previous=total_before,
        received_change=change_ratio(
            total.received, total_before.received if total_before else None
        ),
        answered_change=change_ratio(
            total.answered, total_before.answered if total_before else None
        ),
        first_response_median_change=change_ratio(
            total.first_response_median_seconds,
            total_before.first_response_median_seconds if total_before else None,
        ),
        by_network=by_network,
        moderation=moderation,
        moderation_previous=moderation_before,
        moderation_change=change_ratio(
            moderation.total, moderation_before.total if moderation_before else None
        ),
    )


def _nothing(network: str) -> ResponseTimes:
    """A network without a conversation in one of the two periods."""
    return ResponseTimes(network, 0, 0, None, None, None, None, None)
