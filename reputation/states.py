"""The state machines of the listening app's aggregates: every allowed move, in one place.

Services change a state only through ``require`` (or, for a conditional UPDATE that claims a
row, ``filter_from``); a move the table does not list raises ``IllegalTransition``, a
ValidationError, so views and the API show its message as any other refused input.

- A crisis incident: open -> acknowledged -> resolved (or open -> resolved directly).
- An OPML import: queued -> checking -> done | failed; a queued import that never ran may
  also be given up (failed).

A source has no status of its own: due, leased and backing off follow from ``next_poll_at``,
``lease_until`` and ``consecutive_failures`` (reputation.services.polling), and the lease is
taken by a conditional UPDATE there.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy

from reputation.models.crises import CrisisState
from reputation.models.sources import SourceImportState


class IllegalTransition(ValidationError):
    """A state change that the aggregate's machine does not allow."""


@dataclass(frozen=True)
class StateMachine:
    transitions: Mapping[str, frozenset[str]]
    labels: Mapping[str, str]
    # "%(state)s" and "%(to)s" are the labels of the current and the wanted state.
    refusal: str

    def allows(self, current: str, to: str) -> bool:
        return to in self.transitions.get(current, frozenset())

    def require(self, current: str, to: str) -> None:
        """Raise IllegalTransition unless ``current -> to`` is allowed."""
        if not self.allows(current, to):
            raise IllegalTransition(
                str(self.refusal)
                % {"state": self.labels.get(current, current), "to": self.labels.get(to, to)}
            )

    def filter_from(self, to: str) -> dict:
        """The ``state__in`` filter of a conditional UPDATE that moves rows to ``to``: only
        rows in a state allowed to move there change."""
        return {"state__in": sorted(s for s, targets in self.transitions.items() if to in targets)}


CRISIS_INCIDENT = StateMachine(
    transitions={
        CrisisState.OPEN: frozenset({CrisisState.ACKNOWLEDGED, CrisisState.RESOLVED}),
        CrisisState.ACKNOWLEDGED: frozenset({CrisisState.RESOLVED}),
        CrisisState.RESOLVED: frozenset(),
    },
    labels=dict(CrisisState.choices),
    refusal=gettext_lazy("An incident that is %(state)s cannot become %(to)s."),
)

SOURCE_IMPORT = StateMachine(
    transitions={
        SourceImportState.QUEUED: frozenset({SourceImportState.CHECKING, SourceImportState.FAILED}),
        SourceImportState.CHECKING: frozenset({SourceImportState.DONE, SourceImportState.FAILED}),
        SourceImportState.DONE: frozenset(),
        SourceImportState.FAILED: frozenset(),
    },
    labels=dict(SourceImportState.choices),
    refusal=gettext_lazy("An import that is %(state)s cannot become %(to)s."),
)
