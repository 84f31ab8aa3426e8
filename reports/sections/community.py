"""Community management: the inbox's response times per network and the moderation actions,
read through analytics.selectors.community (the definitions are engagement's)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from analytics.selectors.community import CommunitySummary, brand_community
from networks.registry import NETWORK_CHOICES
from reports.sections.base import ReportContext, Table


@dataclass(frozen=True)
class Community:
    summary: CommunitySummary
    network_labels: dict[str, str]

    @property
    def networks(self):
        """(label, current figures, previous figures) per network."""
        return [
            (self.network_labels.get(n.network, n.network), n.current, n.previous)
            for n in self.summary.by_network
        ]

    def tables(self) -> list[Table]:
        columns = [
            _("Network"),
            _("Conversations received"),
            _("Answered"),
            _("Share answered"),
            _("Median first response (s)"),
            _("90th percentile (s)"),
            _("Answered within 1 h"),
            _("Answered within 24 h"),
        ]

        def row(label, f) -> list:
            return [
                label,
                f.received,
                f.answered,
                f.share_answered,
                f.first_response_median_seconds,
                f.first_response_p90_seconds,
                f.share_answered_within_1h,
                f.share_answered_within_24h,
            ]

        rows = [row(_("All networks"), self.summary.total)]
        rows += [row(label, current) for label, current, _previous in self.networks]
        m = self.summary.moderation
        return [
            Table(_("Response times"), columns, rows),
            Table(
                _("Moderation"),
                [_("Hidden"), _("Unhidden"), _("Deleted"), _("By a rule"), _("By a person")],
                [[m.hidden, m.unhidden, m.deleted, m.by_rule, m.by_person]],
            ),
        ]


def build_community(ctx: ReportContext) -> Community:
    summary = brand_community(
        ctx.actor,
        brand_ids=[ctx.brand.pk],
        tz=ctx.tz,
        period=ctx.period,
        comparison=ctx.comparison,
    )
    return Community(summary, {key: str(label) for key, label in NETWORK_CHOICES})
