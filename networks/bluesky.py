"""Bluesky (AT Protocol) through the account's PDS (``https://bsky.social`` by default).

Sign-in uses an app password (``com.atproto.server.createSession``); the session's refresh
JWT renews it. Rich text is sent as facets whose offsets are UTF-8 *byte* offsets.
"""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta

import httpx
import regex

from .adapter import NetworkAdapter, lookup_candidate, normalise_text, parse_time
from .base import (
    AppCredentials,
    AuthExpired,
    Author,
    Capabilities,
    Comment,
    Credentials,
    Mention,
    MetricSnapshot,
    Network,
    NetworkError,
    PermanentError,
    PostContent,
    PublishResult,
    RateLimited,
    TransientError,
)
from .http import json_or_none, retry_after_seconds, seconds_until_epoch
from .rules import composed_text, find_urls

DEFAULT_PDS = "https://bsky.social"
POST_COLLECTION = "app.bsky.feed.post"

_MENTION = regex.compile(r"(?<![\w@])@([a-zA-Z0-9](?:[a-zA-Z0-9.\-]*[a-zA-Z0-9])?\.[a-zA-Z]+)")
_HASHTAG = regex.compile(r"(?<![\w#&])#(\w*[^\W\d]\w*)")
_AUTH_ERRORS = {
    "ExpiredToken",
    "InvalidToken",
    "AuthMissing",
    "AuthenticationRequired",
    "AuthFactorTokenRequired",
}


