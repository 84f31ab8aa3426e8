"""The one interface every network adapter implements.

Pure Python: the Django side decrypts tokens, builds these dataclasses, calls an adapter and
stores what comes back. Nothing here knows about models, tenants or settings.

Guarantees every adapter gives:

* A method whose capability is ``False`` raises :class:`NotSupported` before any HTTP call.
* Every failure is one of the exceptions below, never a bare ``httpx`` error, so callers can
  decide between "retry later", "reconnect the account", "tell a person" and "ask the network
  whether the post exists" without knowing which network they talk to.
* A write whose outcome is unknown (timeout after the request was sent) raises
  :class:`OutcomeUnknown`, never :class:`TransientError`: retrying it blindly could post twice.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any


class Network(enum.StrEnum):
    MASTODON = "mastodon"
    BLUESKY = "bluesky"
    FACEBOOK = "facebook"
    INSTAGRAM = "instagram"
    LINKEDIN = "linkedin"
    X = "x"
    LINKEDIN_PROFILE = "linkedin_profile"
    TIKTOK = "tiktok"
    YOUTUBE = "youtube"
    PINTEREST = "pinterest"
    GOOGLE_BUSINESS = "google_business"
    THREADS = "threads"
    INSTAGRAM_LOGIN = "instagram_login"


# --------------------------------------------------------------------------- errors


class NetworkError(Exception):
    """Base of every error an adapter raises. ``explanation`` is plain English for people."""

    def __init__(self, explanation: str = "", *, network: str = "", raw: Any = None):
        super().__init__(explanation)
        self.explanation = explanation
        self.network = network
        self.raw = raw


class NotSupported(NetworkError):
    """The network (or this adapter) cannot do that; see the adapter's ``capabilities``."""


class AuthExpired(NetworkError):
    """The token is expired, revoked or invalid: refresh it or ask the user to reconnect."""


class RateLimited(NetworkError):
    """Too many calls. ``retry_after`` is in seconds when the network said, else ``None``."""

    def __init__(self, explanation: str = "", *, retry_after: float | None = None, **kwargs):
        super().__init__(explanation, **kwargs)
        self.retry_after = retry_after


class TransientError(NetworkError):
    """The network failed in a way that is safe to retry later (5xx, connection refused)."""


class PermanentError(NetworkError):
    """The network refused the request; retrying the same request will fail the same way.

    ``code``/``subcode`` are the network's own identifiers (e.g. Meta 100/2207026,
    Bluesky ``InvalidRequest``), kept as strings so every network fits.
    """

    def __init__(
        self,
        explanation: str = "",
        *,
        code: str | int | None = None,
        subcode: str | int | None = None,
        **kwargs,
    ):
        super().__init__(explanation, **kwargs)
        self.code = None if code is None else str(code)
        self.subcode = None if subcode is None else str(subcode)


class OutcomeUnknown(NetworkError):
    """A non-idempotent write was sent but no answer came back (timeout, connection reset).

    The post may or may not exist. Callers must ask ``find_existing_post`` first and, if the
    network cannot tell, hand the item to a person instead of retrying.
    """


# --------------------------------------------------------------------------- data


@dataclass
class AppCredentials:
    """The platform's own OAuth client (from settings, or per Mastodon instance)."""

    client_id: str
    client_secret: str = ""


@dataclass
class Credentials:
    """One connected account. Tokens arrive decrypted; never log this object."""

    access_token: str
    refresh_token: str = ""
    expires_at: datetime | None = None
    instance_url: str = ""  # Mastodon instance, Bluesky PDS (defaults to bsky.social)
    external_id: str = ""  # page id, IG user id, organisation URN, DID, X user id...
    extra: dict[str, Any] = field(default_factory=dict)
    # Instagram: the Facebook Page the account is linked to and that Page's token, which the
    # Page-level calls need (its conversations, installing the app for webhooks).
    linked_page_id: str = ""
    linked_page_token: str = ""

    def __repr__(self) -> str:  # tokens must never reach logs or tracebacks
        return (
            f"Credentials(external_id={self.external_id!r}, instance_url={self.instance_url!r}, "
            f"expires_at={self.expires_at!r}, access_token='***')"
        )


class MediaKind(enum.StrEnum):
    IMAGE = "image"
    VIDEO = "video"
    GIF = "gif"


