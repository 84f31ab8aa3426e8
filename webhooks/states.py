"""The state machine of a webhook delivery, in one place.

    pending -> succeeded | failed | dead
    failed  -> succeeded | failed | dead
    succeeded, dead: final

A delivery is `failed` while it will be retried and `dead` once retries stop (24 hours after
the event, a test event's only attempt, or its endpoint turned off). The services move a
delivery only through `delivery_move`, so an illegal move raises instead of being written.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class WebhookDeliveryState(models.TextChoices):
    PENDING = "pending", _("Pending")
    SUCCEEDED = "succeeded", _("Delivered")
    FAILED = "failed", _("Failed, will retry")
    DEAD = "dead", _("Given up")


State = WebhookDeliveryState

ALLOWED_MOVES: dict[str, frozenset[str]] = {
    State.PENDING: frozenset({State.SUCCEEDED, State.FAILED, State.DEAD}),
    State.FAILED: frozenset({State.SUCCEEDED, State.FAILED, State.DEAD}),
    State.SUCCEEDED: frozenset(),
    State.DEAD: frozenset(),
}

# The states in which an attempt may still be made: what the sweep and the claim look for.
SENDABLE = (State.PENDING, State.FAILED)


class IllegalDeliveryMove(ValueError):
    """A delivery was asked to move to a state its current state does not lead to."""


def check_move(current: str, target: str) -> None:
    if target not in ALLOWED_MOVES.get(current, frozenset()):
        raise IllegalDeliveryMove(f"A webhook delivery cannot go from {current!r} to {target!r}.")


def delivery_move(delivery, target: str) -> None:
    """Set `delivery.state` to `target` after checking the move (the caller saves)."""
    check_move(delivery.state, target)
    delivery.state = target
