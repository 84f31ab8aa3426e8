"""The base class every network adapter extends.

A subclass declares ``network``, ``display_name``, ``capabilities`` and ``classify_response``
and overrides the methods its capabilities allow. Every other method raises
:class:`NotSupported` without touching the network (tests check that the two agree).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Collection
from dataclasses import replace
from datetime import date, datetime, timedelta

import httpx

from .addresses import OutboundPolicy
from .base import (
    AccountPost,
    AppCredentials,
    Capabilities,
    Comment,
    Credentials,
    MediaItem,
    Mention,
    MetricSnapshot,
    Network,
    NetworkError,
    NotSupported,
    PostContent,
    PublishResult,
    TokenSet,
)
from .connect import ApiVersions, ConnectedProfile, Connection, granted_scopes
from .deprecation import DeprecationSignal
from .http import HttpSettings, make_client, send
from .lookup import (  # noqa: F401 - re-exported: their callers import them from here
    lookup_candidate,
    normalise_text,
    parse_time,
    recognised_post,
)
from .media import media_bytes
from .oauth import OAuthSpec, build_authorization_url, exchange_code, refresh_access_token
from .options import PublishOption
from .outcomes import write_may_have_landed  # noqa: F401 - its callers import it from here
from .replies import recognised_reply
from .rules import ContentRules, RuleViolation, check_content, rules_for


class NetworkAdapter:
    network: Network
    display_name: str
    capabilities: Capabilities = Capabilities()
    oauth_spec: OAuthSpec | None = None
    docs: tuple[str, ...] = ()  # documentation pages this adapter was written against
    # The API version this adapter speaks and, where the network has published one, the day
    # that version is retired (the network rules watch warns the agency's admins before it).
    api_version: str = ""
    api_retirement: date | None = None
    # How listening goes on from one poll to the next: search_mentions' ``since_id`` and
    # mention_notifications' ``since_id`` are either the newest id read ("id") or the newest
    # creation time read, in ISO 8601 ("time").
    search_cursor: str = "id"
    notifications_cursor: str = "id"
    # The shortest interval a listening search of this network may poll at (a network whose
    # searches eat a daily quota sets more than the product's 5 minutes).
    min_search_interval_minutes: int = 5
    # What the composer asks for besides text and media (networks.options); the publishing
    # engine passes the answers in PostContent.options.
    publish_options: tuple[PublishOption, ...] = ()
    # How an account is connected, and the settings an administrator sets for it (named in
    # the "not configured" message; empty when there is nothing to configure).
    connection: Connection = Connection.OAUTH
    app_settings: str = ""
    client_secret_required: bool = True  # False: a public client (PKCE only) will do
    # The server is the person's choice (a Mastodon instance, a Bluesky PDS): every call goes
    # through the outbound guard, because the name checked when connecting may point
    # elsewhere later.
    user_chosen_server: bool = False
    # How long after the other party's last message the account may still answer them
    # privately, how long after a comment a private reply may be sent, and the longest
    # private message (None: no limit the network documents).
    direct_message_window: timedelta | None = None
    private_reply_window: timedelta | None = None
    direct_message_max_chars: int | None = None

    def __init__(
        self,
        http: httpx.Client | None = None,
        *,
        settings: HttpSettings | None = None,
        sleep: Callable[[float], None] = time.sleep,
        poll_interval: float = 2.0,
        poll_attempts: int = 60,
    ):
        self.settings = settings or HttpSettings()
        self.http = http or make_client(self.settings)
        # Media URLs are the user's: downloaded through the outbound guard with this policy
        # (the Django side sets it from OUTBOUND_ALLOW_PRIVATE_ADDRESSES, clients.adapters).
        self.outbound = OutboundPolicy()
        self.sleep = sleep
        self.poll_interval = poll_interval
        self.poll_attempts = poll_attempts

    @classmethod
    def options_for(cls, versions: ApiVersions) -> dict[str, str]:
        """The constructor options ``versions`` give this adapter (only the ones it takes)."""
        return {}

    # ------------------------------------------------------------------ plumbing

    def classify_response(self, response: httpx.Response) -> NetworkError:
        raise NotImplementedError

    def request(self, method: str, url: str, *, idempotent: bool | None = None, **kwargs):
        return send(
            self.http,
            method,
            url,
            network=self.network.value,
            classify=self.classify_response,
            idempotent=idempotent,
            settings=self.settings,
            sleep=self.sleep,
            inspect=self.deprecation_signals,
            api_version=self.api_version,
            **kwargs,
        )

    def deprecation_signals(self, response: httpx.Response) -> list[DeprecationSignal]:
        """What this network says in its own words about the API going away (the standard
        ``Deprecation``/``Sunset`` headers are read by ``send()`` for every network)."""
        return []

    def not_supported(self, what: str) -> NotSupported:
        return NotSupported(f"{self.display_name} does not support {what}", network=self.network)

    def media_bytes(self, item: MediaItem) -> bytes:
        """The bytes to upload: given directly, read from ``path``, or downloaded from ``url``
        through the outbound guard (networks.media)."""
        return media_bytes(item, policy=self.outbound, settings=self.settings)

    def wait(self) -> None:
        self.sleep(self.poll_interval)

    # ------------------------------------------------------------------ rules

    def rules(self, **instance_limits) -> ContentRules:
        return rules_for(self.network, **instance_limits)

    def check(self, content: PostContent, **instance_limits) -> list[RuleViolation]:
        return check_content(self.network, content, **instance_limits)

    # ------------------------------------------------------------------ OAuth

    def authorization_url(
        self,
        app: AppCredentials,
        *,
        redirect_uri: str,
        state: str,
        code_challenge: str | None = None,
        scopes: list[str] | None = None,
        instance_url: str = "",
    ) -> str:
        spec = self.oauth(instance_url)
        return build_authorization_url(
            spec,
            client_id=app.client_id,
            redirect_uri=redirect_uri,
            state=state,
            code_challenge=code_challenge,
            scopes=scopes,
        )

    def exchange_code(
        self,
        app: AppCredentials,
        *,
        code: str,
        redirect_uri: str,
        code_verifier: str | None = None,
        instance_url: str = "",
    ) -> TokenSet:
        return exchange_code(
            self.http,
            self.oauth(instance_url),
            app,
            code=code,
            redirect_uri=redirect_uri,
            code_verifier=code_verifier,
            network=self.network.value,
            classify=self.classify_response,
            settings=self.settings,
        )

    def oauth(self, instance_url: str = "") -> OAuthSpec:
        if self.oauth_spec is None:
            raise self.not_supported("OAuth authorisation")
        return self.oauth_spec

    def refresh(self, creds: Credentials, app: AppCredentials) -> Credentials:
        """New credentials from the refresh token; a new refresh token replaces the old one
        only when the network sent one (so a stored token is never wiped)."""
        if not self.capabilities.token_refresh:
            raise self.not_supported("token refresh")
        tokens = refresh_access_token(
            self.http,
            self.oauth(creds.instance_url),
            app,
            refresh_token=creds.refresh_token,
            network=self.network.value,
            classify=self.classify_response,
            settings=self.settings,
        )
        return credentials_from_tokens(creds, tokens)

    # ------------------------------------------------------------------ connecting

    def connected_profiles(
        self, tokens: TokenSet, *, app: AppCredentials, instance_url: str = ""
    ) -> list[ConnectedProfile]:
        """The account(s) freshly exchanged OAuth tokens open: several when the person manages
        several Pages or organisations (they choose). Raises NetworkError as requests do."""
        raise self.not_supported("connecting through OAuth")

    def profile_fields(self, tokens: TokenSet, instance_url: str = "") -> dict:
        """What every profile opened by ``tokens`` shares: network, granted scopes, server."""
        spec = self.oauth(instance_url)
        return {
            "network": self.network.value,
            "scopes": granted_scopes(tokens, spec.default_scopes),
            "instance_url": instance_url,
        }

    def app_password_profile(
        self, identifier: str, app_password: str, server: str = ""
    ) -> ConnectedProfile:
        """The account an app password opens (networks connected without OAuth)."""
        raise self.not_supported("connecting with an app password")

    def revoke_token(
        self,
        *,
        app: AppCredentials | None,
        access_token: str,
        refresh_token: str,
        instance_url: str = "",
    ) -> bool:
        """Ask the network to revoke the tokens: True when it did, False when it has no
        endpoint for it (or none without the app credentials). Raises NetworkError."""
        return False

    # ------------------------------------------------------------------ the interface

    def publish(self, creds: Credentials, content: PostContent) -> PublishResult:
        raise self.not_supported("publishing")

    def option_choices(self, creds: Credentials, name: str) -> list[tuple[str, str]]:
        """The values the account allows for the publishing option ``name`` (value, label):
        its Pinterest boards, the privacy levels its TikTok creator info allows... Only for
        options declared with ``account_choices=True``."""
        raise self.not_supported(f"choices for the option {name!r}")

    def publish_first_comment(self, creds: Credentials, post_id: str, text: str) -> str:
        raise self.not_supported("a first comment")

    def find_existing_post(
        self,
        creds: Credentials,
        content: PostContent,
        *,
        since: datetime | None = None,
        exclude_ids: Collection[str] = (),
    ) -> PublishResult | None:
        """Our post among the account's latest, recognised by what :meth:`publish` sends for
        ``content`` (built by the same function). With ``since``, only a post created at or
        after it counts (an older post with the same text is another publication); an id in
        ``exclude_ids`` never counts (it belongs to another of our publications)."""
        raise self.not_supported("looking up an existing post")

    def list_comments(
        self, creds: Credentials, post_id: str, since: datetime | None = None
    ) -> list[Comment]:
        raise self.not_supported("reading comments")

    def list_recent_posts(self, creds: Credentials, since: datetime) -> list[AccountPost]:
        """The account's own posts created at or after ``since``, newest first, at most
        ``RECENT_POSTS_LIMIT`` (reposts and replies left out: they are not the brand's posts)."""
        raise self.not_supported("reading the account's posts")

    def search_mentions(
        self, creds: Credentials, query: str, since_id: str | None = None
    ) -> list[Mention]:
        raise self.not_supported("searching mentions")

    def list_direct_messages(
        self, creds: Credentials, since: datetime | None = None
    ) -> list[tuple[str, Comment]]:
        """[(thread id, message)] of private conversations, newer than ``since``. The thread
        id is what ``send_direct_message`` answers in: the other party's id (Meta), the
        conversation's id (X's dm_conversation_id, Bluesky's convoId)."""
        raise self.not_supported("reading direct messages")

    def send_direct_message(
        self,
        creds: Credentials,
        thread_id: str,
        recipient_id: str,
        text: str,
        *,
        idempotency_key: str = "",
    ) -> str:
        """Send ``text`` in the private conversation ``thread_id`` (to ``recipient_id``, the
        other party); returns the network's message id."""
        raise self.not_supported("sending direct messages")

    def find_existing_direct_message(
        self, creds: Credentials, thread_id: str, text: str, *, since=None
    ) -> str | None:
        """Our message's id if the conversation has it (sent at or after ``since``)."""
        raise self.not_supported("looking up a sent direct message")

    @classmethod
    def missing_features(cls, scopes: Collection[str]) -> list[str]:
        """What a connection with the granted ``scopes`` cannot do that a new connection
        could (e.g. ``"direct_messages"``): the account page asks to reconnect for them."""
        return []

    def mention_notifications(
        self, creds: Credentials, since_id: str | None = None
    ) -> list[Mention]:
        """Posts that mention the connected account, from its notifications, newest first.
        ``since_id`` is the network's cursor of the newest one already read (see the adapter)."""
        raise self.not_supported("reading the account's mentions")

    def reply(self, creds: Credentials, parent_id: str, text: str) -> str:
        raise self.not_supported("replying")

    def send_reply(self, creds: Credentials, parent_id: str, text: str, *, idempotency_key=""):
        return self.reply(creds, parent_id, text)  # the key only where honoured (Mastodon)

    def find_existing_reply(self, creds, parent_id: str, text: str, *, author_id="", since=None):
        """Our reply's id if the network has it (networks.replies); None if it has not."""
        if not self.capabilities.read_comments:
            raise self.not_supported("looking up an existing reply")
        answers = self.list_comments(creds, parent_id)
        return recognised_reply(answers, parent_id, text, author_id=author_id, since=since)

    def hide_comment(self, creds: Credentials, comment_id: str, hidden: bool = True) -> None:
        raise self.not_supported("hiding comments")

    def delete_comment(self, creds: Credentials, comment_id: str) -> None:
        raise self.not_supported("deleting comments")

    def like_comment(self, creds: Credentials, comment_id: str, liked: bool = True) -> None:
        """Like (``liked``) or unlike a comment as the account; doing it twice is harmless."""
        raise self.not_supported("liking comments")

    def send_private_reply(self, creds: Credentials, comment_id: str, text: str) -> str:
        """One private message to the author of ``comment_id``; returns the message's id. The
        network cannot be asked afterwards whether it was sent (see the outbox)."""
        raise self.not_supported("private replies")

    def post_metrics(self, creds: Credentials, post_id: str) -> MetricSnapshot:
        raise self.not_supported("post metrics")

    def account_metrics(self, creds: Credentials) -> MetricSnapshot:
        raise self.not_supported("account metrics")

    def install_webhooks(self, creds: Credentials) -> list[str]:
        """Ask the network to push this account's events to our app; the fields subscribed.
        Safe to repeat (subscribing again changes nothing)."""
        raise self.not_supported("installing the app for webhooks")

    def account_metrics_days(self, creds: Credentials, *, since, until) -> list[MetricSnapshot]:
        """The account's figures per UTC day, ``since`` to ``until``; a network that keeps no
        history gives today's counts only (Meta's late-corrected days: see its metrics.py)."""
        return [replace(self.account_metrics(creds), day=until)]


def credentials_from_tokens(creds: Credentials, tokens: TokenSet) -> Credentials:
    from dataclasses import replace
    from datetime import UTC, timedelta

    expires_at = (
        datetime.now(UTC) + timedelta(seconds=tokens.expires_in)
        if tokens.expires_in
        else creds.expires_at
    )
    return replace(
        creds,
        access_token=tokens.access_token,
        refresh_token=tokens.refresh_token or creds.refresh_token,
        expires_at=expires_at,
    )
