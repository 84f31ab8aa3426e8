"""The brand's campaigns of the period (with their KPI targets beside what was measured) and
what is planned for the period after the report's, read through campaigns' selectors."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import formats
from django.utils.translation import gettext as _

from analytics.selectors.performance import campaign_kpis
from campaigns.models import PostState
from campaigns.selectors.calendar import calendar_posts_by_day
from campaigns.selectors.planning import campaigns_visible_to
from reports.sections.base import ReportContext, Table

CAMPAIGNS_SHOWN = 12
PLANNED_SHOWN = 60
EXCERPT_CHARS = 140
# What the client is shown of the next period: the posts on their way, not the team's drafts
# nor what was cancelled or failed.
PLANNED_STATES = (
    PostState.IN_REVIEW,
    PostState.CHANGES_REQUESTED,
    PostState.APPROVED,
    PostState.SCHEDULED,
    PostState.PUBLISHING,
    PostState.PUBLISHED,
    PostState.PARTLY_PUBLISHED,
)


@dataclass(frozen=True)
class TargetLine:
    label: str
    target: float
    value: float | None  # None: not available or not measured
    progress: float | None  # value ÷ target
    unit: str  # "count" or "percent"
    note: str


@dataclass(frozen=True)
class CampaignLine:
    name: str
    objective: str
    status: str
    starts_on: dt.date
    ends_on: dt.date
    posts: int
    targets: list[TargetLine]


@dataclass(frozen=True)
class Campaigns:
    campaigns: list[CampaignLine]

    def tables(self) -> list[Table]:
        rows = [
            [c.name, c.objective, c.status, c.starts_on, c.ends_on, c.posts] for c in self.campaigns
        ]
        targets = [
            [c.name, t.label, t.target, t.value, t.progress, t.note]
            for c in self.campaigns
            for t in c.targets
        ]
        return [
            Table(
                _("Campaigns"),
                [_("Campaign"), _("Objective"), _("Status"), _("Start"), _("End"), _("Posts")],
                rows,
            ),
            Table(
                _("Campaign targets"),
                [_("Campaign"), _("Target"), _("Goal"), _("Result"), _("Progress"), _("Note")],
                targets,
            ),
        ]


def build_campaigns(ctx: ReportContext) -> Campaigns:
    """The brand's campaigns running at some time in the period, latest first."""
    campaigns = list(
        campaigns_visible_to(ctx.actor, brand_id=ctx.brand.pk).filter(
            starts_on__lte=ctx.period.end, ends_on__gte=ctx.period.start
        )[:CAMPAIGNS_SHOWN]
    )
    return Campaigns(
        [
            CampaignLine(
                name=campaign.name,
                objective=campaign.get_objective_display(),
                status=campaign.get_status_display(),
                starts_on=campaign.starts_on,
                ends_on=campaign.ends_on,
                posts=getattr(campaign, "post_count", 0),
                targets=_targets(ctx, campaign),
            )
            for campaign in campaigns
        ]
    )


def _targets(ctx: ReportContext, campaign) -> list[TargetLine]:
    """The campaign's KPI targets beside what analytics measured (over the whole campaign)."""
    return [
        TargetLine(
            label=k.label,
            target=k.target,
            value=k.value,
            progress=k.progress,
            unit=k.unit,
            note=k.note,
        )
        for k in campaign_kpis(ctx.actor, campaign=campaign)
    ]


@dataclass(frozen=True)
class PlannedPost:
    day: dt.date
    time: str  # "14:30" on the brand's clock
    networks: list[str]
    excerpt: str
    state: str
    campaign: str


@dataclass(frozen=True)
class NextCalendar:
    period_label: str
    posts: list[PlannedPost]
    more: int  # planned posts beyond those listed

    def tables(self) -> list[Table]:
        return [
            Table(
                _("Next period's calendar"),
                [_("Day"), _("Time"), _("Networks"), _("Post"), _("Status"), _("Campaign")],
                [
                    [p.day, p.time, ", ".join(p.networks), p.excerpt, p.state, p.campaign]
                    for p in self.posts
                ],
            )
        ]


def build_next_calendar(ctx: ReportContext) -> NextCalendar:
    """The posts planned for the period after the report's, day by day on the brand's clock:
    the text the client will read (never the team's internal title)."""
    following = ctx.following or ctx.period
    days = calendar_posts_by_day(ctx.actor, days=following.dates(), brand_id=ctx.brand.pk)
    planned: list[PlannedPost] = []
    total = 0
    for day, posts in days:
        for post in posts:
            if post.state not in PLANNED_STATES:
                continue
            total += 1
            if len(planned) >= PLANNED_SHOWN:
                continue
            planned.append(
                PlannedPost(
                    day=day,
                    time=formats.time_format(post.local_time, "H:i"),
                    networks=_networks(post),
                    excerpt=_excerpt(post.text),
                    state=post.get_state_display(),
                    campaign=post.campaign.name if post.campaign_id else "",
                )
            )
    return NextCalendar(following.label(), planned, total - len(planned))


def _networks(post) -> list[str]:
    names = {
        variant.social_account.get_network_display()
        for variant in post.variants.all()
        if variant.social_account_id
    }
    return sorted(names)


def _excerpt(text: str) -> str:
    flat = " ".join((text or "").split())
    return flat if len(flat) <= EXCERPT_CHARS else flat[: EXCERPT_CHARS - 1].rstrip() + "…"
