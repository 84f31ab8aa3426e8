"""Reading Bluesky: replies to a post, searches, and the account's notifications.

A mixin of BlueskyAdapter (it uses the adapter's request, xrpc, auth and post_url), kept apart
so the adapter stays readable; each method is the adapter's, as the capabilities declare.
"""

from __future__ import annotations

from networks.adapter import parse_time
from networks.base import Author, Comment, Credentials, Mention
from networks.bluesky import posts


class BlueskyReading:
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

    def list_recent_posts(self, creds, since):
        return posts.recent_posts(self, creds, since)


def _author(actor: dict) -> Author:
    handle = actor.get("handle", "")
    return Author(
        external_id=actor.get("did", ""),
        handle=handle,
        name=actor.get("displayName", ""),
        followers=actor.get("followersCount"),
        url=f"https://bsky.app/profile/{handle}" if handle else "",
    )
