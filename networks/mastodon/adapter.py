"""Mastodon (any instance): REST API v1/v2, OAuth 2 with PKCE (Mastodon 4.3+).

Publishing sends an ``Idempotency-Key`` header: Mastodon keeps it for one hour, so a replay
within that hour returns the first status instead of creating a second one.
"""

from __future__ import annotations

import httpx

from networks.adapter import NetworkAdapter, normalise_text, parse_time, recognised_post
from networks.base import (
    AppCredentials,
    Capabilities,
    Comment,
    Credentials,
    Network,
    NetworkError,
    PermanentError,
    PostContent,
    PublishResult,
    TransientError,
)
from networks.connect import Connection
from networks.http import classify_status, json_or_none, retry_after_seconds
from networks.mastodon import metrics as mastodon_metrics
from networks.mastodon import posts, profile
from networks.mastodon.direct import MastodonDirect
from networks.mastodon.rules import PUBLISH_OPTIONS
from networks.mastodon.statuses import (  # html_to_text: its tests import it from here
    html_to_text,  # noqa: F401
    seconds_until,
    status_author,
    status_mention,
)
from networks.oauth import OAuthSpec
from networks.rules import composed_text

SCOPES = (
    "read:accounts",
    "read:statuses",
    "read:notifications",
    "read:search",
    "write:statuses",
    "write:media",
)


_REFUSALS = {
    403: "Mastodon forbids this action for this account",
    404: "Mastodon cannot find that item (deleted, or not visible to this account)",
    410: "Mastodon says this item is gone",
    422: "Mastodon rejected the post",
}


