"""A location's reviews as comments, and the owner's replies to them.

``GET https://mybusiness.googleapis.com/v4/{location}/reviews?pageSize=50&orderBy=updateTime
desc`` answers ``reviews`` (``name``, ``reviewId``, ``reviewer {displayName, profilePhotoUrl,
isAnonymous}``, ``starRating`` ONE…FIVE, ``comment``, ``createTime``, ``updateTime``,
``reviewReply {comment, updateTime}``), ``averageRating``, ``totalReviewCount`` and
``nextPageToken``. A review becomes a :class:`Comment` whose ``raw`` keeps the review and its
``rating`` (1-5); the owner's reply, when there is one, is a second comment answering it, by the
location (``{review name}/reply``: a review has one reply, which
``PUT {review}/reply`` creates or replaces).
"""

from __future__ import annotations

from datetime import datetime

from networks.base import Author, Comment, Credentials
from networks.lookup import parse_time

PAGE_SIZE = 50
MAX_PAGES = 10
STARS = {"ONE": 1, "TWO": 2, "THREE": 3, "FOUR": 4, "FIVE": 5}
REPLY_SUFFIX = "/reply"


def reply_id(review_name: str) -> str:
    return f"{review_name}{REPLY_SUFFIX}"


def review_of(comment_id: str) -> str:
    """The review a comment id names (a review, or its reply)."""
    return comment_id.removesuffix(REPLY_SUFFIX)


def list_reviews(adapter, creds: Credentials, since: datetime | None) -> list[Comment]:
    """Reviews updated after ``since`` (all of them, up to 500, without), newest first, each
    followed by the owner's reply if it has one."""
    comments: list[Comment] = []
    token = ""
    for _page in range(MAX_PAGES):
        params = {"pageSize": PAGE_SIZE, "orderBy": "updateTime desc"}
        if token:
            params["pageToken"] = token
        body = adapter.call(
            "GET", f"{adapter.posts_root}/{creds.external_id}/reviews", creds, params=params
        ).json()
        for review in body.get("reviews") or []:
            updated = parse_time(review.get("updateTime")) or parse_time(review.get("createTime"))
            if since is not None and updated is not None and updated <= since:
                return comments  # listed by update time, newest first: the rest is older
            comments.extend(review_comments(review, creds.external_id))
        token = body.get("nextPageToken") or ""
        if not token:
            break
    return comments


def review_comments(review: dict, location: str) -> list[Comment]:
    name = str(review.get("name") or "")
    if not name:
        return []
    reviewer = review.get("reviewer") or {}
    rating = STARS.get(str(review.get("starRating") or ""))
    found = [
        Comment(
            external_id=name,
            author=Author(
                handle=str(reviewer.get("displayName") or ""),
                name=str(reviewer.get("displayName") or ""),
            ),
            # A rating may come without words: the stars stand for them in the inbox.
            text=str(review.get("comment") or "") or ("★" * rating if rating else ""),
            created_at=parse_time(review.get("createTime")),
            raw={**review, "rating": rating},
            rating=rating,
        )
    ]
    reply = review.get("reviewReply") or {}
    if reply.get("comment"):
        found.append(
            Comment(
                external_id=reply_id(name),
                author=Author(external_id=location),
                text=str(reply["comment"]),
                created_at=parse_time(reply.get("updateTime")),
                parent_id=name,
                raw=reply,
            )
        )
    return found
