"""The posts' side of the report: the KPI cards with their trend, the per-network breakdown
and the top and bottom posts, read through analytics.selectors.performance (the figures and
the engagement rate are defined there, never here)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _

from analytics.selectors.performance import (
    Kpi,
    NetworkRow,
    brand_kpis,
    daily_series,
    network_breakdown,
    top_posts,
)
from reports.charts import BarChart, LineChart, bar_chart, line_chart
from reports.sections.base import ReportContext, Table

TOP_POSTS = 5
BOTTOM_POSTS = 3
EXCERPT_CHARS = 160
SERIES = ("reach", "impressions", "engagements")


def kpis_of(ctx: ReportContext) -> list[Kpi]:
    """The period's KPI cards, read once a report (the summary shows some of them too)."""
    return ctx.once(
        "kpis",
        lambda: brand_kpis(
            ctx.actor,
            brand_ids=[ctx.brand.pk],
            period=ctx.period,
            comparison=ctx.comparison,
            tz=ctx.tz,
        ),
    )


@dataclass(frozen=True)
class Kpis:
    cards: list[Kpi]
    days: list[dt.date]
    series: dict[str, list[int | None]]
    audience_chart: LineChart
    engagement_chart: LineChart

    def tables(self) -> list[Table]:
        return [
            Table(
                _("Key figures"),
                [_("Figure"), _("Value"), _("Comparison period"), _("Change")],
                [[k.label, k.value, k.previous, k.change] for k in self.cards],
            ),
            Table(
                _("Day by day"),
                [_("Day"), _("Reach"), _("Impressions"), _("Interactions")],
                [[day, *(self.series[m][i] for m in SERIES)] for i, day in enumerate(self.days)],
            ),
        ]


def build_kpis(ctx: ReportContext) -> Kpis:
    found = daily_series(
        ctx.actor, brand_ids=[ctx.brand.pk], period=ctx.period, metrics=SERIES, tz=ctx.tz
    )
    days = ctx.period.dates()
    series = {metric: [value for _day, value in found[metric]] for metric in SERIES}
    return Kpis(
        cards=kpis_of(ctx),
        days=days,
        series=series,
        audience_chart=line_chart(
            days=days,
            series=[
                (_("Reach"), ctx.primary, _floats(series["reach"])),
                (_("Impressions"), ctx.accent, _floats(series["impressions"])),
            ],
        ),
        engagement_chart=line_chart(
            days=days,
            series=[(_("Interactions"), ctx.primary, _floats(series["engagements"]))],
        ),
    )


def _floats(values: list[int | None]) -> list[float | None]:
    return [None if v is None else float(v) for v in values]


@dataclass(frozen=True)
class Networks:
    rows: list[NetworkRow]
    chart: BarChart

    def tables(self) -> list[Table]:
        return [
            Table(
                _("Per network"),
                [
                    _("Network"),
                    _("Accounts"),
                    _("Posts published"),
                    _("Impressions"),
                    _("Reach"),
                    _("Interactions"),
                    _("Engagement rate"),
                    _("Followers"),
                    _("Follower growth"),
                ],
                [
                    [
                        r.label,
                        r.accounts,
                        r.posts_published,
                        r.impressions,
                        r.reach,
                        r.engagements,
                        r.engagement_rate,
                        r.followers,
                        r.follower_growth,
                    ]
                    for r in self.rows
                ],
            )
        ]


def build_networks(ctx: ReportContext) -> Networks:
    rows = network_breakdown(ctx.actor, brand_ids=[ctx.brand.pk], period=ctx.period, tz=ctx.tz)
    chart = bar_chart(items=[(r.label, _float(r.engagements), ctx.primary) for r in rows])
    return Networks(rows, chart)


def _float(value) -> float | None:
    return None if value is None else float(value)


@dataclass(frozen=True)
class PostLine:
    published_at: dt.datetime  # on the brand's clock
    network: str
    excerpt: str
    url: str
    reach: int | None
    impressions: int | None
    engagements: int | None
    engagement_rate: float | None
    rate_base: str  # what the rate is per: reach, impressions or followers


@dataclass(frozen=True)
class TopPosts:
    top: list[PostLine]
    bottom: list[PostLine]

    def tables(self) -> list[Table]:
        columns = [
            _("Published"),
            _("Network"),
            _("Post"),
            _("Reach"),
            _("Impressions"),
            _("Interactions"),
            _("Engagement rate"),
            _("Rate per"),
            _("Link"),
        ]

        def rows(lines: list[PostLine]) -> list[list]:
            return [
                [
                    p.published_at.replace(tzinfo=None),
                    p.network,
                    p.excerpt,
                    p.reach,
                    p.impressions,
                    p.engagements,
                    p.engagement_rate,
                    p.rate_base,
                    p.url,
                ]
                for p in lines
            ]

        return [
            Table(_("Top posts"), columns, rows(self.top)),
            Table(_("Posts that did least well"), columns, rows(self.bottom)),
        ]


def build_top_posts(ctx: ReportContext) -> TopPosts:
    def read(bottom: bool, n: int) -> list[PostLine]:
        variants = top_posts(
            ctx.actor,
            brand_ids=[ctx.brand.pk],
            period=ctx.period,
            n=n,
            bottom=bottom,
            tz=ctx.tz,
        )
        return [_line(ctx, variant) for variant in variants]

    top = read(False, TOP_POSTS)
    shown = {(p.published_at, p.excerpt) for p in top}
    bottom = [p for p in read(True, BOTTOM_POSTS) if (p.published_at, p.excerpt) not in shown]
    return TopPosts(top, bottom)


def _line(ctx: ReportContext, variant) -> PostLine:
    text = variant.text_override or variant.post.text or ""
    flat = " ".join(text.split())
    if len(flat) > EXCERPT_CHARS:
        flat = flat[: EXCERPT_CHARS - 1].rstrip() + "…"
    return PostLine(
        published_at=variant.published_at.astimezone(ctx.tz),
        network=variant.social_account.get_network_display(),
        excerpt=flat,
        url=variant.external_url,
        reach=getattr(variant, "reach", None),
        impressions=getattr(variant, "impressions", None),
        engagements=getattr(variant, "engagements", None),
        engagement_rate=getattr(variant, "engagement_rate", None),
        rate_base=str(getattr(variant, "rate_base", "") or ""),
    )