class BlueskyAdapter(NetworkAdapter):
    network = Network.BLUESKY
    display_name = "Bluesky"
    capabilities = Capabilities(
        publish_text=True,
        publish_link=True,
        publish_images=True,
        thread=True,
        read_comments=True,
        search_mentions=True,
        reply=True,
        read_mentions=True,
        post_metrics=True,
        account_metrics=True,
        token_refresh=True,
        find_existing_post=True,
    )
    docs = (
        "Bluesky docs: HTTP reference com.atproto.server.createSession / refreshSession",
        "Bluesky docs: com.atproto.repo.createRecord, uploadBlob, listRecords",
        "Bluesky docs: Creating a post (tutorial: facets, embeds, replies)",
        "Bluesky docs: Links, mentions, and rich text (facets, UTF-8 byte offsets)",
        "Bluesky docs: app.bsky.feed.searchPosts, getPostThread, getPosts",
        "Bluesky docs: app.bsky.notification.listNotifications (reasons, cursor)",
        "Bluesky docs: Rate limits (ratelimit-* headers)",
    )

    # ---------------------------------------------------------------- plumbing

    @staticmethod
    def xrpc(creds_or_pds: Credentials | str, method: str) -> str:
        pds = creds_or_pds if isinstance(creds_or_pds, str) else creds_or_pds.instance_url
        return f"{(pds or DEFAULT_PDS).rstrip('/')}/xrpc/{method}"

    @staticmethod
    def auth(creds: Credentials) -> dict[str, str]:
        return {"Authorization": f"Bearer {creds.access_token}"}

    def classify_response(self, response: httpx.Response) -> NetworkError:
        body = json_or_none(response) or {}
        error = body.get("error", "") if isinstance(body, dict) else ""
        message = (body.get("message") if isinstance(body, dict) else "") or error
        status = response.status_code
        kwargs = {"network": self.network, "raw": body}
        if error in _AUTH_ERRORS or status == 401:
            return AuthExpired(f"Bluesky session is no longer valid ({error}): {message}", **kwargs)
        if status == 429 or error == "RateLimitExceeded":
            return RateLimited(
                "Bluesky rate limit reached",
                retry_after=retry_after_seconds(response.headers.get("retry-after"))
                or seconds_until_epoch(response.headers.get("ratelimit-reset")),
                **kwargs,
            )
        if status >= 500:
            return TransientError(f"Bluesky server error {status}", **kwargs)
        explanation = {
            "InvalidRequest": "Bluesky rejected the request as invalid",
            "RecordNotFound": "that Bluesky post does not exist any more",
            "NotFound": "that Bluesky post does not exist any more",
            "AccountTakedown": "this Bluesky account has been taken down",
            "BlobTooLarge": "the image is larger than Bluesky accepts (1,000,000 bytes)",
            "InvalidSwap": "the Bluesky repository changed during the write",
        }.get(error, f"Bluesky refused the request (HTTP {status})")
        return PermanentError(f"{explanation}: {message}", code=error or status, **kwargs)

    # ---------------------------------------------------------------- sessions

    def login(self, identifier: str, app_password: str, pds: str = DEFAULT_PDS) -> Credentials:
        """Create a session with an app password (never the account password).

        A refused sign-in is a :class:`PermanentError` (``code`` ``invalid_login`` or
        ``sign_in_code_required``), not :class:`AuthExpired`: there is no session yet, so
        "reconnect" means nothing; the person must fix the handle or the password.
        ``creds.extra["password_kind"]`` says which password opened the session, read from
        the access token's scope (``app`` or ``account``; empty when it cannot be read).
        """
        try:
            body = self.request(
                "POST",
                self.xrpc(pds, "com.atproto.server.createSession"),
                json={"identifier": identifier, "password": app_password},
                idempotent=True,
            ).json()
        except AuthExpired as exc:
            raw = exc.raw if isinstance(exc.raw, dict) else {}
            said = raw.get("message") or raw.get("error") or ""
            if raw.get("error") == "AuthFactorTokenRequired":
                raise PermanentError(
                    "Bluesky asks for a sign-in code sent by email: this happens with the "
                    "account password; use an app password instead",
                    code="sign_in_code_required",
                    network=self.network,
                    raw=exc.raw,
                ) from exc
            raise PermanentError(
                f"Bluesky did not accept this identifier and app password: {said}".rstrip(": "),
                code="invalid_login",
                network=self.network,
                raw=exc.raw,
            ) from exc
        return _session_credentials(body, pds)

    def refresh(self, creds: Credentials, app: AppCredentials | None = None) -> Credentials:
        body = self.request(
            "POST",
            self.xrpc(creds, "com.atproto.server.refreshSession"),
            headers={"Authorization": f"Bearer {creds.refresh_token}"},
            idempotent=True,
        ).json()
        return _session_credentials(body, creds.instance_url or DEFAULT_PDS)

    def authorization_url(self, *args, **kwargs) -> str:
        raise self.not_supported("OAuth here (connect with an app password)")

    def exchange_code(self, *args, **kwargs):
        raise self.not_supported("OAuth here (connect with an app password)")

    # ---------------------------------------------------------------- publishing

    def build_facets(self, creds: Credentials, text: str) -> list[dict]:
        """Link, mention and hashtag facets with UTF-8 byte offsets, as the lexicon wants."""

        def byte_span(start: int, end: int) -> dict:
            begin = len(text[:start].encode("utf-8"))
            return {"byteStart": begin, "byteEnd": begin + len(text[start:end].encode("utf-8"))}

        facets = []
        for start, end in find_urls(text):
            uri = text[start:end]
            if "://" not in uri:
                uri = "https://" + uri
            facets.append(
                {
                    "index": byte_span(start, end),
                    "features": [{"$type": "app.bsky.richtext.facet#link", "uri": uri}],
                }
            )
        for match in _MENTION.finditer(text):
            did = self._resolve_handle(creds, match.group(1))
            if did:  # an unknown handle stays plain text, as in the Bluesky app
                facets.append(
                    {
                        "index": byte_span(match.start(), match.end()),
                        "features": [{"$type": "app.bsky.richtext.facet#mention", "did": did}],
                    }
                )
        for match in _HASHTAG.finditer(text):
            facets.append(
                {
                    "index": byte_span(match.start(), match.end()),
                    "features": [{"$type": "app.bsky.richtext.facet#tag", "tag": match.group(1)}],
                }
            )
        return facets

    def _resolve_handle(self, creds: Credentials, handle: str) -> str | None:
        try:
            return (
                self.request(
                    "GET",
                    self.xrpc(creds, "com.atproto.identity.resolveHandle"),
                    params={"handle": handle},
                    headers=self.auth(creds),
                )
                .json()
                .get("did")
            )
        except PermanentError:
            return None

    def _upload_blob(self, creds: Credentials, item) -> dict:
        body = self.request(
            "POST",
            self.xrpc(creds, "com.atproto.repo.uploadBlob"),
            headers={**self.auth(creds), "Content-Type": item.mime_type},
            content=self.media_bytes(item),
            idempotent=True,  # an unreferenced blob is garbage-collected by the PDS
        ).json()
        return body["blob"]

    def _create_post(self, creds: Credentials, text: str, *, embed=None, reply=None) -> dict:
        record: dict = {
            "$type": POST_COLLECTION,
            "text": text,
            "createdAt": datetime.now(UTC).isoformat().replace("+00:00", "Z"),
        }
        facets = self.build_facets(creds, text)
        if facets:
            record["facets"] = facets
        if embed:
            record["embed"] = embed
        if reply:
            record["reply"] = reply
        return self.request(
            "POST",
            self.xrpc(creds, "com.atproto.repo.createRecord"),
            headers=self.auth(creds),
            json={"repo": creds.external_id, "collection": POST_COLLECTION, "record": record},
        ).json()

    def publish(self, creds: Credentials, content: PostContent) -> PublishResult:
        text = composed_text(content, self.rules())
        embed = None
        if content.media:
            images = []
            for item in content.media:
                image = {"alt": item.alt_text, "image": self._upload_blob(creds, item)}
                if item.width and item.height:
                    image["aspectRatio"] = {"width": item.width, "height": item.height}
                images.append(image)
            embed = {"$type": "app.bsky.embed.images", "images": images}
        elif content.link:
            embed = {
                "$type": "app.bsky.embed.external",
                "external": {
                    "uri": content.link,
                    "title": content.link_title or content.link,
                    "description": "",
                },
            }
        first = self._create_post(creds, text, embed=embed)
        root = parent = {"uri": first["uri"], "cid": first["cid"]}
        thread_ids = []
        for item in content.thread:
            created = self._create_post(creds, item, reply={"root": root, "parent": parent})
            parent = {"uri": created["uri"], "cid": created["cid"]}
            thread_ids.append(created["uri"])
        return PublishResult(
            external_id=first["uri"],
            url=self.post_url(creds, first["uri"]),
            raw=first,
            thread_ids=thread_ids,
        )

    @staticmethod
    def post_url(creds: Credentials, uri: str) -> str:
        # at://did:plc:xyz/app.bsky.feed.post/3k2a... -> https://bsky.app/profile/<did>/post/<rkey>
        parts = uri.removeprefix("at://").split("/")
        actor = creds.extra.get("handle") or parts[0]
        return f"https://bsky.app/profile/{actor}/post/{parts[-1]}"

    def find_existing_post(
        self, creds: Credentials, content: PostContent, *, since=None, exclude_ids=()
    ) -> PublishResult | None:
        """Our post among the repository's 50 latest post records, recognised by its text (as
        publish composes it) and, with ``since``, by its ``createdAt``."""
        wanted = normalise_text(composed_text(content, self.rules()))
        body = self.request(
            "GET",
            self.xrpc(creds, "com.atproto.repo.listRecords"),
            headers=self.auth(creds),
            params={"repo": creds.external_id, "collection": POST_COLLECTION, "limit": 50},
        ).json()
        for record in body.get("records", []):
            value = record.get("value", {})
            if not lookup_candidate(
                str(record.get("uri", "")),
                parse_time(value.get("createdAt")),
                since=since,
                exclude_ids=exclude_ids,
            ):
                continue
            if not value.get("reply") and normalise_text(value.get("text", "")) == wanted:
                return PublishResult(
                    external_id=record["uri"], url=self.post_url(creds, record["uri"]), raw=record
                )
        return None

    # ---------------------------------------------------------------- engagement

    def _get_post(self, creds: Credentials, uri: str) -> dict:
        posts = (
            self.request(
                "GET",
                self.xrpc(creds, "app.bsky.feed.getPosts"),
                headers=self.auth(creds),
                params={"uris": uri},
            )
            .json()
            .get("posts", [])
        )
        if not posts:
            raise PermanentError(
                "that Bluesky post does not exist any more", code="NotFound", network=self.network
            )
        return posts[0]

    def list_comments(self, creds, post_id, since=None):
        thread = (
            self.request(
                "GET",
                self.xrpc(creds, "app.bsky.feed.getPostThread"),
                headers=self.auth(creds),
                params={"uri": post_id, "depth": 10, "parentHeight": 0},
            )
            .json()
            .get("thread", {})
        )
        comments: list[Comment] = []

        def walk(node: dict) -> None:
            for child in node.get("replies") or []:
                post = child.get("post")
                if not post:  # blocked or not-found placeholders
                    continue
                record = post.get("record", {})
                comments.append(
                    Comment(
                        external_id=post["uri"],
                        author=_author(post.get("author", {})),
                        text=record.get("text", ""),
                        created_at=parse_time(record.get("createdAt")),
                        parent_id=record.get("reply", {}).get("parent", {}).get("uri", ""),
                        url=self.post_url(Credentials(""), post["uri"]),
                        raw=post,
                    )
                )
                walk(child)

        walk(thread)
        return [c for c in comments if since is None or (c.created_at and c.created_at > since)]

    def search_mentions(self, creds, query, since_id=None):
        """Latest posts matching ``query``. ``since_id`` is the ISO time of the newest seen."""
        params = {"q": query, "sort": "latest", "limit": 100}
        if since_id:
            params["since"] = since_id
        posts = (
            self.request(
                "GET",
                self.xrpc(creds, "app.bsky.feed.searchPosts"),
                headers=self.auth(creds),
                params=params,
            )
            .json()
            .get("posts", [])
        )
        mentions = []
        for post in posts:
            record = post.get("record", {})
            mentions.append(
                Mention(
                    external_id=post["uri"],
                    author=_author(post.get("author", {})),
                    text=record.get("text", ""),
                    url=self.post_url(Credentials(""), post["uri"]),
                    created_at=parse_time(record.get("createdAt")),
                    language=(record.get("langs") or [""])[0],
                    raw=post,
                )
            )
        return mentions

    # Notifications that are posts about the account: a mention in someone's post, a reply to
    # one of its posts, a quote of one of them (likes, reposts and follows are not mentions).
    MENTION_REASONS = ("mention", "reply", "quote")
    NOTIFICATION_PAGES = 5  # at most 500 notifications a poll; the rest wait for the next one

    def mention_notifications(self, creds, since_id=None):
        """Posts that mention, reply to or quote the account (app.bsky.notification.
        listNotifications), newest first. ``since_id`` is the ISO time (``indexedAt``) of the
        newest notification already read: pages are followed with the response's ``cursor``
        until an older one, or the page limit. Each mention's ``raw`` is the notification;
        its ``indexedAt`` is the cursor to keep."""
        since = parse_time(since_id) if since_id else None
        mentions: list[Mention] = []
        cursor = None
        for _page in range(self.NOTIFICATION_PAGES):
            params: dict = {"limit": 100, "reasons": list(self.MENTION_REASONS)}
            if cursor:
                params["cursor"] = cursor
            body = self.request(
                "GET",
                self.xrpc(creds, "app.bsky.notification.listNotifications"),
                headers=self.auth(creds),
                params=params,
            ).json()
            reached_seen = False
            for note in body.get("notifications") or []:
                indexed = parse_time(note.get("indexedAt"))
                if since and indexed and indexed <= since:
                    reached_seen = True
                    break
                if note.get("reason") not in self.MENTION_REASONS or not note.get("uri"):
                    continue  # an older PDS may ignore the reasons filter
                record = note.get("record") or {}
                mentions.append(
                    Mention(
                        external_id=note["uri"],
                        author=_author(note.get("author") or {}),
                        text=record.get("text", ""),
                        url=self.post_url(Credentials(""), note["uri"]),
                        created_at=parse_time(record.get("createdAt")) or indexed,
                        language=(record.get("langs") or [""])[0],
                        raw=note,
                    )
                )
            cursor = body.get("cursor")
            if reached_seen or not cursor:
                break
        return mentions

    def reply(self, creds, parent_id, text):
        parent = self._get_post(creds, parent_id)
        parent_ref = {"uri": parent["uri"], "cid": parent["cid"]}
        root_ref = parent.get("record", {}).get("reply", {}).get("root") or parent_ref
        return self._create_post(creds, text, reply={"root": root_ref, "parent": parent_ref})["uri"]

    def post_metrics(self, creds, post_id):
        post = self._get_post(creds, post_id)
        return MetricSnapshot(
            likes=post.get("likeCount"),
            shares=(post.get("repostCount") or 0) + (post.get("quoteCount") or 0),
            comments=post.get("replyCount"),
            raw=post,
        )

    def account_metrics(self, creds):
        profile = self.request(
            "GET",
            self.xrpc(creds, "app.bsky.actor.getProfile"),
            headers=self.auth(creds),
            params={"actor": creds.external_id},
        ).json()
        return MetricSnapshot(followers=profile.get("followersCount"), raw=profile)