@dataclass
class MediaItem:
    """One picture or video. Give ``data`` or ``path`` (bytes we upload) and/or ``url``.

    Instagram and Facebook fetch media from a public ``url``; the other networks need the
    bytes, which the adapter downloads from ``url`` when neither ``data`` nor ``path`` is set.
    """

    kind: MediaKind
    mime_type: str
    size: int = 0
    data: bytes | None = None
    path: str | None = None
    url: str | None = None
    width: int | None = None
    height: int | None = None
    alt_text: str = ""
    duration_seconds: float | None = None  # videos, when the file could be read

    def local_bytes(self) -> bytes | None:
        if self.data is not None:
            return self.data
        if self.path:
            return Path(self.path).read_bytes()
        return None


@dataclass
class PostContent:
    text: str = ""
    link: str = ""
    link_title: str = ""  # LinkedIn article cards need a title; others ignore it
    media: list[MediaItem] = field(default_factory=list)
    first_comment: str = ""
    thread: list[str] = field(default_factory=list)  # follow-up posts, in order
    idempotency_key: str = ""
    # The network's own publishing options chosen in the composer (a Pinterest board, a
    # YouTube title...), keyed by the names the adapter declares in ``publish_options``.
    options: dict[str, Any] = field(default_factory=dict)


@dataclass
class PublishResult:
    external_id: str
    url: str = ""
    raw: Any = None
    thread_ids: list[str] = field(default_factory=list)  # ids of follow-up posts, if any
    warnings: list[str] = field(default_factory=list)


@dataclass
class Author:
    external_id: str = ""
    handle: str = ""
    name: str = ""
    followers: int | None = None
    url: str = ""


@dataclass
class Comment:
    external_id: str
    author: Author
    text: str
    created_at: datetime | None = None
    parent_id: str = ""
    url: str = ""
    hidden: bool | None = None
    raw: Any = None
    rating: int | None = None  # a review's stars (1 to 5); None: a comment, not a review


@dataclass
class AccountPost:
    """One of the connected account's own posts, as the network lists it (whoever wrote it:
    through us or on the network itself)."""

    external_id: str
    text: str = ""
    url: str = ""
    created_at: datetime | None = None
    comments_count: int | None = None  # None: the network's listing does not say
    other_ids: tuple[str, ...] = ()  # ids the network also knows it by (a Facebook video's)
    raw: Any = None


# At most this many posts from one list_recent_posts call (a few pages of the network's own).
RECENT_POSTS_LIMIT = 100


@dataclass
class Mention:
    external_id: str
    author: Author
    text: str
    url: str = ""
    created_at: datetime | None = None
    language: str = ""
    raw: Any = None


@dataclass
class MetricSnapshot:
    """Counters as the network reports them, in the one vocabulary of ``networks.metrics``;
    ``None`` means "this network does not say" (never 0). ``day`` is the UTC day an account's
    daily figures are for (None: "now", a post's lifetime counters)."""

    impressions: int | None = None
    reach: int | None = None
    views: int | None = None
    likes: int | None = None
    comments: int | None = None
    shares: int | None = None
    saves: int | None = None
    clicks: int | None = None
    video_views: int | None = None
    watch_time: int | None = None  # seconds
    followers: int | None = None
    follower_growth: int | None = None
    profile_views: int | None = None
    day: date | None = None
    raw: Any = None

    def values(self) -> dict[str, int]:
        """The metrics the network gave, by vocabulary name (what it did not give is absent)."""
        from networks.metrics import VOCABULARY

        return {name: getattr(self, name) for name in VOCABULARY if getattr(self, name) is not None}


@dataclass(frozen=True)
class Capabilities:
    publish_text: bool = False
    publish_link: bool = False
    publish_images: bool = False
    publish_video: bool = False
    carousel: bool = False
    thread: bool = False
    first_comment: bool = False
    read_comments: bool = False
    # Comments on the account itself rather than under a post (a Google location's reviews):
    # list_comments(creds, creds.external_id); the owned-comments poll reads them with the
    # comments of the posts (reputation.services.polling).
    read_account_comments: bool = False
    search_mentions: bool = False
    read_mentions: bool = False  # the account's own notifications: mentions, replies, quotes
    read_direct_messages: bool = False  # the account's private conversations
    send_direct_messages: bool = False  # answering them (send_direct_message)
    read_own_posts: bool = False  # the account's own recent posts (list_recent_posts)
    reply: bool = False
    hide_comment: bool = False
    delete_comment: bool = False
    like: bool = False  # like (and unlike) a comment as the account
    private_reply: bool = False  # one private message to a comment's author (Meta)
    post_metrics: bool = False
    account_metrics: bool = False
    token_refresh: bool = False
    find_existing_post: bool = False
    install_webhooks: bool = False  # the network pushes only once the app is installed


@dataclass
class TokenSet:
    """What a token endpoint answered, normalised."""

    access_token: str
    refresh_token: str = ""
    expires_in: int | None = None
    scope: str = ""
    raw: Any = None
