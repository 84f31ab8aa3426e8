"""Comments on the channel's videos, their moderation, and the search that listening uses.

* ``commentThreads.list?part=snippet,replies&videoId=`` (1 unit, 100 threads a page, newest
  first with ``order=time``): each thread's top-level comment and the replies it carries
  (a thread holds some replies, not necessarily all: ``comments.list?parentId=`` has the
  rest; we read those of threads that say they have more).
* ``comments.insert?part=snippet`` ``{"snippet": {"parentId", "textOriginal"}}`` (50 units):
  YouTube replies to top-level comments only, so a reply to a reply goes to its thread.
* ``comments.setModerationStatus`` (50 units): hiding holds a comment for review
  (``heldForReview``), showing it again publishes it; ``rejected`` cannot be undone
  ("You can't change the moderation status of a rejected comment to published").
* ``comments.delete`` (50 units) works on the account's own comments only; another person's
  comment is removed by rejecting it, as the reference says.
* ``search.list?part=snippet&type=video&q=`` (100 units a call, or one call of the separate
  search bucket of 100 a day): videos whose title or description match, published after the
  cursor.
"""

from __future__ import annotations

import html
from datetime import UTC, datetime, timedelta

from networks.adapter import parse_time
from networks.base import Author, Comment, Credentials, Mention, PermanentError

THREAD_PAGES = 3  # 300 threads a poll at most (1 unit a page)
SEARCH_RESULTS = 50  # search.list's largest page; one page a poll (100 units)
# With no cursor yet, a search starts this far back (the listening source's first poll).
SEARCH_FIRST_WINDOW = timedelta(days=7)


def _author(snippet: dict) -> Author:
    channel = (snippet.get("authorChannelId") or {}).get("value", "")
    return Author(
        external_id=channel,
        handle=snippet.get("authorDisplayName", ""),
        name=snippet.get("authorDisplayName", ""),
        url=snippet.get("authorChannelUrl", ""),
    )


def as_comment(resource: dict, video_id: str) -> Comment:
    snippet = resource.get("snippet") or {}
    comment_id = str(resource.get("id", ""))
    text = snippet.get("textOriginal")
    if text is None:
        text = snippet.get("textDisplay", "")
    return Comment(
        external_id=comment_id,
        author=_author(snippet),
        text=text,
        created_at=parse_time(snippet.get("publishedAt")),
        parent_id=snippet.get("parentId", ""),
        url=f"https://www.youtube.com/watch?v={video_id}&lc={comment_id}",
        raw=resource,
    )


def list_comments(adapter, creds: Credentials, video_id: str, since=None) -> list[Comment]:
    params = {
        "part": "snippet,replies",
        "videoId": video_id,
        "maxResults": 100,
        "order": "time",
        "textFormat": "plainText",
    }
    found: list[Comment] = []
    for _ in range(THREAD_PAGES):
        body = adapter.request(
            "GET", f"{adapter.api_root}/commentThreads", headers=adapter.auth(creds), params=params
        ).json()
        older = False
        for thread in body.get("items") or []:
            snippet = thread.get("snippet") or {}
            top = snippet.get("topLevelComment") or {}
            replies = (thread.get("replies") or {}).get("comments") or []
            if (snippet.get("totalReplyCount") or 0) > len(replies):
                replies = _all_replies(adapter, creds, str(top.get("id", "")))
            comments = [as_comment(top, video_id), *(as_comment(r, video_id) for r in replies)]
            fresh = [c for c in comments if not since or not c.created_at or c.created_at > since]
            found.extend(fresh)
            top_time = parse_time((top.get("snippet") or {}).get("updatedAt"))
            if since and top_time and top_time <= since and not fresh:
                older = True  # threads are newest first: the rest is older still
        token = body.get("nextPageToken")
        if older or not token:
            break
        params["pageToken"] = token
    return found


def _all_replies(adapter, creds: Credentials, parent_id: str) -> list[dict]:
    body = adapter.request(
        "GET",
        f"{adapter.api_root}/comments",
        headers=adapter.auth(creds),
        params={
            "part": "snippet",
            "parentId": parent_id,
            "maxResults": 100,
            "textFormat": "plainText",
        },
    ).json()
    return body.get("items") or []


def thread_of(comment_id: str) -> str:
    """A reply's id is ``<thread>.<reply>``: YouTube answers the thread."""
    return comment_id.split(".", 1)[0]


def reply(adapter, creds: Credentials, parent_id: str, text: str) -> str:
    body = adapter.request(
        "POST",
        f"{adapter.api_root}/comments",
        headers=adapter.auth(creds),
        params={"part": "snippet"},
        json={"snippet": {"parentId": thread_of(parent_id), "textOriginal": text}},
    ).json()
    return str(body["id"])


def set_moderation(adapter, creds: Credentials, comment_id: str, status: str) -> None:
    adapter.request(
        "POST",
        f"{adapter.api_root}/comments/setModerationStatus",
        headers=adapter.auth(creds),
        params={"id": comment_id, "moderationStatus": status},
        idempotent=True,  # setting the same status twice changes nothing
    )


def delete(adapter, creds: Credentials, comment_id: str) -> None:
    try:
        adapter.request(
            "DELETE",
            f"{adapter.api_root}/comments",
            headers=adapter.auth(creds),
            params={"id": comment_id},
            idempotent=True,
        )
    except PermanentError as exc:
        if exc.code not in ("forbidden", "403"):
            raise
        # Someone else's comment: the channel's owner removes it by rejecting it.
        set_moderation(adapter, creds, comment_id, "rejected")


def search(adapter, creds: Credentials, query: str, since_id: str | None) -> list[Mention]:
    """Videos matching ``query`` published after ``since_id`` (an ISO time: the newest one
    already read; anything else is ignored and the first window applies)."""
    after = parse_time(since_id) if since_id else None
    if after is None:
        after = datetime.now(UTC) - SEARCH_FIRST_WINDOW
    body = adapter.request(
        "GET",
        f"{adapter.api_root}/search",
        headers=adapter.auth(creds),
        params={
            "part": "snippet",
            "q": query,
            "type": "video",
            "order": "date",
            "maxResults": SEARCH_RESULTS,
            "publishedAfter": after.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        },
    ).json()
    mentions = []
    for item in body.get("items") or []:
        video_id = (item.get("id") or {}).get("videoId")
        if not video_id:
            continue
        snippet = item.get("snippet") or {}
        created = parse_time(snippet.get("publishedAt"))
        if created and created <= after:
            continue  # publishedAfter is inclusive: the cursor's own video again
        channel = snippet.get("channelId", "")
        # search.list escapes its snippets as HTML (&#39;, &amp;): plain text again.
        parts = (snippet.get("title"), snippet.get("description"))
        text = html.unescape("\n".join(part for part in parts if part))
        mentions.append(
            Mention(
                external_id=str(video_id),
                author=Author(
                    external_id=channel,
                    handle=html.unescape(snippet.get("channelTitle", "")),
                    name=html.unescape(snippet.get("channelTitle", "")),
                    url=f"https://www.youtube.com/channel/{channel}" if channel else "",
                ),
                text=text,
                url=f"https://www.youtube.com/watch?v={video_id}",
                created_at=created,
                raw=item,
            )
        )
    return mentions
