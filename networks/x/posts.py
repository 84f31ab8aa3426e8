"""The account's own recent posts (GET /2/users/:id/tweets), whoever wrote them.

``exclude=replies,retweets`` leaves out what is not the brand's post; ``start_time`` bounds the
timeline; pages follow ``meta.next_token`` as ``pagination_token``. ``public_metrics.
reply_count`` is the count of replies. The replies themselves are read per post
(``list_comments``: a recent search on ``conversation_id``); X mentions are not read from the
account's notifications, so a reply does not arrive twice.
"""

from __future__ import annotations

from networks.adapter import parse_time
from networks.base import RECENT_POSTS_LIMIT, AccountPost

PAGE_SIZE = 100


def recent_posts(adapter, creds, since) -> list[AccountPost]:
    params: dict = {
        "max_results": PAGE_SIZE,
        "exclude": "replies,retweets",
        "start_time": since.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "tweet.fields": "created_at,public_metrics",
    }
    found: list[AccountPost] = []
    while len(found) < RECENT_POSTS_LIMIT:
        body = adapter.request(
            "GET",
            f"{adapter.api_root}/users/{creds.external_id}/tweets",
            headers=adapter.auth(creds),
            params=params,
        ).json()
        for tweet in body.get("data") or []:
            count = (tweet.get("public_metrics") or {}).get("reply_count")
            found.append(
                AccountPost(
                    external_id=str(tweet["id"]),
                    text=tweet.get("text", ""),
                    url=f"https://x.com/i/web/status/{tweet['id']}",
                    created_at=parse_time(tweet.get("created_at")),
                    comments_count=count if isinstance(count, int) else None,
                    raw=tweet,
                )
            )
        token = (body.get("meta") or {}).get("next_token")
        if not token:
            break
        params["pagination_token"] = token
    return found[:RECENT_POSTS_LIMIT]
