"""What every section builder takes and gives.

A builder takes a ``ReportContext`` (who asks, for which brand, which period and comparison)
and returns plain data: a frozen dataclass the section's partial renders, with ``tables()``,
the same figures as rows of plain values (str, int, float, date, datetime, None), which the
CSV and XLSX exports write as they are. Builders read other apps only through their
selectors, with the context's actor: a client viewer's report holds only what they may see.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar
from zoneinfo import ZoneInfo

from agency.models import ApiKey, Membership
from analytics.periods import Period

Actor = Membership | ApiKey
T = TypeVar("T")


@dataclass(frozen=True)
class Table:
    """One table of a section: a title, its column headings and its rows. ``None`` in a row is
    a figure that is not available (never written as 0)."""

    title: str
    columns: list[str]
    rows: list[list[Any]]


class SectionData(Protocol):
    def tables(self) -> list[Table]: ...


@dataclass
class ReportContext:
    """One report being built: the reader (``actor``, whose visibility every selector applies),
    the brand, the period on the brand's calendar and what it is compared with (None: no
    comparison), the brand's time zone, the language and the template's commentary.

    ``once`` keeps a read that several sections share (the KPIs the summary and the KPI
    section both show, the listening summary behind three sections) to one call a report."""

    actor: Actor
    brand: Any  # clients.models.Brand
    period: Period
    comparison: Period | None
    tz: ZoneInfo
    language: str
    commentary: str = ""
    title: str = ""
    # The period after the report's, for the next period's calendar.
    following: Period | None = None
    generated_at: dt.datetime | None = None
    # The sections the report holds (the summary shows the figures of those chosen).
    sections: tuple[str, ...] = ()
    # The agency's colours, for the charts (drawn with plain #rrggbb: no CSS variable in SVG).
    primary: str = "#1f6feb"
    accent: str = "#0f766e"
    _shared: dict[str, Any] = field(default_factory=dict, repr=False)

    def once(self, key: str, read: Callable[[], T]) -> T:
        if key not in self._shared:
            self._shared[key] = read()
        return self._shared[key]