# The reference PDS issues access JWTs valid for two hours (refresh JWTs: 90 days). Used only
# when the token's own ``exp`` cannot be read.
ACCESS_JWT_LIFETIME = timedelta(hours=2)
# Scopes of an access JWT (com.atproto.server.createSession): the account password gives
# com.atproto.access, an app password com.atproto.appPass / com.atproto.appPassPrivileged.
_APP_PASSWORD_SCOPES = {"com.atproto.appPass", "com.atproto.appPassPrivileged"}


def jwt_claims(token: str) -> dict:
    """The claims of a JWT, NOT verified (only the PDS can): to plan the refresh and to tell an
    app password from the account password. ``{}`` when the token is not a readable JWT."""
    try:
        payload = token.split(".")[1]
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except (IndexError, ValueError, TypeError):
        return {}
    return claims if isinstance(claims, dict) else {}


def access_expiry(token: str, *, now: datetime | None = None) -> datetime:
    """When an access JWT expires: its ``exp`` claim, else now + the documented lifetime.

    Never ``None``: an account without an expiry would drop out of the refresh list and break
    when the token expires (the refresh token still being good)."""
    exp = jwt_claims(token).get("exp")
    if isinstance(exp, int | float) and not isinstance(exp, bool):
        try:
            return datetime.fromtimestamp(exp, tz=UTC)
        except (OverflowError, OSError, ValueError):
            pass
    return (now or datetime.now(UTC)) + ACCESS_JWT_LIFETIME


def password_kind(token: str) -> str:
    """ "app" (an app password opened the session), "account" (the main password), or ""."""
    scope = jwt_claims(token).get("scope")
    if scope in _APP_PASSWORD_SCOPES:
        return "app"
    if scope == "com.atproto.access":
        return "account"
    return ""


def _session_credentials(body: dict, pds: str) -> Credentials:
    """Credentials from createSession / refreshSession, with the access token's expiry."""
    return Credentials(
        access_token=body["accessJwt"],
        refresh_token=body["refreshJwt"],
        expires_at=access_expiry(body["accessJwt"]),
        instance_url=pds,
        external_id=body["did"],
        extra={"handle": body.get("handle", ""), "password_kind": password_kind(body["accessJwt"])},
    )


def _author(actor: dict) -> Author:
    handle = actor.get("handle", "")
    return Author(
        external_id=actor.get("did", ""),
        handle=handle,
        name=actor.get("displayName", ""),
        followers=actor.get("followersCount"),
        url=f"https://bsky.app/profile/{handle}" if handle else "",
    )
