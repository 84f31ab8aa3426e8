"""Threads API v1.0 (graph.threads.net): posts, carousels and threads, replies, search, insights.

``external_id`` is the Threads user id. Publishing is the container flow (networks.threads.
posts); the 250 posts a profile may publish through the API in 24 hours are checked first
(``threads_publishing_limit``), so a scheduled post is refused with a rate limit instead of
failing at ``threads_publish``. Threads fetches media itself: every media item needs a public
URL. Errors are the Graph API's (``{"error": {"code", "error_subcode", ...}}``), classified as
Meta's (networks.meta).

The Threads API keeps no version calendar of its own: v1.0 has been the only version since
its launch (June 2024), with no retirement announced.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import httpx

from networks import meta
from networks.adapter import NetworkAdapter, parse_time, recognised_post
from networks.base import (
    AppCredentials,
    Author,
    Capabilities,
    Comment,
    Credentials,
    Mention,
    Network,
    NetworkError,
    PermanentError,
    PostContent,
    PublishResult,
)
from networks.metrics import utc_today
from networks.oauth import OAuthSpec
from networks.threads import metrics as th_metrics
from networks.threads import posts, profile

VERSION = "v1.0"
API = f"https://graph.threads.net/{VERSION}"
# Why each scope: threads_basic for every call (the profile, the posts); threads_content_publish
# to publish; threads_read_replies to read the replies to the account's posts and
# threads_manage_replies to answer and hide them; threads_manage_insights for the metrics;
# threads_keyword_search for listening (without Meta's approval it searches the account's own
# posts only); threads_manage_mentions for the posts that tag the account.
SCOPES = (
    "threads_basic",
    "threads_content_publish",
    "threads_read_replies",
    "threads_manage_replies",
    "threads_manage_insights",
    "threads_keyword_search",
    "threads_manage_mentions",
)
REPLY_FIELDS = "id,text,username,permalink,timestamp,hide_status,replied_to,is_reply_owned_by_me"
SEARCH_FIELDS = "id,text,media_type,permalink,timestamp,username"
# The user insights' since/until do not work before 13 April 2024 (Unix 1712991600).
INSIGHTS_EPOCH = 1712991600


class ThreadsAdapter(NetworkAdapter):
    network = Network.THREADS
    display_name = "Threads"
    app_settings = "THREADS_CLIENT_ID / THREADS_CLIENT_SECRET"
    api_version = VERSION
    api_retirement = None
    capabilities = Capabilities(
        publish_text=True,
        publish_link=True,  # the first link of the text is previewed
        publish_images=True,
        publish_video=True,
        carousel=True,  # 2 to 20 images and videos
        thread=True,  # follow-up posts as replies to the previous one
        read_comments=True,
        search_mentions=True,  # keyword search
        read_mentions=True,
        read_own_posts=True,
        reply=True,
        hide_comment=True,
        post_metrics=True,
        account_metrics=True,
        token_refresh=True,
        find_existing_post=True,
    )
    docs = (
        "Meta for Developers: Threads API Overview (rate limits: 250 API-published posts and "
        "1,000 replies per 24 hours, threads_publishing_limit quota_usage / config)",
        "Meta for Developers: Threads Posts (POST /{threads-user-id}/threads media_type TEXT, "
        "IMAGE, VIDEO, CAROUSEL, is_carousel_item, children, reply_to_id; threads_publish "
        "creation_id; text 500 characters, emojis counted as UTF-8 bytes; carousels 2 to 20)",
        "Meta for Developers: Threads Troubleshooting (GET /{container-id}?fields=status,"
        "error_message: IN_PROGRESS, FINISHED, PUBLISHED, ERROR, EXPIRED; error messages)",
        "Meta for Developers: Threads Get Access Tokens and Permissions (threads.net/oauth/"
        "authorize, POST /oauth/access_token), Long-Lived Access Tokens (th_exchange_token, "
        "th_refresh_token, 60 days, refreshable once 24 hours old)",
        "Meta for Developers: Threads Reply Management (GET /{media-id}/replies and "
        "/conversation, hide_status, POST /{reply-id}/manage_reply hide)",
        "Meta for Developers: Threads Keyword and Topic Tag Search (GET /keyword_search q, "
        "search_type RECENT, 2,200 queries per 24 hours), Threads Mentions (GET "
        "/{threads-user-id}/mentions)",
        "Meta for Developers: Threads Insights API (media views, likes, replies, reposts, "
        "quotes, shares; user views per day, followers_count total_value; since >= 1712991600)",
        "Meta for Developers: Threads Delete Posts (DELETE /{threads-media-id}: the account's "
        "own posts only, 100 a day)",
        "Threads media specifications: JPEG/PNG 8 MB, aspect ratio up to 10:1; MOV/MP4 1 GB, "
        "5 minutes",
    )
    oauth_spec = OAuthSpec(
        authorize_url="https://threads.net/oauth/authorize",
        token_url="https://graph.threads.net/oauth/access_token",
        default_scopes=SCOPES,
        scope_separator=",",
        pkce=False,
    )

    # ---------------------------------------------------------------- plumbing

    def classify_response(self, response: httpx.Response) -> NetworkError:
        return meta.classify_graph_error(response, network=self.network, name=self.display_name)

    def get(self, path: str, creds: Credentials, **params) -> dict:
        params["access_token"] = creds.access_token
        return self.request("GET", f"{API}/{path}", params=params).json()

    def post(self, path: str, creds: Credentials, data: dict, *, idempotent=None) -> dict:
        return self.request(
            "POST",
            f"{API}/{path}",
            data={**data, "access_token": creds.access_token},
            idempotent=idempotent,
        ).json()

    # ---------------------------------------------------------------- connecting

    def exchange_code(self, app, *, code, redirect_uri, code_verifier=None, instance_url=""):
        """The code for a one-hour token, at once exchanged for a long-lived one (60 days)."""
        short = super().exchange_code(
            app, code=code, redirect_uri=redirect_uri, code_verifier=code_verifier
        )
        return profile.long_lived(self, app, short)

    def refresh(self, creds: Credentials, app: AppCredentials) -> Credentials:
        return profile.refreshed(self, creds)

    def connected_profiles(self, tokens, *, app, instance_url=""):
        return profile.connected_profiles(self, tokens)

    # ---------------------------------------------------------------- publishing

    def publishing_quota(self, creds: Credentials) -> tuple[int, int]:
        return posts.publishing_quota(self, creds)

    def publish(self, creds: Credentials, content: PostContent) -> PublishResult:
        posts.check_quota(self, creds, 1 + len(content.thread))
        container = posts.main_container(self, creds, content, posts.post_text(self, content))
        post_id = posts.publish_container(self, creds, container)
        thread_ids: list[str] = []
        warnings: list[str] = []
        parent = post_id
        for item in content.thread:
            try:
                parent = posts.publish_reply(self, creds, parent, item)
            except NetworkError as exc:  # the post exists: say what is missing, do not fail it
                warnings.append(f"Threads refused follow-up post {len(thread_ids) + 2}: {exc}")
                break
            thread_ids.append(parent)
        return PublishResult(
            external_id=post_id,
            url=self._permalink(creds, post_id),
            raw={"id": post_id},
            thread_ids=thread_ids,
            warnings=warnings,
        )

    def _permalink(self, creds: Credentials, media_id: str) -> str:
        try:
            return self.get(media_id, creds, fields="permalink").get("permalink", "")
        except NetworkError:
            return ""  # the post exists; a missing link must not fail the publication

    def find_existing_post(
        self, creds: Credentials, content: PostContent, *, since=None, exclude_ids=()
    ) -> PublishResult | None:
        """Our post among the account's 25 latest, recognised by the text publish sent and the
        kind of post it makes (text, image, video, carousel)."""
        body = self.get(
            f"{creds.external_id}/threads", creds, fields=posts.POST_FIELDS, limit=posts.PAGE_SIZE
        )
        kind = posts.listed_kind(content)
        found = recognised_post(
            body.get("data") or [],
            posts.lookup_key(posts.post_text(self, content), kind),
            text_of=lambda item: posts.lookup_key(item.get("text") or "", item.get("media_type")),
            time_of=lambda item: parse_time(item.get("timestamp")),
            since=since,
            exclude_ids=exclude_ids,
        )
        if found is None:
            return None
        return PublishResult(
            external_id=str(found["id"]), url=found.get("permalink") or "", raw=found
        )

    def list_recent_posts(self, creds, since):
        return posts.recent_posts(self, creds, since)

    # ---------------------------------------------------------------- engagement

    def list_comments(self, creds, post_id, since=None):
        """Every reply under the post, nested ones included (GET /{id}/conversation)."""
        body = self.get(f"{post_id}/conversation", creds, fields=REPLY_FIELDS, reverse="false")
        comments = [_comment(item, post_id) for item in body.get("data") or [] if item.get("id")]
        return [c for c in comments if since is None or (c.created_at and c.created_at > since)]

    def reply(self, creds, parent_id, text):
        return posts.publish_reply(self, creds, parent_id, text)

    def hide_comment(self, creds, comment_id, hidden=True):
        """Only a top-level reply can be hidden (its nested replies go with it)."""
        self.post(
            f"{comment_id}/manage_reply",
            creds,
            {"hide": "true" if hidden else "false"},
            idempotent=True,
        )

    def search_mentions(self, creds, query, since_id=None):
        """Recent public posts with ``query`` (GET /keyword_search, search_type=RECENT)."""
        if not query.strip():
            raise PermanentError(
                "a Threads search needs words", code="empty_query", network=self.network
            )
        body = self.get(
            "keyword_search", creds, q=query.strip(), search_type="RECENT", fields=SEARCH_FIELDS
        )
        return _until(_mentions(body), since_id)

    def mention_notifications(self, creds, since_id=None):
        """Public posts that tag the account (GET /{threads-user-id}/mentions)."""
        body = self.get(f"{creds.external_id}/mentions", creds, fields=SEARCH_FIELDS)
        return _until(_mentions(body), since_id)

    # ---------------------------------------------------------------- metrics

    def post_metrics(self, creds, post_id):
        body = self.get(f"{post_id}/insights", creds, metric=",".join(th_metrics.MEDIA_INSIGHTS))
        return th_metrics.media_snapshot(body)

    def account_metrics(self, creds):
        today = utc_today()
        return self.account_metrics_days(creds, since=today, until=today)[-1]

    def account_metrics_days(self, creds, *, since, until):
        followers = self.get(
            f"{creds.external_id}/threads_insights", creds, metric="followers_count"
        )
        start = int(datetime.combine(since, time(), tzinfo=UTC).timestamp())
        end = int(datetime.combine(until + timedelta(days=1), time(), tzinfo=UTC).timestamp())
        daily = self.get(
            f"{creds.external_id}/threads_insights",
            creds,
            metric=",".join(th_metrics.USER_DAILY),
            since=max(start, INSIGHTS_EPOCH),
            until=end,
        )
        return th_metrics.user_snapshots(followers, daily, today=until)


def _comment(item: dict, post_id: str) -> Comment:
    parent = (item.get("replied_to") or {}).get("id") or post_id
    return Comment(
        external_id=str(item["id"]),
        author=Author(handle=item.get("username") or ""),
        text=item.get("text") or "",
        created_at=parse_time(item.get("timestamp")),
        parent_id="" if parent == post_id else str(parent),
        url=item.get("permalink") or "",
        hidden=item.get("hide_status") == "HIDDEN" if item.get("hide_status") else None,
        raw=item,
    )


def _mentions(body: dict) -> list[Mention]:
    return [
        Mention(
            external_id=str(m["id"]),
            author=Author(handle=m.get("username") or ""),
            text=m.get("text") or "",
            url=m.get("permalink") or "",
            created_at=parse_time(m.get("timestamp")),
            raw=m,
        )
        for m in body.get("data") or []
        if m.get("id")
    ]


def _until(mentions: list[Mention], since_id: str | None) -> list[Mention]:
    """The mentions newer than ``since_id`` (the newest already read), newest first."""
    ids = [m.external_id for m in mentions]
    if since_id and since_id in ids:
        return mentions[: ids.index(since_id)]
    return mentions
