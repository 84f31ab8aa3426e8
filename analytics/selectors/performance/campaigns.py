"""A campaign's results against the KPI targets it set (campaigns.models.planning.KPI_KEYS)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db.models import Avg, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from analytics.models import AccountMetricDay
from analytics.rates import engagement_rate_expressions
from analytics.selectors.performance.scope import (
    Actor,
    accounts_in_scope,
    published_variants,
    with_columns,
)
from campaigns.models import Campaign
from campaigns.models.planning import KPI_KEYS

KPI_TARGET_LABELS = {
    "reach": _("Reach"),
    "engagement_rate": _("Engagement rate"),
    "followers_gained": _("Followers gained"),
    "leads": _("Leads"),
    "clicks": _("Clicks"),
}
# What the product cannot measure, and why (shown beside the target).
NOT_MEASURED = {
    "leads": _("Leads are not measured: the networks do not report them. Count them in your CRM."),
}


@dataclass(frozen=True)
class KpiTarget:
    key: str
    label: str
    target: float
    value: float | None  # None: not available (or not measured)
    unit: str  # "count", or "percent" for the engagement rate (targets are set in percent)
    measured: bool
    note: str = ""

    @property
    def progress(self) -> float | None:
        """value ÷ target (1.0: reached), None when either is missing or the target is 0."""
        if self.value is None or not self.target:
            return None
        return self.value / self.target


def campaign_kpis(actor: Actor, *, campaign: Campaign) -> list[KpiTarget]:
    """Each KPI target the campaign set, in KPI_KEYS order, beside what was measured: reach
    and clicks of the campaign's published posts (latest readings), their mean engagement rate
    in percent, and the followers its brand's accounts gained from its first day to its last
    (or today). Three queries at most."""
    targets = campaign.kpi_targets or {}
    wanted = [key for key in KPI_KEYS if key in targets]
    if not wanted:
        return []
    _interactions, rate, _base = engagement_rate_expressions()
    posts = with_columns(
        published_variants(actor, brand_ids=[campaign.brand_id], campaign_id=campaign.pk)
    ).aggregate(reach_total=Sum("reach"), clicks_total=Sum("clicks"), rate=Avg(rate))
    measured: dict[str, float | None] = {
        "reach": posts["reach_total"],
        "clicks": posts["clicks_total"],
        "engagement_rate": posts["rate"] * 100 if posts["rate"] is not None else None,
    }
    if "followers_gained" in wanted:
        today = timezone.now().astimezone(ZoneInfo(campaign.brand.time_zone)).date()
        last = min(campaign.ends_on, today)
        measured["followers_gained"] = (
            AccountMetricDay.objects.filter(
                social_account__in=accounts_in_scope(actor, [campaign.brand_id]).values("pk"),
                metric="follower_growth",
                day__gte=campaign.starts_on,
                day__lte=last,
            ).aggregate(total=Sum("value"))["total"]
            if last >= campaign.starts_on
            else None
        )
    return [
        KpiTarget(
            key=key,
            label=str(KPI_TARGET_LABELS[key]),
            target=float(targets[key]),
            value=None if key in NOT_MEASURED else measured.get(key),
            unit="percent" if key == "engagement_rate" else "count",
            measured=key not in NOT_MEASURED,
            note=str(NOT_MEASURED.get(key, "")),
        )
        for key in wanted
    ]


def campaign_period_bounds(campaign: Campaign) -> tuple[dt.date, dt.date]:
    """The campaign's days up to today on its brand's clock (a campaign page's default)."""
    today = timezone.now().astimezone(ZoneInfo(campaign.brand.time_zone)).date()
    return campaign.starts_on, max(campaign.starts_on, min(campaign.ends_on, today))
