"""The account's own recent media (GET /{ig-user-id}/media), whoever published them.

Fields of the IG Media reference: ``id,caption,permalink,timestamp,comments_count``.
"""

from __future__ import annotations

from networks.adapter import parse_time
from networks.base import AccountPost
from networks.meta_posts import graph_recent_posts

FIELDS = "id,caption,permalink,timestamp,comments_count"


def recent_posts(adapter, creds, since) -> list[AccountPost]:
    return graph_recent_posts(
        adapter,
        creds,
        f"{creds.external_id}/media",
        fields=FIELDS,
        since=since,
        time_field="timestamp",
        to_post=_post,
    )


def _post(item: dict) -> AccountPost:
    count = item.get("comments_count")
    return AccountPost(
        external_id=str(item["id"]),
        text=item.get("caption", ""),
        url=item.get("permalink", ""),
        created_at=parse_time(item.get("timestamp")),
        comments_count=count if isinstance(count, int) else None,
        raw=item,
    )
