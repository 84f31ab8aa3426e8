"""The channel's own videos: its uploads playlist, newest first.

``channels.list?part=contentDetails&mine=true`` names the playlist
(``contentDetails.relatedPlaylists.uploads``), ``playlistItems.list`` pages through it (50 a
page, 1 quota unit each) and ``videos.list?part=statistics`` (1 unit for up to 50 ids) gives
the comment counts. Search (``search.list?forMine=true``) would cost 100 units a page.
"""

from __future__ import annotations

from networks.adapter import normalise_text, parse_time, recognised_post
from networks.base import RECENT_POSTS_LIMIT, AccountPost, Credentials, PublishResult
from networks.metrics import as_count

PAGE_SIZE = 50
LOOKUP_SIZE = 25  # find_existing_post: the latest uploads it reads


def watch_url(video_id: str) -> str:
    return f"https://www.youtube.com/watch?v={video_id}"


def uploads_playlist(adapter, creds: Credentials) -> str:
    body = adapter.request(
        "GET",
        f"{adapter.api_root}/channels",
        headers=adapter.auth(creds),
        params={"part": "contentDetails", "mine": "true"},
    ).json()
    for channel in body.get("items") or []:
        if not creds.external_id or channel.get("id") == creds.external_id:
            playlist = ((channel.get("contentDetails") or {}).get("relatedPlaylists") or {}).get(
                "uploads"
            )
            if playlist:
                return playlist
    return ""


def _page(adapter, creds, playlist: str, size: int, token: str = "") -> dict:
    params = {"part": "snippet,contentDetails", "playlistId": playlist, "maxResults": size}
    if token:
        params["pageToken"] = token
    return adapter.request(
        "GET", f"{adapter.api_root}/playlistItems", headers=adapter.auth(creds), params=params
    ).json()


def _video_id(item: dict) -> str:
    details = item.get("contentDetails") or {}
    resource = (item.get("snippet") or {}).get("resourceId") or {}
    return str(details.get("videoId") or resource.get("videoId") or "")


def _created(item: dict):
    details = item.get("contentDetails") or {}
    return parse_time(
        details.get("videoPublishedAt") or (item.get("snippet") or {}).get("publishedAt")
    )


def video_text(title: str, description: str) -> str:
    """What recognises a video: its title and description together."""
    return f"{title}\n{description}"


def recent_posts(adapter, creds: Credentials, since) -> list[AccountPost]:
    playlist = uploads_playlist(adapter, creds)
    if not playlist:
        return []
    found: list[AccountPost] = []
    token = ""
    while len(found) < RECENT_POSTS_LIMIT:
        body = _page(adapter, creds, playlist, PAGE_SIZE, token)
        page = []
        older = False
        for item in body.get("items") or []:
            created = _created(item)
            if created and created < since:
                older = True
                continue
            page.append((item, created))
        counts = _comment_counts(adapter, creds, [_video_id(item) for item, _ in page])
        for item, created in page:
            video_id = _video_id(item)
            snippet = item.get("snippet") or {}
            found.append(
                AccountPost(
                    external_id=video_id,
                    text=video_text(snippet.get("title", ""), snippet.get("description", "")),
                    url=watch_url(video_id),
                    created_at=created,
                    comments_count=counts.get(video_id),
                    raw=item,
                )
            )
        token = body.get("nextPageToken") or ""
        if older or not token:
            break
    found.sort(key=lambda post: post.created_at or since, reverse=True)
    return found[:RECENT_POSTS_LIMIT]


def _comment_counts(adapter, creds, video_ids: list[str]) -> dict[str, int | None]:
    ids = [i for i in video_ids if i]
    if not ids:
        return {}
    body = adapter.request(
        "GET",
        f"{adapter.api_root}/videos",
        headers=adapter.auth(creds),
        params={"part": "statistics", "id": ",".join(ids[:PAGE_SIZE])},
    ).json()
    return {
        str(video["id"]): as_count((video.get("statistics") or {}).get("commentCount"))
        for video in body.get("items") or []
    }


def existing_video(
    adapter, creds: Credentials, wanted: str, *, since=None, exclude_ids=()
) -> PublishResult | None:
    """Our video among the channel's latest uploads, by its title and description
    (``wanted``, whitespace-normalised)."""
    playlist = uploads_playlist(adapter, creds)
    if not playlist:
        return None
    items = _page(adapter, creds, playlist, LOOKUP_SIZE).get("items") or []
    posts = [
        {
            "id": _video_id(item),
            "text": video_text(
                (item.get("snippet") or {}).get("title", ""),
                (item.get("snippet") or {}).get("description", ""),
            ),
            "created": _created(item),
            "raw": item,
        }
        for item in items
    ]
    post = recognised_post(
        posts,
        wanted,
        text_of=lambda post: normalise_text(post["text"]),
        time_of=lambda post: post["created"],
        since=since,
        exclude_ids=exclude_ids,
    )
    if post is None:
        return None
    return PublishResult(external_id=post["id"], url=watch_url(post["id"]), raw=post["raw"])
