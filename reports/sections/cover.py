"""The report's opening: the cover (who, for whom, which period) and the summary (the account
manager's commentary and the period's headline figures)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import formats
from django.utils.translation import gettext as _

from reports.sections.base import ReportContext, Table


@dataclass(frozen=True)
class Cover:
    title: str
    brand_name: str
    brand_logo: str  # the storage name of the brand's logo, "" without one
    period_label: str
    comparison_label: str  # "" without a comparison
    generated_on: str

    def tables(self) -> list[Table]:
        rows = [
            [_("Report"), self.title],
            [_("Brand"), self.brand_name],
            [_("Period"), self.period_label],
        ]
        if self.comparison_label:
            rows.append([_("Compared with"), self.comparison_label])
        rows.append([_("Generated on"), self.generated_on])
        return [Table(_("Cover"), [_("Item"), _("Value")], rows)]


def build_cover(ctx: ReportContext) -> Cover:
    generated = ctx.generated_at.astimezone(ctx.tz) if ctx.generated_at else None
    return Cover(
        title=ctx.title,
        brand_name=ctx.brand.name,
        brand_logo=ctx.brand.logo.name if ctx.brand.logo else "",
        period_label=ctx.period.label(),
        comparison_label=ctx.comparison.label() if ctx.comparison else "",
        generated_on=formats.date_format(generated, "DATE_FORMAT") if generated else "",
    )


@dataclass(frozen=True)
class Highlight:
    label: str
    value: float | None  # None: not available
    change: float | None  # against the comparison period; None: no ratio
    unit: str  # "count", "ratio" (0.05 is 5 %) or "points"


@dataclass(frozen=True)
class Summary:
    commentary: str
    period_label: str
    comparison_label: str
    highlights: list[Highlight]

    @property
    def paragraphs(self) -> list[str]:
        return [p.strip() for p in self.commentary.split("\n\n") if p.strip()]

    def tables(self) -> list[Table]:
        tables = [Table(_("Commentary"), [_("Commentary")], [[p] for p in self.paragraphs])]
        if self.highlights:
            tables.append(
                Table(
                    _("Highlights"),
                    [_("Figure"), _("Value"), _("Change")],
                    [[h.label, h.value, h.change] for h in self.highlights],
                )
            )
        return tables


def build_summary(ctx: ReportContext) -> Summary:
    from reports.sections.highlights import highlights_of

    return Summary(
        commentary=ctx.commentary,
        period_label=ctx.period.label(),
        comparison_label=ctx.comparison.label() if ctx.comparison else "",
        highlights=highlights_of(ctx),
    )
