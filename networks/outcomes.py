"""Whether a failed write may have reached the network (the publishing engine's and the
inbox outbox's rule before anything is resent); re-exported by networks.adapter."""

from __future__ import annotations

import httpx

from .base import NetworkError


def write_may_have_landed(exc: NetworkError) -> bool:
    """Whether a failed write may nevertheless have been applied by the network: no answer
    (:class:`OutcomeUnknown`), or an answer that is an error but came after the request was
    received (a 5xx: many networks create the post, then fail). Only a connection that never
    opened is known not to have reached the network."""
    from .base import OutcomeUnknown, TransientError

    if isinstance(exc, OutcomeUnknown):
        return True
    if isinstance(exc, TransientError):
        never_left = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
        return not isinstance(exc.__cause__, never_left)
    return False
