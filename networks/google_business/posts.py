"""Local posts: what ``localPosts.create`` is sent, and the location's posts as listed.

``POST https://mybusiness.googleapis.com/v4/{location}/localPosts`` takes a LocalPost:
``topicType`` (STANDARD, EVENT, OFFER), ``summary``, ``callToAction {actionType, url}`` (no url
for CALL; ignored for OFFER), ``media [{mediaFormat: PHOTO, sourceUrl}]`` (Google fetches the
photo), ``event {title, schedule {startDate, startTime, endDate, endTime}}`` (required for
EVENT and OFFER) and ``offer {couponCode, redeemOnlineUrl, termsConditions}``. It answers the
post with its ``name`` (``accounts/…/locations/…/localPosts/…``), ``searchUrl`` and ``state``.
``GET …/localPosts?pageSize=100&pageToken=`` lists them (``localPosts``, ``nextPageToken``).
"""

from __future__ import annotations

from datetime import date, datetime

from networks.base import RECENT_POSTS_LIMIT, AccountPost, PermanentError, PostContent
from networks.lookup import parse_time
from networks.options import OptionKind, PublishOption

TOPICS = (("STANDARD", "Update"), ("EVENT", "Event"), ("OFFER", "Offer"))
ACTIONS = (
    ("BOOK", "Book"),
    ("ORDER", "Order online"),
    ("SHOP", "Buy"),
    ("LEARN_MORE", "Learn more"),
    ("SIGN_UP", "Sign up"),
    ("CALL", "Call now"),
)

OPTIONS = (
    PublishOption(
        "topic_type",
        "Post type",
        OptionKind.CHOICE,
        choices=TOPICS,
        default="STANDARD",
        help_text="An event or an offer needs a title and dates.",
    ),
    PublishOption(
        "call_to_action",
        "Button",
        OptionKind.CHOICE,
        choices=ACTIONS,
        help_text="Without a button, the post's link becomes a “Learn more” button.",
    ),
    PublishOption(
        "call_to_action_url",
        "Button link",
        OptionKind.URL,
        max_length=2_000,
        help_text="Where the button leads (not used by “Call now”, which calls the "
        "location's phone number).",
    ),
    PublishOption("event_title", "Event or offer title", max_length=58),
    PublishOption(
        "event_start",
        "Starts",
        help_text="A date (2026-12-24) or a date and time (2026-12-24T18:30), the location's "
        "local time.",
    ),
    PublishOption("event_end", "Ends", help_text="Same format as the start."),
    PublishOption("offer_coupon_code", "Coupon code", max_length=58),
    PublishOption("offer_terms", "Offer terms and conditions", max_length=5_000),
)

PAGE_SIZE = 100


def local_post_body(content: PostContent, network: str) -> dict:
    """The LocalPost ``publish`` sends for ``content`` (raises PermanentError, before any call,
    for options Google would refuse)."""
    options = content.options or {}
    topic = str(options.get("topic_type") or "STANDARD")
    body: dict = {"topicType": topic, "summary": content.text}
    action = str(options.get("call_to_action") or "")
    url = str(options.get("call_to_action_url") or "") or content.link
    if action == "CALL":
        body["callToAction"] = {"actionType": "CALL"}
    elif action or url:
        if not url:
            raise PermanentError(
                "the button needs a link (call_to_action_url)",
                code="option_required",
                network=network,
            )
        body["callToAction"] = {"actionType": action or "LEARN_MORE", "url": url}
    if content.media:
        body["media"] = [_photo(item, network) for item in content.media]
    if topic in ("EVENT", "OFFER"):
        body["event"] = _event(options, network)
    if topic == "OFFER":
        body.pop("callToAction", None)  # Google ignores it for offers
        offer = {
            "couponCode": str(options.get("offer_coupon_code") or ""),
            "redeemOnlineUrl": url,
            "termsConditions": str(options.get("offer_terms") or ""),
        }
        body["offer"] = {k: v for k, v in offer.items() if v}
    return body


def _photo(item, network: str) -> dict:
    if not item.url or not item.url.lower().startswith(("https://", "http://")):
        raise PermanentError(
            "Google fetches a post's photo from its public address, and this image has none",
            code="media_url_required",
            network=network,
        )
    return {"mediaFormat": "PHOTO", "sourceUrl": item.url}


def _event(options: dict, network: str) -> dict:
    title = str(options.get("event_title") or "")
    start, start_time = _moment(options.get("event_start"), "event_start", network)
    end, end_time = _moment(options.get("event_end"), "event_end", network)
    if not title:
        raise PermanentError(
            "an event or an offer needs a title (event_title)",
            code="option_required",
            network=network,
        )
    if (end, _minutes(end_time)) < (start, _minutes(start_time)):
        raise PermanentError(
            "the event ends before it starts", code="option_invalid", network=network
        )
    schedule: dict = {"startDate": _date(start), "endDate": _date(end)}
    if start_time:
        schedule["startTime"] = start_time
    if end_time:
        schedule["endTime"] = end_time
    return {"title": title, "schedule": schedule}


def _moment(value, name: str, network: str) -> tuple[date, dict | None]:
    """``2026-12-24`` or ``2026-12-24T18:30`` -> (the day, Google's TimeOfDay or None)."""
    text = str(value or "").strip()
    try:
        if "T" in text:
            moment = datetime.fromisoformat(text)
            return moment.date(), {"hours": moment.hour, "minutes": moment.minute}
        return date.fromisoformat(text), None
    except ValueError:
        raise PermanentError(
            f"{name} must be a date such as 2026-12-24 or 2026-12-24T18:30",
            code="option_invalid",
            network=network,
        ) from None


def _minutes(time_of_day: dict | None) -> int:
    return time_of_day["hours"] * 60 + time_of_day["minutes"] if time_of_day else 0


def _date(day: date) -> dict:
    return {"year": day.year, "month": day.month, "day": day.day}


def list_page(adapter, creds, page_token: str = "") -> dict:
    params = {"pageSize": PAGE_SIZE}
    if page_token:
        params["pageToken"] = page_token
    return adapter.call(
        "GET", f"{adapter.posts_root}/{creds.external_id}/localPosts", creds, params=params
    ).json()


def recent_posts(adapter, creds, since: datetime) -> list[AccountPost]:
    """The location's live posts created at or after ``since``, newest first. Google's list
    is read page by page until a page holds nothing that recent (its order is not
    documented, so each page is filtered rather than trusted)."""
    found: list[AccountPost] = []
    token = ""
    for _page in range(RECENT_POSTS_LIMIT // PAGE_SIZE + 2):
        body = list_page(adapter, creds, token)
        page = body.get("localPosts") or []
        recent = [p for p in page if (created_at(p) or since) >= since]
        for post in recent:
            if not post.get("name") or post.get("state") == "REJECTED":
                continue
            found.append(
                AccountPost(
                    external_id=post["name"],
                    text=post.get("summary", ""),
                    url=post.get("searchUrl", ""),
                    created_at=created_at(post),
                    comments_count=0,  # local posts take no comments
                    raw=post,
                )
            )
        token = body.get("nextPageToken") or ""
        if not token or not recent:
            break
    found.sort(key=lambda p: p.created_at or since, reverse=True)
    return found[:RECENT_POSTS_LIMIT]


def created_at(post: dict) -> datetime | None:
    return parse_time(post.get("createTime"))
