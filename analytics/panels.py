"""The place on the analytics pages where other figures of the same period are added:
listening, e-reputation, share of voice, crises, the inbox's response times.

A panel is a template and a function that gives its context. Whoever adds one appends it to
PANELS (in this module, in the order the panels are shown), from its app's
``AppConfig.ready()``; the brand's, the campaign's and the agency's pages include each template
(templates/analytics/_panels.html) with ``panel`` (what the function returned) beside the
page's own context. ``brand_ids`` is the brands the page covers (None: every brand the person
sees, the agency page).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from analytics.periods import Period


@dataclass(frozen=True)
class PanelRequest:
    actor: Any  # the Membership looking at the page
    brand_ids: list[int] | None
    period: Period
    comparison: Period | None
    tz: ZoneInfo


@dataclass(frozen=True)
class Panel:
    template: str
    context: Callable[[PanelRequest], dict[str, Any]]


PANELS: list[Panel] = []


def panels_render(request: PanelRequest) -> list[tuple[str, dict[str, Any]]]:
    return [(panel.template, panel.context(request)) for panel in PANELS]
