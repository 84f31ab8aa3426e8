"""The summary's headline figures, taken from the reads the other sections make (shared
through ``ReportContext.once``, so a report reads them once)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from reports.sections.base import ReportContext

if TYPE_CHECKING:
    from reports.sections.cover import Highlight


def highlights_of(ctx: ReportContext) -> list[Highlight]:
    return []
