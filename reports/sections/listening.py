"""What only we have beside the posts: listening and sentiment (with a few quotes, Arabic ones
right to left), share of voice against the brand's competitors, and the crises of the period.
One read of analytics.selectors.listening a report, shared by the three sections."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from analytics.selectors.listening import (
    BrandShareOfVoice,
    CrisisSummary,
    ListeningSummary,
    brand_listening,
)
from reports.charts import BarChart, LineChart, bar_chart, line_chart
from reports.sections.base import ReportContext, Table

POSITIVE = "#11743a"
NEUTRAL = "#98a2b3"
NEGATIVE = "#b42318"


def listening_of(ctx: ReportContext) -> ListeningSummary:
    return ctx.once(
        "listening",
        lambda: brand_listening(
            ctx.actor,
            brand_ids=[ctx.brand.pk],
            tz=ctx.tz,
            period=ctx.period,
            comparison=ctx.comparison,
        ),
    )


@dataclass(frozen=True)
class Listening:
    summary: ListeningSummary
    volume_chart: LineChart
    reputation_chart: LineChart

    def tables(self) -> list[Table]:
        s = self.summary
        sentiment = s.sentiment
        return [
            Table(
                _("Listening"),
                [_("Figure"), _("Value"), _("Comparison period"), _("Change")],
                [
                    [_("Mentions"), s.mentions, s.mentions_previous, s.mentions_change],
                    [_("Reach of the mentions"), s.reach, None, None],
                    [
                        _("E-reputation score"),
                        s.reputation_score,
                        s.reputation_score_previous,
                        s.reputation_score_change,
                    ],
                    [_("Positive"), sentiment.positive, None, sentiment.positive_share],
                    [_("Neutral"), sentiment.neutral, None, sentiment.neutral_share],
                    [_("Negative"), sentiment.negative, None, sentiment.negative_share],
                ],
            ),
            Table(
                _("Mentions day by day"),
                [
                    _("Day"),
                    _("Mentions"),
                    _("Positive"),
                    _("Neutral"),
                    _("Negative"),
                    _("E-reputation score"),
                ],
                [
                    [d.day, d.mentions, d.positive, d.neutral, d.negative, d.reputation_score]
                    for d in s.by_day
                ],
            ),
            Table(
                _("Quotes"),
                [
                    _("Published"),
                    _("Author"),
                    _("Network"),
                    _("Sentiment"),
                    _("Language"),
                    _("Text"),
                    _("Link"),
                ],
                [
                    [q.published_at, q.author, q.network, q.sentiment, q.language, q.text, q.url]
                    for q in s.quotes
                ],
            ),
        ]


def build_listening(ctx: ReportContext) -> Listening:
    summary = listening_of(ctx)
    days = [d.day for d in summary.by_day]
    return Listening(
        summary=summary,
        volume_chart=line_chart(
            days=days,
            series=[
                (_("Positive"), POSITIVE, [float(d.positive) for d in summary.by_day]),
                (_("Neutral"), NEUTRAL, [float(d.neutral) for d in summary.by_day]),
                (_("Negative"), NEGATIVE, [float(d.negative) for d in summary.by_day]),
            ],
        ),
        reputation_chart=line_chart(
            days=days,
            series=[
                (
                    _("E-reputation score"),
                    ctx.primary,
                    [float(d.reputation_score) for d in summary.by_day],
                )
            ],
        ),
    )


@dataclass(frozen=True)
class ShareOfVoice:
    brands: list[BrandShareOfVoice]
    charts: list[BarChart]

    @property
    def entries(self):
        return list(zip(self.brands, self.charts, strict=True))

    def tables(self) -> list[Table]:
        return [
            Table(
                _("Share of voice"),
                [_("Voice"), _("Mentions"), _("Share"), _("Comparison period"), _("Share before")],
                [
                    [v.name, v.mentions, v.share, v.mentions_previous, v.share_previous]
                    for b in self.brands
                    for v in b.voices
                ],
            )
        ]


def build_share_of_voice(ctx: ReportContext) -> ShareOfVoice:
    brands = listening_of(ctx).share_of_voice
    charts = [
        bar_chart(
            items=[
                (v.name, float(v.mentions), ctx.primary if v.is_brand else NEUTRAL)
                for v in b.voices
            ]
        )
        for b in brands
    ]
    return ShareOfVoice(brands, charts)


@dataclass(frozen=True)
class Crises:
    summary: CrisisSummary

    def tables(self) -> list[Table]:
        return [
            Table(
                _("Crises"),
                [_("Opened"), _("Resolved"), _("Severity"), _("Cause"), _("State"), _("Mentions")],
                [
                    [
                        i.opened_at,
                        i.resolved_at,
                        i.severity_label,
                        i.cause_label,
                        i.state_label,
                        i.mention_count,
                    ]
                    for i in self.summary.incidents
                ],
            )
        ]


def build_crises(ctx: ReportContext) -> Crises:
    return Crises(listening_of(ctx).crises)
