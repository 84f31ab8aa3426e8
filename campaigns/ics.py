"""RFC 5545 text for a brand's calendar feed, written by hand: escaping, folding, UTC times."""

import datetime as dt

from django.utils import timezone

from campaigns.models import PostState

# The feed is given to the client: it shows what the client has agreed to see go out, never
# the agency's work in progress (drafts, posts in review or sent back, failures being handled,
# cancelled posts). Approved posts not yet queued are TENTATIVE, the others CONFIRMED.
FEED_STATES = frozenset(
    {
        PostState.APPROVED,
        PostState.SCHEDULED,
        PostState.PUBLISHING,
        PostState.PUBLISHED,
        PostState.PARTLY_PUBLISHED,
    }
)


def escape_text(value: str) -> str:
    """TEXT escaping (RFC 5545 §3.3.11): backslash, semicolon, comma, newline."""
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def fold(line: str) -> str:
    """Lines of at most 75 octets, continued with CRLF and a space (§3.1), never splitting a
    UTF-8 character."""
    out, current = [], b""
    for char in line:
        encoded = char.encode("utf-8")
        limit = 75 if not out else 74
        if len(current) + len(encoded) > limit:
            out.append(current.decode("utf-8"))
            current = b""
        current += encoded
    out.append(current.decode("utf-8"))
    return "\r\n ".join(out)


def utc_stamp(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def calendar_for(*, brand, posts) -> str:
    """The feed of `posts` that have a time and a state in FEED_STATES (others are left out
    whatever the caller passed)."""
    now = utc_stamp(timezone.now())
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Agency Social//Calendar//FR",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(brand.name)}",
        f"X-WR-TIMEZONE:{brand.time_zone}",
    ]
    for post in posts:
        if post.scheduled_at is None or post.state not in FEED_STATES:
            continue
        accounts = ", ".join(str(v.social_account) for v in post.variants.all())
        summary = post.title or post.text[:60] or f"Post {post.pk}"
        description = f"{post.get_state_display()} — {accounts}\n\n{post.text}"
        lines += [
            "BEGIN:VEVENT",
            f"UID:post-{post.pk}@{brand.agency_id}.agency-social",
            f"DTSTAMP:{now}",
            f"DTSTART:{utc_stamp(post.scheduled_at)}",
            f"DTEND:{utc_stamp(post.scheduled_at + dt.timedelta(minutes=15))}",
            f"SUMMARY:{escape_text(summary)}",
            f"DESCRIPTION:{escape_text(description)}",
            "STATUS:" + ("TENTATIVE" if post.state == PostState.APPROVED else "CONFIRMED"),
            f"SEQUENCE:{post.version}",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "\r\n".join(fold(line) for line in lines) + "\r\n"
