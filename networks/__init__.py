"""One module per social network behind one interface. Pure Python: no Django imports.

Start with :func:`networks.registry.get_adapter`, the dataclasses and errors in
:mod:`networks.base`, :func:`networks.rules.check_content` and :func:`networks.rss.fetch_feed`.
"""

from .base import (
    AppCredentials,
    AuthExpired,
    Capabilities,
    Comment,
    Credentials,
    MediaItem,
    MediaKind,
    Mention,
    MetricSnapshot,
    Network,
    NetworkError,
    NotSupported,
    OutcomeUnknown,
    PermanentError,
    PostContent,
    PublishResult,
    RateLimited,
    TransientError,
)

__all__ = [
    "AppCredentials",
    "AuthExpired",
    "Capabilities",
    "Comment",
    "Credentials",
    "MediaItem",
    "MediaKind",
    "Mention",
    "MetricSnapshot",
    "Network",
    "NetworkError",
    "NotSupported",
    "OutcomeUnknown",
    "PermanentError",
    "PostContent",
    "PublishResult",
    "RateLimited",
    "TransientError",
]
