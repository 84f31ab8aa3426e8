"""X (formerly Twitter) API v2 with OAuth 2.0 Authorization Code + PKCE (user context).

``external_id`` is the X user id. Media goes through the v2 media endpoints: a one-shot
``POST /2/media/upload`` for images, the chunked initialize/append/finalize flow for video
and GIF. Recent search covers the last seven days only.
"""

from __future__ import annotations

import httpx

from networks.adapter import NetworkAdapter, normalise_text, parse_time, recognised_post
from networks.base import (
    Author,
    Capabilities,
    Comment,
    Credentials,
    MediaKind,
    Mention,
    Network,
    NetworkError,
    PermanentError,
    PostContent,
    PublishResult,
    TransientError,
)
from networks.http import classify_status, json_or_none, retry_after_seconds, seconds_until_epoch
from networks.oauth import OAuthSpec
from networks.options import PAID_PARTNERSHIP
from networks.rules import composed_text
from networks.text import find_urls
from networks.x import metrics as x_metrics
from networks.x import posts, profile
from networks.x.access import access_refusal
from networks.x.direct import XDirectMessages

API = "https://api.x.com/2"
SCOPES = (
    "tweet.read",
    "tweet.write",
    "users.read",
    "offline.access",
    "media.write",
    "tweet.moderate.write",
    "dm.read",  # the inbox's direct messages (networks/x/direct.py)
    "dm.write",
)
CHUNK = 4 * 1024 * 1024
_TWEET_FIELDS = "author_id,created_at,lang,conversation_id,in_reply_to_user_id,public_metrics"
_USER_FIELDS = "username,name,public_metrics"


_REFUSALS = {
    400: "X rejected the request as invalid",
    403: "X does not allow this account or app to do that (plan or permission)",
    404: "X cannot find that post",
    "duplicate": "X refuses a post identical to a recent one",
}


