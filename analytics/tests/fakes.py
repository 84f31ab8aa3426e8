"""Network answers for the collector's tests, shaped like each network's documented responses
(Mastodon's Status and Account entities; Graph's /{post-id}/insights, Page and IG user
insights with ``period=day``; LinkedIn's organizationalEntityShareStatistics; X's
``public_metrics``; Bluesky's app.bsky.feed.getPosts). Most come from networks/tests/fixtures."""

from __future__ import annotations

import datetime as dt

from networks.tests.conftest import load

MASTODON = "https://mastodon.social"


def mastodon_status(sid: str, *, likes: int, reblogs: int, replies: int) -> dict:
    return {
        **load("mastodon_status.json"),
        "id": sid,
        "favourites_count": likes,
        "reblogs_count": reblogs,
        "replies_count": replies,
    }


def mastodon_account(account_id: str, *, followers: int) -> dict:
    return {
        "id": account_id,
        "username": "atlasbrand",
        "acct": "atlasbrand",
        "display_name": "Atlas",
        "followers_count": followers,
        "following_count": 12,
        "statuses_count": 340,
        "created_at": "2024-01-01T00:00:00.000Z",
    }


def graph_daily(name: str, title: str, values_by_day: dict[dt.date, int], page_id: str) -> dict:
    """One metric of Graph's ``period=day`` insights: each value's end_time is the end of its
    day (midnight Pacific time: 07:00 or 08:00 UTC the next day)."""
    return {
        "name": name,
        "period": "day",
        "values": [
            {
                "value": value,
                "end_time": f"{(day + dt.timedelta(days=1)).isoformat()}T08:00:00+0000",
            }
            for day, value in sorted(values_by_day.items())
        ],
        "title": title,
        "description": f"Daily: {title}",
        "id": f"{page_id}/insights/{name}/day",
    }


def bluesky_post(uri: str, *, likes: int, reposts: int, quotes: int, replies: int) -> dict:
    return {
        "posts": [
            {
                "uri": uri,
                "cid": "bafyreib2rxk3rh6kzwq",
                "author": {"did": "did:plc:atlas", "handle": "atlas.bsky.social"},
                "record": {
                    "$type": "app.bsky.feed.post",
                    "text": "Nouvelle collection",
                    "createdAt": "2026-03-01T10:00:00.000Z",
                },
                "replyCount": replies,
                "repostCount": reposts,
                "likeCount": likes,
                "quoteCount": quotes,
                "indexedAt": "2026-03-01T10:00:01.000Z",
            }
        ]
    }
