"""The summary's headline figures, taken from the reads the other sections make (shared
through ``ReportContext.once``, so a report reads them once): the posts' reach, interactions,
engagement rate and followers, and when the report has listening, the mentions and the
e-reputation score."""

from __future__ import annotations

from django.utils.translation import gettext as _

from reports.section_keys import SectionKey
from reports.sections.base import ReportContext
from reports.sections.cover import Highlight
from reports.sections.listening import listening_of
from reports.sections.performance import kpis_of

KPI_HIGHLIGHTS = ("reach", "engagements", "engagement_rate", "followers")
LISTENING_SECTIONS = {SectionKey.LISTENING, SectionKey.SHARE_OF_VOICE, SectionKey.CRISES}


def highlights_of(ctx: ReportContext) -> list[Highlight]:
    cards = {k.key: k for k in kpis_of(ctx)}
    out = [
        Highlight(cards[key].label, cards[key].value, cards[key].change, cards[key].unit)
        for key in KPI_HIGHLIGHTS
        if key in cards
    ]
    if LISTENING_SECTIONS & set(ctx.sections):
        listening = listening_of(ctx)
        out.append(Highlight(_("Mentions"), listening.mentions, listening.mentions_change, "count"))
        out.append(
            Highlight(
                _("E-reputation score"),
                listening.reputation_score,
                listening.reputation_score_change,
                "points",
            )
        )
    return out
