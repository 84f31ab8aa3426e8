"""Building a report: the template's sections, in its order, for one brand and period, in the
report's language. Every figure is read here, once; rendering reads nothing."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.utils import timezone, translation

from analytics.periods import Period
from reports.models import PeriodKind, ReportTemplate
from reports.rendering.branding import Branding, report_branding
from reports.sections.base import Actor, ReportContext, SectionData, Table
from reports.sections.registry import REGISTRY

_TEMPLATE_PERIOD = object()


@dataclass(frozen=True)
class BuiltSection:
    key: str
    label: str
    partial: str
    data: SectionData


@dataclass(frozen=True)
class BuiltReport:
    context: ReportContext
    sections: list[BuiltSection]
    branding: Branding

    @property
    def language(self) -> str:
        return self.context.language

    def tables(self) -> list[tuple[str, Table]]:
        """Every section's tables, in the report's order, with the section's key: what the
        CSV and XLSX exports write."""
        return [(s.key, table) for s in self.sections for table in s.data.tables()]


def following_period(template: ReportTemplate, period: Period) -> Period:
    """The period after ``period``: the next calendar month for a monthly report that covers
    a whole month, else as many days again."""
    start = period.end + dt.timedelta(days=1)
    whole_month = period.start.day == 1 and start.day == 1
    if template.period_kind == PeriodKind.LAST_MONTH and whole_month:
        last = calendar.monthrange(start.year, start.month)[1]
        return Period(start, start.replace(day=last))
    return Period(start, start + dt.timedelta(days=period.days - 1))


def report_build(
    *,
    actor: Actor,
    template: ReportTemplate,
    brand,
    period: Period | None = None,
    comparison: Period | None | object = _TEMPLATE_PERIOD,
    now: dt.datetime | None = None,
) -> BuiltReport:
    """The report ``template`` makes for ``brand``, as ``actor`` may see it (a client viewer's
    report holds only their brands' figures: every selector narrows to the actor).

    The period is the template's, seen on the brand's calendar at ``now``, unless ``period``
    is given; the comparison follows the template's choice unless given (None: none)."""
    tz = ZoneInfo(brand.time_zone)
    moment = now or timezone.now()
    if period is None:
        period = template.period_on(moment.astimezone(tz).date())
    if comparison is _TEMPLATE_PERIOD:
        comparison = template.comparison_for(period)
    assert comparison is None or isinstance(comparison, Period)
    language = template.language_for(brand)
    branding = report_branding(brand.agency)
    with translation.override(language):
        ctx = ReportContext(
            actor=actor,
            brand=brand,
            period=period,
            comparison=comparison,
            tz=tz,
            language=language,
            commentary=template.commentary,
            title=template.name,
            following=following_period(template, period),
            generated_at=moment,
            sections=tuple(template.sections),
            primary=branding.primary,
            accent=branding.accent,
        )
        sections = [
            BuiltSection(key, REGISTRY[key].label, REGISTRY[key].partial, REGISTRY[key].build(ctx))
            for key in template.sections
            if key in REGISTRY
        ]
    return BuiltReport(ctx, sections, branding)
