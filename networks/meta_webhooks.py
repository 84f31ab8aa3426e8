"""What Meta pushes to a webhook receiver: the signature check and the deliveries' shapes.

Meta signs every POST with ``X-Hub-Signature-256: sha256=<hex>``, the HMAC-SHA256 of the raw
body with the app secret. A delivery is ``{"object": "page" | "instagram", "entry": [...]}``;
each entry is one Page or Instagram professional account (``entry.id``) with ``changes``
(``{"field", "value"}``: Page ``feed``, Instagram ``comments``) or ``messaging`` (Messenger
and Instagram messages: ``sender``, ``recipient``, ``timestamp`` in ms, ``message``).

The parsing is strict about structure (a malformed delivery raises :class:`MalformedDelivery`)
and lenient about content: a change we do not read (a like, a share, a reaction) is skipped.
Comments come out as the adapters' :class:`Comment`, shaped as their polls read them, so a
comment pushed and a comment polled are the same item.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from .base import Author, Comment

SIGNATURE_PREFIX = "sha256="
# What a receiver reads at most: Meta batches up to 1,000 changes, each a few hundred bytes.
MAX_BODY_BYTES = 1_000_000

NETWORK_OF_OBJECT = {"page": "facebook", "instagram": "instagram"}
VERB_ADD, VERB_EDITED, VERB_REMOVE = "add", "edited", "remove"
VERB_HIDE, VERB_UNHIDE = "hide", "unhide"
# What a comment's change says of a comment already read (the Page feed's verbs).
CHANGE_VERBS = {VERB_EDITED, VERB_REMOVE, VERB_HIDE, VERB_UNHIDE}


class MalformedDelivery(ValueError):
    """The body is not a Meta delivery (not JSON, or not shaped like one)."""


def signature_valid(body: bytes, header: str | None, secrets: list[str]) -> bool:
    """Whether ``header`` is the HMAC-SHA256 of ``body`` under one of the app ``secrets``
    (one per Meta app: the Facebook app, and Instagram's own when it has one). Constant time
    per secret; an empty secret never matches."""
    if not header or not header.startswith(SIGNATURE_PREFIX):
        return False
    # Bytes: compare_digest refuses non-ASCII str, and a header is whatever a stranger sent.
    given = header[len(SIGNATURE_PREFIX) :].strip().lower().encode("utf-8", "replace")
    valid = False
    for secret in secrets:
        if not secret:
            continue
        expected = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest().encode()
        valid |= hmac.compare_digest(expected, given)
    return valid


def sign(body: bytes, secret: str) -> str:
    """The header Meta would send with ``body`` (for tests and local tooling)."""
    return SIGNATURE_PREFIX + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


@dataclass
class PushedComment:
    post_id: str
    verb: str
    comment: Comment
    at: datetime | None = None  # when Meta sent the change (the entry's time)


@dataclass
class PushedMessage:
    """One message of a direct conversation; ``thread_id`` is the other party's id. ``verb``
    is add, edited (Messenger's ``message_edit``: the new text) or remove (Instagram's unsend,
    ``message.is_deleted``)."""

    thread_id: str
    comment: Comment  # the same fields: id, author, text, time
    verb: str = VERB_ADD


@dataclass
class AccountEvents:
    """What one delivery says about one account (a Page or an Instagram account)."""

    network: str
    account_id: str
    entries: list[dict] = field(default_factory=list)  # raw, JSON-safe: what a task carries


def delivery_parse(body: bytes) -> list[AccountEvents]:
    """The accounts a delivery is about, with their raw entries (validated here once, read
    again by :func:`entry_comments` and :func:`entry_messages` where they are stored)."""
    try:
        data = json.loads(body)
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:  # nested past the stack
        raise MalformedDelivery("The body is not JSON.") from exc
    if not isinstance(data, dict) or not isinstance(data.get("entry"), list):
        raise MalformedDelivery("A delivery is an object with an entry list.")
    network = NETWORK_OF_OBJECT.get(data.get("object"))  # type: ignore[arg-type]
    if network is None:
        return []  # another object (user, permissions...): nothing of ours
    by_account: dict[str, AccountEvents] = {}
    for entry in data["entry"]:
        if not isinstance(entry, dict) or not _is_id(entry.get("id")):
            raise MalformedDelivery("Every entry has an id.")
        for key in ("changes", "messaging"):
            if key in entry and not (
                isinstance(entry[key], list) and all(isinstance(x, dict) for x in entry[key])
            ):
                raise MalformedDelivery(f"An entry's {key} is a list of objects.")
        account = str(entry["id"])
        by_account.setdefault(account, AccountEvents(network, account)).entries.append(entry)
    return list(by_account.values())


def entry_comments(network: str, entry: dict) -> list[PushedComment]:
    """The comments of one entry (Page ``feed`` with ``item: comment``, Instagram
    ``comments``), shaped as the adapter's poll reads them."""
    found = []
    sent_at = _time(entry.get("time"))
    for change in entry.get("changes") or []:
        value = change.get("value")
        if not isinstance(value, dict):
            continue
        if network == "facebook" and change.get("field") == "feed":
            pushed = _page_comment(value)
        elif network == "instagram" and change.get("field") == "comments":
            pushed = _instagram_comment(value, sent_at)
        else:
            continue
        if pushed is not None:
            pushed.at = sent_at
            found.append(pushed)
    return found


def _page_comment(value: dict) -> PushedComment | None:
    if value.get("item") != "comment" or not _is_id(value.get("comment_id")):
        return None
    post_id = _str(value.get("post_id"))
    parent = _str(value.get("parent_id"))
    author = value.get("from") if isinstance(value.get("from"), dict) else {}
    raw = {
        "id": str(value["comment_id"]),
        "message": _str(value.get("message")),
        "from": {"id": _str(author.get("id")), "name": _str(author.get("name"))},
        "created_time": value.get("created_time"),
    }
    return PushedComment(
        post_id=post_id,
        verb=_str(value.get("verb")) or VERB_ADD,
        comment=Comment(
            external_id=raw["id"],
            author=Author(external_id=raw["from"]["id"], name=raw["from"]["name"]),
            text=raw["message"],
            created_at=_time(value.get("created_time")),
            # The poll reads a top-level comment without a parent; the push names the post.
            parent_id="" if parent == post_id else parent,
            raw=raw,
        ),
    )


def _instagram_comment(value: dict, sent_at: datetime | None) -> PushedComment | None:
    media = value.get("media") if isinstance(value.get("media"), dict) else {}
    if not _is_id(value.get("id")) or not _is_id(media.get("id")):
        return None
    author = value.get("from") if isinstance(value.get("from"), dict) else {}
    raw = {
        "id": str(value["id"]),
        "text": _str(value.get("text")),
        "username": _str(author.get("username")),
        "from": {"id": _str(author.get("id")), "username": _str(author.get("username"))},
    }
    return PushedComment(
        post_id=str(media["id"]),
        verb=VERB_ADD,  # Instagram pushes new comments only
        comment=Comment(
            external_id=raw["id"],
            author=Author(external_id=raw["from"]["id"], handle=raw["username"]),
            text=raw["text"],
            created_at=sent_at,  # no comment time in the push: the delivery's
            parent_id=_str(value.get("parent_id")),
            raw=raw,
        ),
    )


def entry_messages(network: str, entry: dict) -> list[PushedMessage]:
    """The text messages of one entry's ``messaging`` list (Messenger, Instagram), both ways:
    a message the Page itself sent comes back as an echo (``is_echo``)."""
    account = str(entry.get("id"))
    found = []
    for event in entry.get("messaging") or []:
        message = event.get("message")
        verb = VERB_ADD
        if isinstance(event.get("message_edit"), dict):  # {"mid", "text", "num_edit"}
            message, verb = event["message_edit"], VERB_EDITED
        elif isinstance(message, dict) and message.get("is_deleted") is True:
            verb = VERB_REMOVE
        sender = event.get("sender") if isinstance(event.get("sender"), dict) else {}
        recipient = event.get("recipient") if isinstance(event.get("recipient"), dict) else {}
        if not isinstance(message, dict) or not _is_id(message.get("mid")):
            continue  # a read receipt, a reaction, a postback: not a message
        sender_id, recipient_id = _str(sender.get("id")), _str(recipient.get("id"))
        other = recipient_id if sender_id == account or message.get("is_echo") else sender_id
        if not other:
            continue
        text = _str(message.get("text"))
        if not text and message.get("attachments"):
            text = "[attachment]"
        found.append(
            PushedMessage(
                thread_id=other,
                comment=Comment(
                    external_id=str(message["mid"]),
                    author=Author(external_id=sender_id),
                    text=text,
                    created_at=_time(event.get("timestamp")),
                    raw={"mid": str(message["mid"]), "from": sender_id, "to": recipient_id},
                ),
                verb=verb,
            )
        )
    return found


def _is_id(value: Any) -> bool:
    return (isinstance(value, str) and 0 < len(value) <= 200) or (
        isinstance(value, int) and not isinstance(value, bool) and value >= 0
    )


def _str(value: Any) -> str:
    return value if isinstance(value, str) else str(value) if isinstance(value, int) else ""


def _time(value: Any) -> datetime | None:
    """Meta's times: seconds (feed, entries) or milliseconds (messaging), or ISO 8601."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        seconds = value / 1000 if value > 100_000_000_000 else value
        try:
            return datetime.fromtimestamp(seconds, tz=UTC)
        except (OverflowError, OSError, ValueError):
            return None
    if isinstance(value, str) and value:
        try:
            parsed = datetime.fromisoformat(value.replace("+0000", "+00:00"))
        except ValueError:
            return None
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    return None
