"""The state machine of a report run, in one place.

    queued    -> rendering | failed
    rendering -> done | failed | queued   (queued: its worker died, the lease ran out)
    failed    -> queued                   (a person's retry)
    done: final

A run moves only through `run_move` (in memory, the caller saves) or, where two workers may
race, through a conditional update whose move `check_move` has approved first: a move the
table does not list raises instead of being written.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RunState(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RENDERING = "rendering", _("Rendering")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


State = RunState

ALLOWED_MOVES: dict[str, frozenset[str]] = {
    State.QUEUED: frozenset({State.RENDERING, State.FAILED}),
    State.RENDERING: frozenset({State.DONE, State.FAILED, State.QUEUED}),
    State.FAILED: frozenset({State.QUEUED}),
    State.DONE: frozenset(),
}

# A run still on its way: the run page polls while it is in one of these.
IN_PROGRESS = (State.QUEUED, State.RENDERING)


class RunStep(models.TextChoices):
    """What a run is doing, shown beside its percentage."""

    WAITING = "waiting", _("Waiting for a worker")
    COLLECTING = "collecting", _("Gathering the figures")
    RENDERING_HTML = "rendering_html", _("Laying out the report")
    RENDERING_PDF = "rendering_pdf", _("Making the PDF")
    STORING = "storing", _("Storing the PDF")
    EMAILING = "emailing", _("Sending the e-mail")
    FINISHED = "finished", _("Finished")


class IllegalRunMove(ValueError):
    """A run was asked to move to a state its current state does not lead to."""


def check_move(current: str, target: str) -> None:
    if target not in ALLOWED_MOVES.get(current, frozenset()):
        raise IllegalRunMove(f"A report run cannot go from {current!r} to {target!r}.")


def run_move(run, target: str) -> None:
    """Set ``run.state`` to ``target`` after checking the move (the caller saves)."""
    check_move(run.state, target)
    run.state = target
