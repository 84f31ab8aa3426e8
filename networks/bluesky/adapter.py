"""Bluesky (AT Protocol) through the account's PDS (``https://bsky.social`` by default).

Sign-in uses an app password (``com.atproto.server.createSession``); the session's refresh
JWT renews it. Rich text is sent as facets whose offsets are UTF-8 *byte* offsets.
"""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import regex

from networks.adapter import NetworkAdapter, normalise_text, parse_time, recognised_post
from networks.base import (
    AppCredentials,
    AuthExpired,
    Capabilities,
    Credentials,
    Network,
    NetworkError,
    PermanentError,
    PostContent,
    PublishResult,
)
from networks.bluesky import metrics as bsky_metrics
from networks.bluesky import profile
from networks.bluesky.chat import CHAT_NOT_ALLOWED, BlueskyChat, chat_refused
from networks.bluesky.reading import BlueskyReading
from networks.bluesky.session import session_credentials
from networks.connect import ConnectedProfile, Connection
from networks.http import classify_status, json_or_none, retry_after_seconds, seconds_until_epoch
from networks.options import PAID_PARTNERSHIP
from networks.rules import composed_text
from networks.text import find_urls

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


_REFUSALS = {
    "InvalidRequest": "Bluesky rejected the request as invalid",
    "RecordNotFound": "that Bluesky post does not exist any more",
    "NotFound": "that Bluesky post does not exist any more",
    "AccountTakedown": "this Bluesky account has been taken down",
    "BlobTooLarge": "the image is larger than Bluesky accepts (1,000,000 bytes)",
    "InvalidSwap": "the Bluesky repository changed during the write",
}


class BlueskyAdapter(BlueskyChat, BlueskyReading, NetworkAdapter):
    network = Network.BLUESKY
    display_name = "Bluesky"
    publish_options = (PAID_PARTNERSHIP,)
    # XRPC lexicons evolve by addition and are not versioned: no retirement to watch.
    api_version = "xrpc"
    connection = Connection.APP_PASSWORD  # no OAuth client, so nothing to configure
    user_chosen_server = True  # the PDS may be the person's own
    search_cursor = "time"  # searchPosts goes on from a time (since=)
    notifications_cursor = "time"  # a notification's indexedAt
    capabilities = Capabilities(
        publish_text=True,
        publish_link=True,
        publish_images=True,
        thread=True,
        read_comments=True,
        search_mentions=True,
        reply=True,
        read_mentions=True,
        read_direct_messages=True,
        send_direct_messages=True,
        read_own_posts=True,
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
        "Bluesky docs: app.bsky.feed.getAuthorFeed (filter posts_no_replies, cursor)",
        "Bluesky docs: Rate limits (ratelimit-* headers)",
        "Bluesky docs: chat.bsky.convo.listConvos, getMessages, sendMessage (atproto-proxy)",
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
        if chat_refused(error, message):  # the session is fine; its password may not chat
            return PermanentError(
                CHAT_NOT_ALLOWED, code="chat_not_allowed", network=self.network, raw=body
            )
        return classify_status(
            response,
            network=self.network,
            name=self.display_name,
            message=message,
            raw=body,
            explanations=_REFUSALS,
            key=error,
            code=error or response.status_code,
            auth_expired=error in _AUTH_ERRORS,
            auth_text=f"Bluesky session is no longer valid ({error}): {message}",
            rate_limited=error == "RateLimitExceeded",
            retry_after=retry_after_seconds(response.headers.get("retry-after"))
            or seconds_until_epoch(response.headers.get("ratelimit-reset")),
        )

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
        return session_credentials(body, pds)

    def refresh(self, creds: Credentials, app: AppCredentials | None = None) -> Credentials:
        body = self.request(
            "POST",
            self.xrpc(creds, "com.atproto.server.refreshSession"),
            headers={"Authorization": f"Bearer {creds.refresh_token}"},
            idempotent=True,
        ).json()
        return session_credentials(body, creds.instance_url or DEFAULT_PDS)

    def app_password_profile(
        self, identifier: str, app_password: str, server: str = ""
    ) -> ConnectedProfile:
        return profile.app_password_profile(self, identifier, app_password, server)

    def revoke_token(self, *, app, access_token, refresh_token, instance_url="") -> bool:
        return profile.revoke_session(self, refresh_token=refresh_token, pds=instance_url)

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
        record = recognised_post(
            body.get("records", []),
            wanted,
            text_of=_top_level_text,
            time_of=lambda record: parse_time(record.get("value", {}).get("createdAt")),
            since=since,
            exclude_ids=exclude_ids,
            id_key="uri",
        )
        if record is None:
            return None
        return PublishResult(
            external_id=record["uri"], url=self.post_url(creds, record["uri"]), raw=record
        )

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

    def reply(self, creds, parent_id, text):
        parent = self._get_post(creds, parent_id)
        parent_ref = {"uri": parent["uri"], "cid": parent["cid"]}
        root_ref = parent.get("record", {}).get("reply", {}).get("root") or parent_ref
        return self._create_post(creds, text, reply={"root": root_ref, "parent": parent_ref})["uri"]

    def post_metrics(self, creds, post_id):
        post = self._get_post(creds, post_id)
        return bsky_metrics.post_snapshot(post)

    def account_metrics(self, creds):
        profile = self.request(
            "GET",
            self.xrpc(creds, "app.bsky.actor.getProfile"),
            headers=self.auth(creds),
            params={"actor": creds.external_id},
        ).json()
        return bsky_metrics.profile_snapshot(profile)


def _top_level_text(record: dict) -> str | None:
    """A post record's text as a lookup compares it; ``None`` for a reply (never ours)."""
    value = record.get("value", {})
    return None if value.get("reply") else normalise_text(value.get("text", ""))
