"""Section key → builder → partial: the one table the rendering and the exports walk."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from reports.section_keys import SectionKey
from reports.sections.base import ReportContext, SectionData
from reports.sections.community import build_community
from reports.sections.cover import build_cover, build_summary
from reports.sections.listening import build_crises, build_listening, build_share_of_voice
from reports.sections.performance import build_kpis, build_networks, build_top_posts
from reports.sections.planning import build_campaigns, build_next_calendar


@dataclass(frozen=True)
class SectionSpec:
    key: str
    build: Callable[[ReportContext], SectionData]
    partial: str  # the template that draws the section's data

    @property
    def label(self) -> str:
        return str(SectionKey(self.key).label)


def _spec(key: SectionKey, build: Callable[[ReportContext], SectionData]) -> SectionSpec:
    return SectionSpec(key.value, build, f"reports/sections/{key.value}.html")


REGISTRY: dict[str, SectionSpec] = {
    spec.key: spec
    for spec in (
        _spec(SectionKey.COVER, build_cover),
        _spec(SectionKey.SUMMARY, build_summary),
        _spec(SectionKey.KPIS, build_kpis),
        _spec(SectionKey.NETWORKS, build_networks),
        _spec(SectionKey.TOP_POSTS, build_top_posts),
        _spec(SectionKey.COMMUNITY, build_community),
        _spec(SectionKey.LISTENING, build_listening),
        _spec(SectionKey.SHARE_OF_VOICE, build_share_of_voice),
        _spec(SectionKey.CRISES, build_crises),
        _spec(SectionKey.CAMPAIGNS, build_campaigns),
        _spec(SectionKey.NEXT_CALENDAR, build_next_calendar),
    )
}


def section_spec(key: str) -> SectionSpec:
    """The section of ``key``; KeyError for a key no section has (templates are validated
    against SectionKey, so only a key of a section not built yet)."""
    return REGISTRY[key]
