"""Pinterest's metric names, mapped to the vocabulary (networks/metrics.py) in this one place.

Pinterest gives no reach and no shares; those stay absent. Pin clicks (the close-up) and
outbound clicks (to the destination link) are both clicks, so they add up. Watch time comes
in milliseconds (``VIDEO_V50_WATCH_TIME``, "total play time") and is stored in seconds.
"""

from __future__ import annotations

from datetime import date

from networks.base import MetricSnapshot
from networks.metrics import as_count, mapped, snapshot

# GET /v5/pins/{pin_id}/analytics?metric_types=...: all.lifetime_metrics (or summary_metrics)
PIN_METRICS = {
    "IMPRESSION": "impressions",
    "SAVE": "saves",
    "PIN_CLICK": "clicks",
    "OUTBOUND_CLICK": "clicks",
    "TOTAL_REACTIONS": "likes",
    "TOTAL_COMMENTS": "comments",
    "VIDEO_MRC_VIEW": "video_views",
}
WATCH_TIME_MS = "VIDEO_V50_WATCH_TIME"
PIN_METRIC_TYPES = (*PIN_METRICS, WATCH_TIME_MS)
# GET /v5/user_account/analytics?metric_types=IMPRESSION: all.daily_metrics[].metrics
ACCOUNT_DAILY = {"IMPRESSION": "impressions"}
# GET /v5/user_account
USER_ACCOUNT = {"follower_count": "followers"}


def pin_snapshot(body: dict) -> MetricSnapshot:
    figures = (body.get("all") or {}) if isinstance(body, dict) else {}
    metrics = figures.get("lifetime_metrics") or figures.get("summary_metrics") or {}
    values = mapped(PIN_METRICS, metrics)
    watched = as_count(metrics.get(WATCH_TIME_MS))
    if watched is not None:
        values["watch_time"] = watched // 1000
    return snapshot(values, raw=body)


def account_snapshots(user: dict, analytics: dict, *, today: date) -> list[MetricSnapshot]:
    """One snapshot per day Pinterest reports as READY (days still processing are left out,
    they are read again later), and the follower count on ``today``."""
    days: dict[date, dict[str, int]] = {}
    for entry in ((analytics or {}).get("all") or {}).get("daily_metrics") or []:
        if entry.get("data_status", "READY") != "READY":
            continue
        try:
            day = date.fromisoformat(str(entry.get("date")))
        except ValueError:
            continue
        days[day] = mapped(ACCOUNT_DAILY, entry.get("metrics") or {})
    days.setdefault(today, {}).update(mapped(USER_ACCOUNT, user))
    raw = {"user": user, "analytics": analytics}
    return [snapshot(values, day=day, raw=raw) for day, values in sorted(days.items())]
