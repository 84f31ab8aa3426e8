"""Facebook Pages through the Graph API (version configurable, default in ``meta.py``).

``Credentials.access_token`` is the *Page* access token and ``external_id`` the Page id.
``refresh_token`` holds the long-lived *user* token the Page token was derived from: a Page
token obtained that way does not expire, and ``refresh`` derives a fresh one from it.
"""

from __future__ import annotations

import json
from dataclasses import replace

from networks import meta
from networks.adapter import normalise_text, parse_time, recognised_post
from networks.base import (
    AppCredentials,
    AuthExpired,
    Author,
    Capabilities,
    Comment,
    Credentials,
    MediaKind,
    Network,
    PostContent,
    PublishResult,
)
from networks.facebook import metrics as fb_metrics
from networks.facebook import posts, profile
from networks.metrics import utc_today


class FacebookAdapter(meta.GraphAdapter):
    network = Network.FACEBOOK
    display_name = "Facebook"
    scopes = meta.FACEBOOK_SCOPES
    capabilities = Capabilities(
        publish_text=True,
        publish_link=True,
        publish_images=True,
        publish_video=True,
        carousel=True,  # multi-photo post
        first_comment=True,
        read_comments=True,
        read_direct_messages=True,
        read_own_posts=True,
        reply=True,
        hide_comment=True,
        delete_comment=True,
        like=True,
        private_reply=True,
        send_direct_messages=True,
        post_metrics=True,
        account_metrics=True,
        token_refresh=True,
        find_existing_post=True,
        install_webhooks=True,
    )
    docs = (
        "Meta for Developers: Graph API changelog (versions)",
        "Meta for Developers: Graph API Handling Errors (codes and subcodes)",
        "Meta for Developers: Pages API Posts (POST /{page-id}/feed, attached_media)",
        "Meta for Developers: Page Photos (POST /{page-id}/photos, published=false)",
        "Meta for Developers: Video API publishing (POST /{page-id}/videos, file_url)",
        "Meta for Developers: Comments, Comment (is_hidden), Page Post insights",
        "Meta for Developers: Deprecated Page Insights metrics (impressions -> views)",
        "Meta for Developers: Manual login flow, long-lived tokens, /me/accounts",
        "Meta for Developers: Rate limiting (X-Business-Use-Case-Usage)",
        "Meta for Developers: Page Subscribed Apps (POST /{page-id}/subscribed_apps)",
        "Meta for Developers: Object Likes (POST and DELETE /{object-id}/likes)",
        "Meta for Developers: Messenger Platform, Send API (recipient id, messaging_type "
        "RESPONSE, the 24-hour window), Private Replies (recipient comment_id), Send API "
        "Error Codes, Conversations API (/{page-id}/conversations?user_id=, "
        "/{conversation-id}?fields=messages)",
    )

    def connected_profiles(self, tokens, *, app, instance_url=""):
        return profile.connected_profiles(self, app, tokens)

    # ---------------------------------------------------------------- tokens

    def list_pages(self, user_token: str) -> list[dict]:
        """The Pages the user manages: id, name, Page token, linked Instagram account."""
        body = self.request(
            "GET",
            self.url("me/accounts"),
            params={
                "fields": "id,name,access_token,tasks,instagram_business_account",
                "access_token": user_token,
                "limit": 100,
            },
        ).json()
        return body.get("data", [])

    def refresh(self, creds: Credentials, app: AppCredentials) -> Credentials:
        if not creds.refresh_token:
            raise AuthExpired(
                "no user token is stored to derive a Page token from: reconnect",
                network=self.network,
            )
        user = self.long_lived_token(app, creds.refresh_token)
        for page in self.list_pages(user.access_token):
            if page.get("id") == creds.external_id:
                return replace(
                    creds,
                    access_token=page["access_token"],
                    refresh_token=user.access_token,
                    expires_at=None,
                )
        raise AuthExpired("the user no longer manages this Page: reconnect", network=self.network)

    # ---------------------------------------------------------------- publishing

    def _photo(self, creds: Credentials, item, **fields) -> dict:
        if item.url:
            return self._post(
                f"{creds.external_id}/photos",
                creds,
                {"url": item.url, **fields},
                idempotent=fields.get("published") == "false",
            )
        return self.request(
            "POST",
            self.url(f"{creds.external_id}/photos"),
            data={**fields, "access_token": creds.access_token},
            files={"source": ("upload", self.media_bytes(item), item.mime_type)},
            idempotent=fields.get("published") == "false",
        ).json()

    def publish(self, creds: Credentials, content: PostContent) -> PublishResult:
        page = creds.external_id
        media = content.media
        message = _message(content)
        if media and media[0].kind == MediaKind.VIDEO:
            video = media[0]
            data = {"description": message}
            if video.url:
                data["file_url"] = video.url
                body = self._post(f"{page}/videos", creds, data, video=True)
            else:
                body = self.request(
                    "POST",
                    self.url(f"{page}/videos", video=True),
                    data={**data, "access_token": creds.access_token},
                    files={"source": ("upload", self.media_bytes(video), video.mime_type)},
                ).json()
            post_id = body["id"]
        elif len(media) == 1:
            body = self._photo(creds, media[0], caption=message, published="true")
            post_id = body.get("post_id") or body["id"]
        elif media:
            # Unpublished photos first (harmless if orphaned), then one feed post using them.
            ids = [self._photo(creds, item, published="false")["id"] for item in media]
            data = {"message": message}
            for index, media_id in enumerate(ids):
                data[f"attached_media[{index}]"] = json.dumps({"media_fbid": media_id})
            body = self._post(f"{page}/feed", creds, data)
            post_id = body["id"]
        else:
            data = {"message": message}
            if content.link:
                data["link"] = content.link
            body = self._post(f"{page}/feed", creds, data)
            post_id = body["id"]
        result = PublishResult(
            external_id=post_id, url=f"https://www.facebook.com/{post_id}", raw=body
        )
        return result

    def find_existing_post(
        self, creds: Credentials, content: PostContent, *, since=None, exclude_ids=()
    ) -> PublishResult | None:
        """Our post among the Page's 25 latest published posts, recognised by the message
        publish sent (with media, the link is in it) and, with ``since``, by its time."""
        wanted = normalise_text(_message(content))
        body = self._get(
            f"{creds.external_id}/published_posts",
            creds,
            fields="id,message,permalink_url,created_time",
            limit=25,
        )
        post = recognised_post(
            body.get("data", []),
            wanted,
            text_of=lambda post: normalise_text(post.get("message", "")),
            time_of=lambda post: parse_time(post.get("created_time")),
            since=since,
            exclude_ids=exclude_ids,
        )
        if post is None:
            return None
        return PublishResult(external_id=post["id"], url=post.get("permalink_url", ""), raw=post)

    # ---------------------------------------------------------------- engagement

    def list_comments(self, creds, post_id, since=None):
        params = {
            "fields": "id,message,from,created_time,parent{id},is_hidden,permalink_url",
            "filter": "stream",  # replies to comments too, in one list
            "order": "reverse_chronological",
            "limit": 100,
            "access_token": creds.access_token,
        }
        if since:
            params["since"] = int(since.timestamp())
        body = self.request("GET", self.url(f"{post_id}/comments"), params=params).json()
        return [
            Comment(
                external_id=c["id"],
                author=Author(
                    external_id=c.get("from", {}).get("id", ""),
                    name=c.get("from", {}).get("name", ""),
                ),
                text=c.get("message", ""),
                created_at=parse_time(c.get("created_time")),
                parent_id=(c.get("parent") or {}).get("id", ""),
                url=c.get("permalink_url", ""),
                hidden=c.get("is_hidden"),
                raw=c,
            )
            for c in body.get("data", [])
        ]

    def list_direct_messages(self, creds, since=None):
        """GET /{page-id}/conversations?platform=messenger, the latest 25 conversations with
        their latest 25 messages; message ids are the ``mid`` Messenger's webhook sends."""
        body = self._get(
            f"{creds.external_id}/conversations",
            creds,
            platform="messenger",
            fields="participants,updated_time,messages.limit(25){id,message,from,created_time}",
            limit=25,
        )
        found = []
        for conversation in body.get("data", []):
            updated = parse_time(conversation.get("updated_time"))
            if since and updated and updated <= since:
                continue
            people = (conversation.get("participants") or {}).get("data", [])
            others = [p.get("id") for p in people if p.get("id") != creds.external_id]
            if not others or not others[0]:
                continue
            for m in (conversation.get("messages") or {}).get("data", []):
                created = parse_time(m.get("created_time"))
                if not m.get("id") or (since and created and created <= since):
                    continue
                author = m.get("from") or {}
                found.append(
                    (
                        str(others[0]),
                        Comment(
                            external_id=m["id"],
                            author=Author(
                                external_id=str(author.get("id", "")),
                                name=author.get("name", ""),
                            ),
                            text=m.get("message", ""),
                            created_at=created,
                            raw=m,
                        ),
                    )
                )
        return found

    def install_webhooks(self, creds):
        return self.subscribe_page(creds.external_id, creds.access_token, meta.PAGE_WEBHOOK_FIELDS)

    def reply(self, creds, parent_id, text):
        return self._post(f"{parent_id}/comments", creds, {"message": text})["id"]

    def hide_comment(self, creds, comment_id, hidden=True):
        self._post(comment_id, creds, {"is_hidden": "true" if hidden else "false"}, idempotent=True)

    def like_comment(self, creds, comment_id, liked=True):
        """POST /{comment-id}/likes likes it as the Page (the Page token), DELETE unlikes;
        Meta answers {"success": true}. Liking twice leaves one like: safe to repeat."""
        self.request(
            "POST" if liked else "DELETE",
            self.url(f"{comment_id}/likes"),
            params={"access_token": creds.access_token},
            idempotent=True,
        )

    def post_metrics(self, creds, post_id):
        # Impressions metrics were replaced by "views" (post_media_view) in November 2025.
        insights = self._get(
            f"{post_id}/insights", creds, metric=",".join(fb_metrics.POST_INSIGHTS)
        )
        counts = self._get(
            post_id,
            creds,
            fields="shares,reactions.summary(total_count).limit(0),"
            "comments.summary(total_count).limit(0)",
        )
        return fb_metrics.post_snapshot(insights, counts)

    def account_metrics(self, creds):
        page = self._get(creds.external_id, creds, fields="followers_count,fan_count")
        return fb_metrics.page_snapshots(page, {}, today=utc_today())[-1]

    def account_metrics_days(self, creds, *, since, until):
        page = self._get(creds.external_id, creds, fields="followers_count,fan_count")
        insights = self._daily_insights(
            creds, fb_metrics.PAGE_DAILY_INSIGHTS, since=since, until=until
        )
        return fb_metrics.page_snapshots(page, insights, today=until)

    def list_recent_posts(self, creds, since):
        return posts.recent_posts(self, creds, since)


def _message(content: PostContent) -> str:
    """The post's text as publish sends it (and as a lookup must compare it)."""
    return _with_link(content) if content.media else content.text


def _with_link(content: PostContent) -> str:
    """With media there is no link field: the link goes at the end of the text."""
    if content.link and content.link not in content.text:
        return f"{content.text}\n\n{content.link}" if content.text else content.link
    return content.text
