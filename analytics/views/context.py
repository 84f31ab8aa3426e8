"""What the three analytics pages share: reading the period, the sort and the page from the
query string, and gathering the figures (analytics.selectors.performance) into the context of
templates/analytics/_figures.html."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from django.http import HttpRequest, QueryDict
from django.utils import timezone
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext as _

from agency.views.common import paginate
from analytics.periods import Compare, PeriodChoice, Preset, period_choose
from analytics.selectors.metrics import metrics_freshness
from analytics.selectors.performance import (
    DEFAULT_POST_SORT,
    POST_COLUMNS,
    accounts_in_scope,
    best_times,
    brand_kpis,
    daily_series,
    network_breakdown,
    post_rows,
    post_sort_valid,
    top_posts,
)

# The trend charts: (id, the daily series it draws); titles in chart_titles().
CHARTS = (
    ("interactions", ("engagements", "posts_published")),
    ("followers", ("followers",)),
    ("audience", ("reach", "impressions")),
)
# How far back the best time to post reads the brand's history, from the period's last day.
BEST_TIMES_DAYS = 365


def chart_titles() -> dict[str, str]:
    return {
        "interactions": _("Interactions and posts per day"),
        "followers": _("Followers"),
        "audience": _("Reach and impressions of the accounts per day"),
    }


def series_labels() -> dict[str, str]:
    return {
        "engagements": _("Interactions"),
        "posts_published": _("Posts published"),
        "followers": _("Followers"),
        "reach": _("Reach"),
        "impressions": _("Impressions"),
    }


def post_columns() -> list[tuple[str, str]]:
    """The sortable columns of the post table, in its order (POST_COLUMNS, then the totals)."""
    labels = {
        "impressions": _("Impressions"),
        "reach": _("Reach"),
        "views": _("Views"),
        "likes": _("Likes and reactions"),
        "comments": _("Comments"),
        "shares": _("Shares"),
        "saves": _("Saves"),
        "clicks": _("Clicks"),
        "video_views": _("Video views"),
        "engagements": _("Interactions"),
        "engagement_rate": _("Engagement rate"),
    }
    assert list(labels)[: len(POST_COLUMNS)] == list(POST_COLUMNS)
    return list(labels.items())


def today_in(tz: ZoneInfo) -> dt.date:
    return timezone.now().astimezone(tz).date()


def choose_period(
    params: QueryDict, *, tz: ZoneInfo, default: tuple[dt.date, dt.date] | None = None
) -> tuple[PeriodChoice, dict[str, str]]:
    """The period the query string asks for; with none asked and a ``default`` (a campaign's
    days), those days."""
    asked = {key: params.get(key, "") for key in ("preset", "start", "end", "compare")}
    if default is not None and not (asked["preset"] or asked["start"] or asked["end"]):
        asked.update(preset=Preset.CUSTOM, start=default[0].isoformat(), end=default[1].isoformat())
    return period_choose(asked, today=today_in(tz))


def figures_context(
    request: HttpRequest,
    *,
    brand_ids: list[int] | None,
    tz: ZoneInfo,
    campaign_id: int | None = None,
    default_period: tuple[dt.date, dt.date] | None = None,
) -> dict[str, Any]:
    actor = request.membership  # type: ignore[attr-defined]
    choice, errors = choose_period(request.GET, tz=tz, default=default_period)
    period, comparison = choice.period, choice.comparison
    sort = request.GET.get("sort") or DEFAULT_POST_SORT
    if not post_sort_valid(sort):
        errors["sort"] = _("The posts cannot be sorted by “%(sort)s”.") % {"sort": sort[:40]}
        sort = DEFAULT_POST_SORT
    scope = {"brand_ids": brand_ids, "tz": tz}
    series = daily_series(
        actor,
        period=period,
        metrics=["engagements", "posts_published", "followers", "reach", "impressions"],
        **scope,
    )
    posts = post_rows(actor, campaign_id=campaign_id, period=period, sort=sort, **scope)
    top = top_posts(actor, period=period, campaign_id=campaign_id, **scope)
    bottom = top_posts(actor, period=period, campaign_id=campaign_id, bottom=True, **scope)
    _begin, stop = period.utc_bounds(tz)
    heatmap = best_times(
        actor,
        brand_ids=brand_ids,
        tz=tz,
        since=stop - dt.timedelta(days=BEST_TIMES_DAYS),
        until=stop,
    )
    account_ids = list(accounts_in_scope(actor, brand_ids).values_list("pk", flat=True))
    return {
        "choice": choice,
        "period": period,
        "comparison": comparison,
        "errors": errors,
        "presets": Preset.choices,
        "compares": Compare.choices,
        "tz": tz,
        "kpis": brand_kpis(actor, period=period, comparison=comparison, **scope),
        "charts": charts_of(series),
        "networks": network_breakdown(actor, period=period, **scope),
        "page": paginate(request, posts),
        "sort": sort,
        "top": top,
        "top_sections": [
            (_("Highest engagement rate"), top),
            (_("Lowest engagement rate"), bottom),
        ],
        "post_columns": post_columns(),
        "heatmap": heatmap,
        "heat_rows": [(WEEKDAYS[day - 1], cells) for day, cells in heatmap.rows()],
        "best_hours": [(WEEKDAYS[cell.weekday - 1], cell) for cell in heatmap.best()],
        "heatmap_since": (stop - dt.timedelta(days=BEST_TIMES_DAYS)).astimezone(tz).date(),
        "freshness": metrics_freshness(social_account_ids=account_ids),
        "has_accounts": bool(account_ids),
    }


def charts_of(series: dict[str, list[tuple[dt.date, int | None]]]) -> list[dict[str, Any]]:
    """Each chart's data as numbers (for json_script) and as rows (for its table)."""
    titles, labels = chart_titles(), series_labels()
    charts = []
    for key, names in CHARTS:
        days = [day for day, _value in series[names[0]]]
        datasets = [
            {"key": name, "label": labels[name], "values": [v for _d, v in series[name]]}
            for name in names
        ]
        empty = all(
            v in (None, 0) if d["key"] == "posts_published" else v is None
            for d in datasets
            for v in d["values"]
        )
        charts.append(
            {
                "id": f"chart-{key}",
                "title": titles[key],
                "empty": empty,
                "data": {
                    "labels": [day.isoformat() for day in days],
                    "datasets": datasets,
                    "bar": ["posts_published"],
                },
                "rows": [(day, [d["values"][i] for d in datasets]) for i, day in enumerate(days)],
                "columns": [d["label"] for d in datasets],
            }
        )
    return charts
