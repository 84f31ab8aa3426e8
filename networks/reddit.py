"""Reddit search for listening, with the platform's own app (no user account).

From Reddit's API documentation (github.com/reddit-archive/reddit/wiki/OAuth2,
www.reddit.com/dev/api#GET_search, the Data API wiki):

* App-only OAuth: ``POST https://www.reddit.com/api/v1/access_token`` with HTTP Basic auth
  (client id, secret) and ``grant_type=client_credentials`` answers ``{access_token,
  token_type: "bearer", expires_in: 86400, scope: "*"}``; a wrong pair is a 401.
* ``GET https://oauth.reddit.com/search?q=…&sort=new&type=link&limit=100&raw_json=1`` with
  ``Authorization: bearer …`` answers a Listing: ``{kind: "Listing", data: {after, children:
  [{kind: "t3", data: {id, name, title, selftext, author, permalink, created_utc, subreddit,
  score, num_comments, url, over_18}}]}}``. The search's documented ``type`` values are
  ``sr``, ``link`` and ``user``: comments cannot be searched through the API, so only posts
  are read.
* Every client must send a unique, descriptive User-Agent
  (``<platform>:<app id>:<version> (by /u/<username>)``); a generic one is throttled.
* Each answer carries ``X-Ratelimit-Used``, ``X-Ratelimit-Remaining`` and
  ``X-Ratelimit-Reset`` (seconds until the window resets); past the limit Reddit answers 429.

Every request passes the outbound guard (one deadline, at most 5 MiB). Failures are
:class:`RedditError` with a plain message; ``RedditError.retry_after`` is set when Reddit asks
us to wait (a 429, or no request left in the window), ``RedditError.token_refused`` when the
token or the app's credentials were refused.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlencode

from .addresses import OutboundError, OutboundPolicy
from .http import HttpSettings
from .outbound import fetch

TOKEN_URL = "https://www.reddit.com/api/v1/access_token"
SEARCH_URL = "https://oauth.reddit.com/search"
MAX_BYTES = 5 * 1024 * 1024
DEADLINE_SECONDS = 30.0


class RedditError(Exception):
    def __init__(
        self, message: str, *, retry_after: float | None = None, token_refused: bool = False
    ):
        super().__init__(message)
        self.retry_after = retry_after
        self.token_refused = token_refused


@dataclass(frozen=True)
class AppToken:
    access_token: str
    expires_in: int


@dataclass(frozen=True)
class RedditPost:
    name: str  # the fullname, t3_…: unique across Reddit
    url: str  # https://www.reddit.com{permalink}
    title: str
    text: str
    author: str
    subreddit: str
    created_at: datetime | None
    score: int
    num_comments: int


@dataclass(frozen=True)
class SearchPage:
    posts: list[RedditPost]
    remaining: float | None  # requests left in the window (X-Ratelimit-Remaining)
    reset_seconds: float | None  # until the window resets (X-Ratelimit-Reset)


def app_token(
    client_id: str,
    client_secret: str,
    *,
    user_agent: str,
    policy: OutboundPolicy | None = None,
    settings: HttpSettings | None = None,
) -> AppToken:
    """An application-only token (client credentials grant)."""
    basic = base64.b64encode(f"{client_id}:{client_secret}".encode()).decode()
    answer = _send(
        "POST",
        TOKEN_URL,
        headers={
            "Authorization": f"Basic {basic}",
            "Content-Type": "application/x-www-form-urlencoded",
        },
        content=b"grant_type=client_credentials",
        user_agent=user_agent,
        policy=policy,
        settings=settings,
    )
    document = _json(answer)
    token = document.get("access_token")
    if not isinstance(token, str) or not token:
        raise RedditError(
            f"Reddit refused the app's credentials ({document.get('error') or 'no token'})",
            token_refused=True,
        )
    expires = document.get("expires_in")
    return AppToken(token, expires if isinstance(expires, int) and expires > 0 else 3600)


def search_posts(
    token: str,
    query: str,
    *,
    user_agent: str,
    since: float | None = None,
    policy: OutboundPolicy | None = None,
    settings: HttpSettings | None = None,
) -> SearchPage:
    """The newest posts matching ``query`` (one page of 100), created after ``since``
    (epoch seconds) when given; oldest first."""
    params = {"q": query, "sort": "new", "type": "link", "limit": "100", "raw_json": "1"}
    answer = _send(
        "GET",
        f"{SEARCH_URL}?{urlencode(params)}",
        headers={"Authorization": f"bearer {token}"},
        user_agent=user_agent,
        policy=policy,
        settings=settings,
    )
    document = _json(answer)
    data = document.get("data") if document.get("kind") == "Listing" else None
    children = data.get("children") if isinstance(data, dict) else None
    if not isinstance(children, list):
        raise RedditError("Reddit's answer is not a Listing of posts")
    posts = [_post(c["data"]) for c in children if isinstance(c, dict) and _is_post(c)]
    fresh = [
        p for p in posts if since is None or (p.created_at and p.created_at.timestamp() > since)
    ]
    return SearchPage(
        posts=sorted(fresh, key=lambda p: p.created_at or datetime.min.replace(tzinfo=UTC)),
        remaining=_number(answer.headers.get("x-ratelimit-remaining")),
        reset_seconds=_number(answer.headers.get("x-ratelimit-reset")),
    )


def _is_post(child: dict) -> bool:
    return child.get("kind") == "t3" and isinstance(child.get("data"), dict)


def _post(data: dict) -> RedditPost:
    created = data.get("created_utc")
    when = None
    if isinstance(created, int | float) and not isinstance(created, bool):
        try:
            when = datetime.fromtimestamp(created, UTC)
        except (OverflowError, OSError, ValueError):
            when = None
    permalink = _str(data.get("permalink"))
    return RedditPost(
        name=_str(data.get("name")) or f"t3_{_str(data.get('id'))}",
        url=f"https://www.reddit.com{permalink}" if permalink.startswith("/") else "",
        title=_str(data.get("title")),
        text=_str(data.get("selftext")),
        author=_str(data.get("author")),
        subreddit=_str(data.get("subreddit")),
        created_at=when,
        score=_int(data.get("score")),
        num_comments=_int(data.get("num_comments")),
    )


def _send(method, url, *, headers, user_agent, policy, settings, content=None):
    sent = {"User-Agent": user_agent, "Accept": "application/json", **headers}
    try:
        answer = fetch(
            method,
            url,
            policy=policy or OutboundPolicy(),
            headers=sent,
            content=content,
            deadline_seconds=DEADLINE_SECONDS,
            max_bytes=MAX_BYTES,
            settings=settings,
        )
    except OutboundError as exc:
        raise RedditError(f"Reddit could not be reached ({exc})") from exc
    if answer.status_code == 429:
        wait = _number(answer.headers.get("x-ratelimit-reset")) or _number(
            answer.headers.get("retry-after")
        )
        raise RedditError("Reddit asked us to slow down (HTTP 429)", retry_after=wait or 60.0)
    if answer.status_code in (401, 403):
        raise RedditError(
            f"Reddit refused the app's token (HTTP {answer.status_code})", token_refused=True
        )
    if answer.is_error:
        raise RedditError(f"HTTP {answer.status_code} from Reddit")
    return answer


def _json(answer) -> dict:
    try:
        document = json.loads(answer.content)
    except (ValueError, RecursionError):
        raise RedditError("Reddit's answer is not JSON") from None
    if not isinstance(document, dict):
        raise RedditError("Reddit's answer is not a JSON object")
    return document


def _str(value) -> str:
    return value.strip() if isinstance(value, str) else ""


def _int(value) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _number(value: str | None) -> float | None:
    try:
        return float(value) if value not in (None, "") else None
    except ValueError:
        return None
