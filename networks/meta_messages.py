"""The Messenger Platform's sends, for Facebook Pages and Instagram alike: a private reply to a
comment, an answer in a private conversation, and finding a lost answer again.

Both networks send through a Facebook Page (the Send API, POST /{page-id}/messages with the
Page access token): a Facebook Page is itself; an Instagram account sends through the Page it
is linked to (``Credentials.linked_page_*``), and its conversations are listed with
``platform=instagram``. Meta answers {"recipient_id", "message_id"}; the Send API has no
idempotency key, so a lost answer is an unknown outcome (see engagement.services.outbox).
"""

from __future__ import annotations

from datetime import datetime

from .adapter import normalise_text, parse_time
from .base import Credentials, PermanentError


def send_message(adapter, page_token: str, page_id: str, payload: dict) -> str:
    """POST /{page-id}/messages as JSON; the message id Meta answers."""
    body = adapter.request(
        "POST",
        adapter.url(f"{page_id}/messages"),
        params={"access_token": page_token},
        json=payload,
    ).json()
    message_id = body.get("message_id") if isinstance(body, dict) else None
    if not message_id:
        raise PermanentError(
            f"{adapter.display_name} answered without a message id", network=adapter.network
        )
    return str(message_id)


def private_reply(adapter, creds: Credentials, comment_id: str, text: str) -> str:
    """The one private reply to a comment's author (Private Replies: recipient comment_id)."""
    page_id, token = adapter.messaging_page(creds)
    return send_message(
        adapter,
        token,
        page_id,
        {"recipient": {"comment_id": comment_id}, "message": {"text": text}},
    )


def direct_answer(adapter, creds: Credentials, recipient_id: str, text: str) -> str:
    """An answer to the person (PSID on Messenger, IGSID on Instagram) as a RESPONSE: allowed
    within 24 hours of their last message; past them Meta refuses with subcode 2018278
    (Messenger) or 2534022 (Instagram), explained in meta.EXPLANATIONS."""
    page_id, token = adapter.messaging_page(creds)
    payload = {
        "recipient": {"id": recipient_id},
        "messaging_type": "RESPONSE",
        "message": {"text": text},
    }
    return send_message(adapter, token, page_id, payload)


def find_answer(adapter, creds: Credentials, thread_id: str, text: str, since) -> str | None:
    """Our message in the conversation with ``thread_id`` (the person's id, as the inbox
    stores it, or a conversation id ``t_...``): the conversation is found by
    /{page-id}/conversations?platform=...&user_id=, then its latest messages read. Our own
    messages come ``from`` the account (the Page, or the Instagram account)."""
    page_id, token = adapter.messaging_page(creds)
    conversation_id = thread_id if thread_id.startswith("t_") else ""
    if not conversation_id:
        found = adapter.request(
            "GET",
            adapter.url(f"{page_id}/conversations"),
            params={
                "platform": adapter.messaging_platform,
                "user_id": thread_id,
                "fields": "id",
                "access_token": token,
            },
        ).json()
        data = (found.get("data") if isinstance(found, dict) else None) or []
        if not data or not isinstance(data[0], dict) or not data[0].get("id"):
            return None  # no conversation with this person: nothing was sent
        conversation_id = str(data[0]["id"])
    body = adapter.request(
        "GET",
        adapter.url(conversation_id),
        params={"fields": "messages{id,message,from,created_time}", "access_token": token},
    ).json()
    messages = ((body.get("messages") if isinstance(body, dict) else None) or {}).get("data") or []
    return our_message(messages, creds.external_id, text, since)


def our_message(messages: list, sender_id: str, text: str, since: datetime | None) -> str | None:
    """The id of the first of ``messages`` (a conversation's, newest first) sent by
    ``sender_id`` with ``text`` (whitespace aside), at or after ``since``."""
    wanted = normalise_text(text)
    for m in messages:
        if not isinstance(m, dict) or not m.get("id"):
            continue
        author = m.get("from") if isinstance(m.get("from"), dict) else {}
        if str(author.get("id", "")) != sender_id:
            continue
        created = parse_time(m.get("created_time"))
        if since is not None and (created is None or created < since):
            continue
        if normalise_text(str(m.get("message") or "")) == wanted:
            return str(m["id"])
    return None