class MastodonAdapter(MastodonDirect, NetworkAdapter):
    network = Network.MASTODON
    display_name = "Mastodon"
    # /api/v1 and /api/v2 of each instance: Mastodon retires no version (no date to watch).
    api_version = "v1/v2"
    connection = Connection.OAUTH_PER_SERVER  # our client is registered on each instance
    user_chosen_server = True
    capabilities = Capabilities(
        publish_text=True,
        publish_link=True,
        publish_images=True,
        publish_video=True,
        thread=True,
        read_comments=True,
        search_mentions=True,
        reply=True,
        read_mentions=True,
        send_direct_messages=True,  # private mentions: direct statuses (direct.py)
        read_own_posts=True,
        post_metrics=True,
        account_metrics=True,
        find_existing_post=True,
    )
    publish_options = PUBLISH_OPTIONS
    docs = (
        "Mastodon docs: methods/statuses (POST /api/v1/statuses, Idempotency-Key)",
        "Mastodon docs: methods/media (POST /api/v2/media, GET /api/v1/media/:id)",
        "Mastodon docs: methods/search (GET /api/v2/search)",
        "Mastodon docs: methods/notifications",
        "Mastodon docs: entities/Status (visibility direct, mentions)",
        "Mastodon docs: methods/instance (GET /api/v2/instance configuration)",
        "Mastodon docs: methods/apps and methods/oauth; spec/oauth (PKCE)",
        "Mastodon docs: api/rate-limits",
    )

    # ---------------------------------------------------------------- helpers

    @staticmethod
    def base(creds_or_url: Credentials | str) -> str:
        url = creds_or_url if isinstance(creds_or_url, str) else creds_or_url.instance_url
        if not url:
            raise PermanentError("no Mastodon instance URL", code="no_instance")
        if "://" not in url:
            url = "https://" + url
        return url.rstrip("/")

    @staticmethod
    def auth(creds: Credentials) -> dict[str, str]:
        return {"Authorization": f"Bearer {creds.access_token}"}

    def oauth(self, instance_url: str = "") -> OAuthSpec:
        base = self.base(instance_url)
        return OAuthSpec(
            authorize_url=f"{base}/oauth/authorize",
            token_url=f"{base}/oauth/token",
            default_scopes=SCOPES,
            pkce=True,
        )

    def connected_profiles(self, tokens, *, app, instance_url=""):
        return profile.connected_profiles(self, tokens, instance_url=instance_url)

    def revoke_token(self, *, app, access_token, refresh_token, instance_url="") -> bool:
        return profile.revoke_token(
            self, app=app, access_token=access_token, instance_url=instance_url
        )

    def classify_response(self, response: httpx.Response) -> NetworkError:
        body = json_or_none(response) or {}
        message = body.get("error") if isinstance(body, dict) else None
        return classify_status(
            response,
            network=self.network,
            name=self.display_name,
            message=message or response.reason_phrase,
            raw=body,
            explanations=_REFUSALS,
            retry_after=retry_after_seconds(response.headers.get("Retry-After"))
            or seconds_until(response.headers.get("X-RateLimit-Reset")),
        )

    # ---------------------------------------------------------------- setup

    def register_app(
        self, instance_url: str, *, redirect_uri: str, client_name: str, website: str = ""
    ) -> AppCredentials:
        """Register our OAuth client on an instance (once per instance; store the result)."""
        response = self.request(
            "POST",
            f"{self.base(instance_url)}/api/v1/apps",
            json={
                "client_name": client_name,
                "redirect_uris": redirect_uri,
                "scopes": " ".join(SCOPES),
                "website": website or None,
            },
            idempotent=True,  # a duplicate registration is harmless
        )
        body = response.json()
        return AppCredentials(client_id=body["client_id"], client_secret=body["client_secret"])

    def instance_limits(self, instance_url: str) -> dict:
        """The limits an instance reports, named as :func:`networks.rules.rules_for` expects."""
        body = self.request("GET", f"{self.base(instance_url)}/api/v2/instance").json()
        config = body.get("configuration", {})
        statuses = config.get("statuses", {})
        media = config.get("media_attachments", {})
        limits = {
            "max_characters": statuses.get("max_characters"),
            "max_media_attachments": statuses.get("max_media_attachments"),
            "characters_reserved_per_url": statuses.get("characters_reserved_per_url"),
            "image_size_limit": media.get("image_size_limit"),
            "video_size_limit": media.get("video_size_limit"),
            "supported_mime_types": media.get("supported_mime_types"),
            "description_limit": media.get("description_limit"),
        }
        return {k: v for k, v in limits.items() if v}

    # ---------------------------------------------------------------- publishing

    def _upload(self, creds: Credentials, item) -> str:
        data = self.media_bytes(item)
        response = self.request(
            "POST",
            f"{self.base(creds)}/api/v2/media",
            headers=self.auth(creds),
            files={"file": ("upload", data, item.mime_type)},
            data={"description": item.alt_text} if item.alt_text else None,
            idempotent=True,  # an orphan upload is cleaned up by the instance
        )
        body = response.json()
        media_id = body["id"]
        if response.status_code == 202 or not body.get("url"):
            self._wait_processed(creds, media_id)
        return media_id

    def _wait_processed(self, creds: Credentials, media_id: str) -> None:
        # GET /api/v1/media/:id answers 206 while processing, 200 once done.
        for _ in range(self.poll_attempts):
            self.wait()
            response = self.request(
                "GET", f"{self.base(creds)}/api/v1/media/{media_id}", headers=self.auth(creds)
            )
            if response.status_code == 200 and response.json().get("url"):
                return
        raise TransientError("Mastodon is still processing the media", network=self.network)

    def _post_status(
        self,
        creds,
        text,
        *,
        key,
        media_ids=(),
        in_reply_to=None,
        visibility="public",
        spoiler_text="",
    ) -> dict:
        headers = self.auth(creds)
        if key:
            headers["Idempotency-Key"] = key
        payload: dict = {"status": text, "visibility": visibility}
        if spoiler_text:
            payload["spoiler_text"] = spoiler_text
        if media_ids:
            payload["media_ids"] = list(media_ids)
        if in_reply_to:
            payload["in_reply_to_id"] = in_reply_to
        return self.request(
            "POST", f"{self.base(creds)}/api/v1/statuses", headers=headers, json=payload
        ).json()

    def publish(self, creds: Credentials, content: PostContent) -> PublishResult:
        text = composed_text(content, self.rules())
        media_ids = [self._upload(creds, item) for item in content.media]
        visibility = content.options.get("visibility") or "public"
        warning = content.options.get("spoiler_text") or ""
        first = self._post_status(
            creds,
            text,
            key=content.idempotency_key,
            media_ids=media_ids,
            visibility=visibility,
            spoiler_text=warning,
        )
        thread_ids, parent = [], first["id"]
        for index, item in enumerate(content.thread, start=1):
            key = f"{content.idempotency_key}:{index}" if content.idempotency_key else ""
            parent = self._post_status(
                creds,
                item,
                key=key,
                in_reply_to=parent,
                visibility=visibility,
                spoiler_text=warning,
            )["id"]
            thread_ids.append(parent)
        return PublishResult(
            external_id=first["id"],
            url=first.get("url") or first.get("uri", ""),
            raw=first,
            thread_ids=thread_ids,
        )

    def _account_id(self, creds: Credentials) -> str:
        if creds.external_id:
            return creds.external_id
        return self.request(
            "GET",
            f"{self.base(creds)}/api/v1/accounts/verify_credentials",
            headers=self.auth(creds),
        ).json()["id"]

    def find_existing_post(
        self, creds: Credentials, content: PostContent, *, since=None, exclude_ids=()
    ) -> PublishResult | None:
        """Our post among the account's 40 latest, recognised by its text (as publish composes
        it) and, with ``since``, by its creation time."""
        wanted = normalise_text(composed_text(content, self.rules()))
        statuses = self.request(
            "GET",
            f"{self.base(creds)}/api/v1/accounts/{self._account_id(creds)}/statuses",
            headers=self.auth(creds),
            params={"limit": 40, "exclude_replies": "true", "exclude_reblogs": "true"},
        ).json()
        status = recognised_post(
            statuses,
            wanted,
            text_of=lambda status: normalise_text(html_to_text(status.get("content", ""))),
            time_of=lambda status: parse_time(status.get("created_at")),
            since=since,
            exclude_ids=exclude_ids,
        )
        if status is None:
            return None
        return PublishResult(external_id=status["id"], url=status.get("url", ""), raw=status)

    # ---------------------------------------------------------------- listening

    def list_comments(self, creds, post_id, since=None):
        context = self.request(
            "GET",
            f"{self.base(creds)}/api/v1/statuses/{post_id}/context",
            headers=self.auth(creds),
        ).json()
        comments = [
            Comment(
                external_id=s["id"],
                author=status_author(s["account"]),
                text=html_to_text(s.get("content", "")),
                created_at=parse_time(s.get("created_at")),
                parent_id=s.get("in_reply_to_id") or "",
                url=s.get("url") or "",
                raw=s,
            )
            for s in context.get("descendants", [])
        ]
        return [c for c in comments if since is None or (c.created_at and c.created_at > since)]

    def search_mentions(self, creds, query, since_id=None):
        params = {"q": query, "type": "statuses", "limit": 40, "resolve": "false"}
        if since_id:
            params["min_id"] = since_id
        body = self.request(
            "GET", f"{self.base(creds)}/api/v2/search", headers=self.auth(creds), params=params
        ).json()
        return [status_mention(s) for s in body.get("statuses", [])]

    def mention_notifications(self, creds: Credentials, since_id: str | None = None):
        """Posts that mention the connected account (its notifications of type mention), newest
        first. ``since_id`` is the newest notification id already read; each mention's
        ``raw`` is the notification (its ``id`` is the cursor to keep, ``raw["status"]`` the
        post)."""
        params: dict = {"types[]": "mention", "limit": 40}
        if since_id:
            params["since_id"] = since_id
        notes = self.request(
            "GET",
            f"{self.base(creds)}/api/v1/notifications",
            headers=self.auth(creds),
            params=params,
        ).json()
        mentions = []
        for note in notes:
            if note.get("status"):
                mention = status_mention(note["status"])
                mention.raw = note
                mentions.append(mention)
        return mentions

    def reply(self, creds, parent_id, text):
        return self.send_reply(creds, parent_id, text)

    def send_reply(self, creds, parent_id, text, *, idempotency_key=""):
        # Mastodon keeps the key for an hour: a resend of one click returns the first reply.
        return self._post_status(creds, text, key=idempotency_key, in_reply_to=parent_id)["id"]

    def post_metrics(self, creds, post_id):
        s = self.request(
            "GET", f"{self.base(creds)}/api/v1/statuses/{post_id}", headers=self.auth(creds)
        ).json()
        return mastodon_metrics.status_snapshot(s)

    def account_metrics(self, creds):
        account = self.request(
            "GET",
            f"{self.base(creds)}/api/v1/accounts/verify_credentials",
            headers=self.auth(creds),
        ).json()
        return mastodon_metrics.account_snapshot(account)

    def list_recent_posts(self, creds, since):
        return posts.recent_posts(self, creds, since)