class XAdapter(XDirectMessages, NetworkAdapter):
    network = Network.X
    display_name = "X"
    publish_options = (PAID_PARTNERSHIP,)
    # X API v2; X publishes no end date for v2 (docs: "Versioning": major versions no more
    # than yearly, with migration guides), so api_retirement stays None.
    api_version = "2"
    app_settings = "X_CLIENT_ID / X_CLIENT_SECRET"
    client_secret_required = False  # X clients may be public (PKCE only)
    api_root = API
    capabilities = Capabilities(
        publish_text=True,
        publish_link=True,
        publish_images=True,
        publish_video=True,
        thread=True,
        read_comments=True,
        read_own_posts=True,
        search_mentions=True,
        read_direct_messages=True,
        send_direct_messages=True,
        reply=True,
        hide_comment=True,
        post_metrics=True,
        account_metrics=True,
        token_refresh=True,
        find_existing_post=True,
    )
    docs = (
        "X API docs: Manage Posts, POST /2/tweets",
        "X API docs: Media upload (POST /2/media/upload, initialize/append/finalize, metadata)",
        "X API docs: Search Posts, GET /2/tweets/search/recent (query operators)",
        "X API docs: Hide replies, PUT /2/tweets/:id/hidden",
        "X API docs: User Posts timeline, GET /2/users/:id/tweets (exclude, start_time)",
        "X API docs: OAuth 2.0 Authorization Code Flow with PKCE (scopes)",
        "X API docs: Direct Messages lookup (GET /2/dm_events, dm_event.fields, expansions)",
        "X API docs: Manage Direct Messages (POST /2/dm_conversations/.../messages)",
        "X API docs: Error responses (client-forbidden, unsupported-authentication, usage-capped)",
        "X API docs: Rate limits (x-rate-limit-* headers), Error responses",
        "twitter-text: config/v3.json and the counting rules (weighted length)",
    )
    oauth_spec = OAuthSpec(
        authorize_url="https://x.com/i/oauth2/authorize",
        token_url=f"{API}/oauth2/token",
        default_scopes=SCOPES,
        pkce=True,
        client_auth="basic",
    )

    @staticmethod
    def auth(creds: Credentials) -> dict[str, str]:
        return {"Authorization": f"Bearer {creds.access_token}"}

    def connected_profiles(self, tokens, *, app, instance_url=""):
        return profile.connected_profiles(self, tokens)

    def revoke_token(self, *, app, access_token, refresh_token, instance_url="") -> bool:
        return profile.revoke_token(
            self, app=app, access_token=access_token, refresh_token=refresh_token
        )

    def classify_response(self, response: httpx.Response) -> NetworkError:
        body = json_or_none(response) or {}
        status = response.status_code
        problem = body.get("type", "") if isinstance(body, dict) else ""
        code = problem.rsplit("/", 1)[-1] if problem else status
        refused = access_refusal(body, code)
        if refused:
            # The app's access, not this request: retrying or reconnecting will not help.
            return PermanentError(refused, code=code, network=self.network, raw=body)
        errors = body.get("errors") or [] if isinstance(body, dict) else []
        detail = (body.get("detail") if isinstance(body, dict) else None) or (
            errors[0].get("message") if errors else response.reason_phrase
        )
        duplicate = status == 403 and "duplicate" in (detail or "").lower()
        return classify_status(
            response,
            network=self.network,
            name=self.display_name,
            message=detail,
            raw=body,
            explanations=_REFUSALS,
            key="duplicate" if duplicate else status,
            code="duplicate" if duplicate else code,
            retry_after=seconds_until_epoch(response.headers.get("x-rate-limit-reset"))
            or retry_after_seconds(response.headers.get("retry-after")),
        )

    # ---------------------------------------------------------------- media

    def _upload(self, creds: Credentials, item) -> str:
        data = self.media_bytes(item)
        if item.kind == MediaKind.IMAGE:
            body = self.request(
                "POST",
                f"{API}/media/upload",
                headers=self.auth(creds),
                files={"media": ("upload", data, item.mime_type)},
                data={"media_category": "tweet_image"},
                idempotent=True,
            ).json()["data"]
        else:
            body = self._upload_chunked(creds, item, data)
        media_id = body["id"]
        if item.alt_text:
            self.request(
                "POST",
                f"{API}/media/metadata",
                headers=self.auth(creds),
                idempotent=True,
                json={"id": media_id, "metadata": {"alt_text": {"text": item.alt_text}}},
            )
        return media_id

    def _upload_chunked(self, creds: Credentials, item, data: bytes) -> dict:
        category = "tweet_gif" if item.kind == MediaKind.GIF else "tweet_video"
        media_id = self.request(
            "POST",
            f"{API}/media/upload/initialize",
            headers=self.auth(creds),
            idempotent=True,
            json={
                "media_type": item.mime_type,
                "total_bytes": len(data),
                "media_category": category,
            },
        ).json()["data"]["id"]
        for index, start in enumerate(range(0, len(data), CHUNK)):
            self.request(
                "POST",
                f"{API}/media/upload/{media_id}/append",
                headers=self.auth(creds),
                files={"media": ("chunk", data[start : start + CHUNK], "application/octet-stream")},
                data={"segment_index": str(index)},
                idempotent=True,
            )
        body = self.request(
            "POST",
            f"{API}/media/upload/{media_id}/finalize",
            headers=self.auth(creds),
            idempotent=True,
        ).json()["data"]
        for _ in range(self.poll_attempts):
            state = (body.get("processing_info") or {}).get("state", "succeeded")
            if state == "succeeded":
                return body
            if state == "failed":
                error = body["processing_info"].get("error", {})
                raise PermanentError(
                    f"X could not process the video: {error.get('message')}",
                    code=error.get("name", "failed"),
                    network=self.network,
                )
            self.sleep(body["processing_info"].get("check_after_secs", self.poll_interval))
            body = self.request(
                "GET",
                f"{API}/media/upload",
                headers=self.auth(creds),
                params={"command": "STATUS", "media_id": media_id},
            ).json()["data"]
        raise TransientError("X is still processing the video", network=self.network)

    # ---------------------------------------------------------------- publishing

    def _tweet(self, creds: Credentials, text: str, *, media_ids=(), reply_to=None) -> dict:
        payload: dict = {"text": text}
        if media_ids:
            payload["media"] = {"media_ids": list(media_ids)}
        if reply_to:
            payload["reply"] = {"in_reply_to_tweet_id": reply_to}
        return self.request("POST", f"{API}/tweets", headers=self.auth(creds), json=payload).json()[
            "data"
        ]

    def publish(self, creds: Credentials, content: PostContent) -> PublishResult:
        text = composed_text(content, self.rules())
        media_ids = [self._upload(creds, item) for item in content.media]
        first = self._tweet(creds, text, media_ids=media_ids)
        parent, thread_ids = first["id"], []
        for item in content.thread:
            parent = self._tweet(creds, item, reply_to=parent)["id"]
            thread_ids.append(parent)
        return PublishResult(
            external_id=first["id"],
            url=f"https://x.com/i/web/status/{first['id']}",
            raw=first,
            thread_ids=thread_ids,
        )

    def find_existing_post(
        self, creds: Credentials, content: PostContent, *, since=None, exclude_ids=()
    ) -> PublishResult | None:
        """Our post among the account's 20 latest, recognised by its text minus links
        (X rewrites every link to t.co) and, with ``since``, by its creation time."""
        wanted = _without_urls(composed_text(content, self.rules()))
        body = self.request(
            "GET",
            f"{API}/users/{creds.external_id}/tweets",
            headers=self.auth(creds),
            params={"max_results": 20, "exclude": "replies,retweets", "tweet.fields": "created_at"},
        ).json()
        tweet = recognised_post(
            body.get("data", []),
            wanted,
            text_of=lambda tweet: _without_urls(tweet.get("text", "")),
            time_of=lambda tweet: parse_time(tweet.get("created_at")),
            since=since,
            exclude_ids=exclude_ids,
        )
        if tweet is None:
            return None
        return PublishResult(
            external_id=tweet["id"], url=f"https://x.com/i/web/status/{tweet['id']}", raw=tweet
        )

    # ---------------------------------------------------------------- listening

    def _search(self, creds: Credentials, params: dict) -> tuple[list[dict], dict[str, dict]]:
        params = {
            "max_results": 100,
            "tweet.fields": _TWEET_FIELDS,
            "expansions": "author_id",
            "user.fields": _USER_FIELDS,
            **params,
        }
        body = self.request(
            "GET", f"{API}/tweets/search/recent", headers=self.auth(creds), params=params
        ).json()
        users = {u["id"]: u for u in body.get("includes", {}).get("users", [])}
        return body.get("data", []), users

    def list_comments(self, creds, post_id, since=None):
        params = {"query": f"conversation_id:{post_id}"}
        if since:
            params["start_time"] = since.strftime("%Y-%m-%dT%H:%M:%SZ")
        tweets, users = self._search(creds, params)
        return [
            Comment(
                external_id=t["id"],
                author=_author(users.get(t.get("author_id", ""), {"id": t.get("author_id", "")})),
                text=t.get("text", ""),
                created_at=parse_time(t.get("created_at")),
                parent_id=next(
                    (
                        r["id"]
                        for r in t.get("referenced_tweets", [])
                        if r.get("type") == "replied_to"
                    ),
                    "",
                ),
                url=f"https://x.com/i/web/status/{t['id']}",
                raw=t,
            )
            for t in tweets
        ]

    def search_mentions(self, creds, query, since_id=None):
        params = {"query": query}
        if since_id:
            params["since_id"] = since_id
        tweets, users = self._search(creds, params)
        return [
            Mention(
                external_id=t["id"],
                author=_author(users.get(t.get("author_id", ""), {"id": t.get("author_id", "")})),
                text=t.get("text", ""),
                url=f"https://x.com/i/web/status/{t['id']}",
                created_at=parse_time(t.get("created_at")),
                language=t.get("lang", ""),
                raw=t,
            )
            for t in tweets
        ]

    def reply(self, creds, parent_id, text):
        return self._tweet(creds, text, reply_to=parent_id)["id"]

    def hide_comment(self, creds, comment_id, hidden=True):
        self.request(
            "PUT",
            f"{API}/tweets/{comment_id}/hidden",
            headers=self.auth(creds),
            json={"hidden": hidden},
            idempotent=True,
        )

    def post_metrics(self, creds, post_id):
        tweet = self.request(
            "GET",
            f"{API}/tweets/{post_id}",
            headers=self.auth(creds),
            params={"tweet.fields": "public_metrics"},
        ).json()["data"]
        return x_metrics.tweet_snapshot(tweet)

    def account_metrics(self, creds):
        user = self.request(
            "GET",
            f"{API}/users/me",
            headers=self.auth(creds),
            params={"user.fields": "public_metrics"},
        ).json()["data"]
        return x_metrics.user_snapshot(user)

    def list_recent_posts(self, creds, since):
        return posts.recent_posts(self, creds, since)


def _without_urls(text: str) -> str:
    cut, cursor = [], 0
    for start, end in find_urls(text):
        cut.append(text[cursor:start])
        cursor = end
    cut.append(text[cursor:])
    return normalise_text("".join(cut))


def _author(user: dict) -> Author:
    username = user.get("username", "")
    return Author(
        external_id=user.get("id", ""),
        handle=username,
        name=user.get("name", ""),
        followers=(user.get("public_metrics") or {}).get("followers_count"),
        url=f"https://x.com/{username}" if username else "",
    )
