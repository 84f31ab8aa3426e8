"""The one vocabulary of metrics, and what every network's mapping to it shares.

Each network names its counters its own way (Graph's ``post_media_view``, X's
``impression_count``, Mastodon's ``favourites_count``); each network's ``metrics.py`` maps its
names to these, in one place, and nothing else in the product knows a network's names. A
metric a network does not give is absent (``None``), never 0: "not available" and "nobody
clicked" are different answers, and an engagement rate must not be computed from a made-up 0.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta
from typing import Any

from networks.base import MetricSnapshot

# Counters of one post (lifetime, as of the reading).
POST_METRICS = (
    "impressions",  # times shown, the same person counted again
    "reach",  # people it was shown to (unique)
    "views",  # Meta's replacement of impressions (media views), Mastodon/Bluesky have none
    "likes",  # likes, reactions, favourites
    "comments",  # comments and replies
    "shares",  # shares, reposts, retweets and quotes
    "saves",  # saves and bookmarks
    "clicks",
    "video_views",
    "watch_time",  # seconds
)
# Figures of one account, per day (followers: the count at the end of the day).
ACCOUNT_METRICS = (
    "followers",
    "follower_growth",  # followers gained that day (the network's own figure, or derived)
    "reach",
    "impressions",
    "views",
    "profile_views",
)
VOCABULARY = tuple(dict.fromkeys(POST_METRICS + ACCOUNT_METRICS))


def as_count(value: Any) -> int | None:
    """A network's counter as an int, or None when it gave none (or something that is not a
    number: a changed API must not store garbage)."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return None


def mapped(names: Mapping[str, str], body: Mapping[str, Any]) -> dict[str, int]:
    """``{vocabulary name: value}`` from a network's ``{its name: value}`` through ``names``
    (its name -> vocabulary name). Several of its names may map to one of ours (X's retweets
    and quotes are both shares): they add up, over those it gave; none given, none stored."""
    out: dict[str, int] = {}
    for theirs, ours in names.items():
        value = as_count(body.get(theirs))
        if value is not None:
            out[ours] = out.get(ours, 0) + value
    return out


def snapshot(values: Mapping[str, int], *, raw: Any = None, day: date | None = None):
    """A MetricSnapshot of vocabulary values (unknown names are a programming error)."""
    unknown = set(values) - set(VOCABULARY)
    if unknown:
        raise ValueError(f"not in the metrics vocabulary: {sorted(unknown)}")
    return MetricSnapshot(**values, raw=raw, day=day)


def graph_lifetime_values(body: Mapping[str, Any]) -> dict[str, Any]:
    """Meta's insights answer (``{"data": [{"name", "period", "values": [{"value"}]}]}``, or
    ``total_value`` for metrics asked with ``metric_type=total_value``) as ``{name: value}``."""
    out: dict[str, Any] = {}
    for metric in body.get("data") or []:
        if "total_value" in metric:
            out[metric["name"]] = (metric.get("total_value") or {}).get("value")
        else:
            out[metric["name"]] = ((metric.get("values") or [{}])[0]).get("value")
    return out


def graph_daily_values(body: Mapping[str, Any]) -> dict[date, dict[str, Any]]:
    """Meta's ``period=day`` insights as ``{day: {name: value}}``. Each value's ``end_time``
    is the end of the day it counts (midnight Pacific time, e.g. ``2020-03-11T07:00:00+0000``
    for 10 March), so its day is the day before the end time's date."""
    days: dict[date, dict[str, Any]] = {}
    for metric in body.get("data") or []:
        if metric.get("period") not in (None, "day"):
            continue
        for point in metric.get("values") or []:
            end = _parse_time(point.get("end_time"))
            if end is None:
                continue
            days.setdefault((end - timedelta(days=1)).date(), {})[metric["name"]] = point.get(
                "value"
            )
    return days


def _parse_time(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value.replace("+0000", "+00:00").replace("Z", "+00:00"))
    except ValueError:
        return None


def days_between(since: date, until: date) -> Iterable[date]:
    day = since
    while day <= until:
        yield day
        day += timedelta(days=1)


def utc_today() -> date:
    """The day an account's "now" counters (followers) are stored under."""
    from datetime import UTC

    return datetime.now(UTC).date()
