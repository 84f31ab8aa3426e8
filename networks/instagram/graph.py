"""What Instagram professional accounts do alike, whichever login connected them: the
container publishing flow, comments, conversations, insights and the account's own media.

Two adapters extend it: ``networks.instagram`` (Facebook Login: graph.facebook.com, the
account reached through its linked Facebook Page) and ``networks.instagram_login`` (Instagram
Login: graph.instagram.com, no Page). The calls are the same Graph API calls on either host, so
they are written once here; each adapter says where its calls go (``url``) and which Page, or
the account itself, sends its private messages (``messaging_page``).
"""

from __future__ import annotations

from networks import meta
from networks.adapter import normalise_text, parse_time, recognised_post
from networks.base import (
    Author,
    Comment,
    Credentials,
    MediaKind,
    NetworkError,
    PermanentError,
    PostContent,
    PublishResult,
    RateLimited,
    TransientError,
)
from networks.instagram import metrics as ig_metrics
from networks.instagram import posts, profile
from networks.metrics import utc_today
from networks.rules import composed_text


class InstagramGraphAdapter(meta.GraphAdapter):
    """Publishing, comments, conversations and insights of an Instagram professional account.
    ``external_id`` is the Instagram account's id on the Graph API."""

    # Instagram's text messages are shorter than Messenger's.
    messaging_platform = "instagram"
    direct_message_max_chars = 1000

    # ---------------------------------------------------------------- publishing

    def publishing_quota(self, creds: Credentials) -> tuple[int, int]:
        """(posts published through the API in the last 24 h, allowed total)."""
        body = self._get(
            f"{creds.external_id}/content_publishing_limit", creds, fields="config,quota_usage"
        )
        entry = (body.get("data") or [{}])[0]
        total = entry.get("config", {}).get("quota_total", 100)
        return int(entry.get("quota_usage", 0)), int(total)

    def _container(self, creds: Credentials, item, *, caption: str | None, child: bool) -> str:
        if not item.url:
            raise PermanentError(
                "Instagram downloads media itself: this file needs a public URL",
                code="media_url_required",
                network=self.network,
            )
        data: dict = {}
        if item.kind == MediaKind.VIDEO:
            data["video_url"] = item.url
            data["media_type"] = "VIDEO" if child else "REELS"
        else:
            data["image_url"] = item.url
            if item.alt_text:
                data["alt_text"] = item.alt_text
        if child:
            data["is_carousel_item"] = "true"
        if caption:
            data["caption"] = caption
        # A container is not a post: an orphan expires after 24 hours, so a lost answer is
        # a transient problem, not an unknown outcome.
        return self._post(f"{creds.external_id}/media", creds, data, idempotent=True)["id"]

    def _wait_finished(self, creds: Credentials, container_id: str) -> None:
        for attempt in range(self.poll_attempts):
            body = self._get(container_id, creds, fields="status_code,status")
            status = body.get("status_code")
            if status in ("FINISHED", "PUBLISHED"):
                return
            if status in ("ERROR", "EXPIRED"):
                raise PermanentError(
                    f"Instagram could not process the media ({status}): {body.get('status', '')}",
                    code=status,
                    network=self.network,
                    raw=body,
                )
            if attempt + 1 < self.poll_attempts:
                self.wait()
        raise TransientError("Instagram is still processing the media", network=self.network)

    def publish(self, creds: Credentials, content: PostContent) -> PublishResult:
        if not content.media:
            raise PermanentError(
                "Instagram posts need at least one image or video",
                code="media_required",
                network=self.network,
            )
        used, total = self.publishing_quota(creds)
        if used >= total:
            raise RateLimited(
                f"Instagram allows {total} API-published posts in 24 hours; {used} already",
                retry_after=None,
                network=self.network,
            )
        caption = composed_text(content, self.rules())
        if len(content.media) == 1:
            container = self._container(creds, content.media[0], caption=caption, child=False)
        else:
            children = [self._container(creds, m, caption=None, child=True) for m in content.media]
            for child in children:
                self._wait_finished(creds, child)
            container = self._post(
                f"{creds.external_id}/media",
                creds,
                {"media_type": "CAROUSEL", "children": ",".join(children), "caption": caption},
                idempotent=True,
            )["id"]
        self._wait_finished(creds, container)
        body = self._post(f"{creds.external_id}/media_publish", creds, {"creation_id": container})
        media_id = body["id"]
        try:
            permalink = self._get(media_id, creds, fields="permalink").get("permalink", "")
        except NetworkError:
            permalink = ""  # the post exists; a missing link must not fail the publication
        return PublishResult(external_id=media_id, url=permalink, raw=body)

    def find_existing_post(
        self, creds: Credentials, content: PostContent, *, since=None, exclude_ids=()
    ) -> PublishResult | None:
        """Our post among the account's 25 latest media, recognised by its caption (as publish
        composes it) and, with ``since``, by its time."""
        wanted = normalise_text(composed_text(content, self.rules()))
        body = self._get(
            f"{creds.external_id}/media", creds, fields="id,caption,permalink,timestamp", limit=25
        )
        media = recognised_post(
            body.get("data", []),
            wanted,
            text_of=lambda media: normalise_text(media.get("caption", "")),
            time_of=lambda media: parse_time(media.get("timestamp")),
            since=since,
            exclude_ids=exclude_ids,
        )
        if media is None:
            return None
        return PublishResult(external_id=media["id"], url=media.get("permalink", ""), raw=media)

    # ---------------------------------------------------------------- engagement

    def list_comments(self, creds, post_id, since=None):
        fields = "id,text,username,timestamp,hidden,from,replies{id,text,username,timestamp,hidden}"
        body = self._get(f"{post_id}/comments", creds, fields=fields, limit=50)
        comments: list[Comment] = []
        for c in body.get("data", []):
            comments.append(_comment(c, parent=""))
            for r in (c.get("replies") or {}).get("data", []):
                comments.append(_comment(r, parent=c["id"]))
        return [c for c in comments if since is None or (c.created_at and c.created_at > since)]

    def list_direct_messages(self, creds, since=None):
        """GET /{id}/conversations?platform=instagram with ``messaging_page``'s id and token
        (the linked Page's with Facebook Login, the account's own with Instagram Login): the
        latest 25 conversations with their latest 20 messages (Instagram serves no
        older ones). Message ids are the ``mid`` the messaging webhook sends, so a message
        pushed and polled is one; the thread is the other party's Instagram-scoped id."""
        page_id, page_token = self.messaging_page(creds)
        body = self.request(
            "GET",
            self.url(f"{page_id}/conversations"),
            params={
                "platform": "instagram",
                "fields": "participants,updated_time,"
                "messages.limit(20){id,message,from,created_time}",
                "limit": 25,
                "access_token": page_token,
            },
        ).json()
        return profile.conversation_messages(body, own_id=creds.external_id, since=since)

    def reply(self, creds, parent_id, text):
        return self._post(f"{parent_id}/replies", creds, {"message": text})["id"]

    def hide_comment(self, creds, comment_id, hidden=True):
        self._post(comment_id, creds, {"hide": "true" if hidden else "false"}, idempotent=True)

    def post_metrics(self, creds, post_id):
        body = self._get(f"{post_id}/insights", creds, metric=",".join(ig_metrics.MEDIA_INSIGHTS))
        return ig_metrics.media_snapshot(body)

    def account_metrics(self, creds):
        body = self._get(creds.external_id, creds, fields="followers_count,media_count")
        return ig_metrics.user_snapshots(body, {}, today=utc_today())[-1]

    def account_metrics_days(self, creds, *, since, until):
        user = self._get(creds.external_id, creds, fields="followers_count,media_count")
        insights = self._daily_insights(
            creds, ig_metrics.USER_DAILY_INSIGHTS, since=since, until=until
        )
        return ig_metrics.user_snapshots(user, insights, today=until)

    def list_recent_posts(self, creds, since):
        return posts.recent_posts(self, creds, since)


def _comment(c: dict, *, parent: str) -> Comment:
    return Comment(
        external_id=c["id"],
        author=Author(
            external_id=(c.get("from") or {}).get("id", ""), handle=c.get("username", "")
        ),
        text=c.get("text", ""),
        created_at=parse_time(c.get("timestamp")),
        parent_id=parent,
        hidden=c.get("hidden"),
        raw=c,
    )
