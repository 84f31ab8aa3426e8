"""What campaigns asks of the publishing engine, without importing it.

The publishing app stands above campaigns (it imports campaigns, never the other way round).
Where a person's action on a post must reach the engine, campaigns calls a hook here, which the
publishing app registers in its AppConfig.ready(). Scheduling needs none: it only writes the
database, where the engine's dispatcher finds what is due.
"""

from __future__ import annotations

from collections.abc import Callable

_started_post_cancel: Callable | None = None


def started_post_cancel_register(func: Callable) -> None:
    """Called once by publishing.apps: `func(*, actor, post) -> Post` cancels what still
    waits of a post the engine has started on (publishing, partly published, failed)."""
    global _started_post_cancel
    _started_post_cancel = func


def started_post_cancel(*, actor, post):
    """Cancel what still waits of a post the engine holds (see the registered function)."""
    if _started_post_cancel is None:
        raise RuntimeError("The publishing app is not installed: add it to INSTALLED_APPS.")
    return _started_post_cancel(actor=actor, post=post)
