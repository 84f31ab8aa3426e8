"""The Page's own recent posts (GET /{page-id}/published_posts), whoever published them.

Fields as the Page Post reference names them; ``comments.summary(true).limit(0)`` gives the
comment count without the comments. A video post's id is ``{page-id}_{post-id}`` while the
video publish call answers the video's own id: the attachment's target id is kept as another
id of the post, so that a video published through us is still recognised.
"""

from __future__ import annotations

from networks.adapter import parse_time
from networks.base import AccountPost
from networks.meta_posts import graph_recent_posts

FIELDS = (
    "id,message,permalink_url,created_time,"
    "comments.summary(true).limit(0),attachments{media_type,target{id}}"
)


def recent_posts(adapter, creds, since) -> list[AccountPost]:
    return graph_recent_posts(
        adapter,
        creds,
        f"{creds.external_id}/published_posts",
        fields=FIELDS,
        since=since,
        time_field="created_time",
        to_post=_post,
    )


def _post(item: dict) -> AccountPost:
    summary = (item.get("comments") or {}).get("summary") or {}
    count = summary.get("total_count")
    targets = [
        str((a.get("target") or {}).get("id", ""))
        for a in (item.get("attachments") or {}).get("data", [])
    ]
    return AccountPost(
        external_id=str(item["id"]),
        text=item.get("message", ""),
        url=item.get("permalink_url", ""),
        created_at=parse_time(item.get("created_time")),
        comments_count=count if isinstance(count, int) else None,
        other_ids=tuple(t for t in targets if t and t != item["id"]),
        raw=item,
    )
