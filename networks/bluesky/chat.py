"""Bluesky chat (direct messages): the chat.bsky.convo.* methods, served by Bluesky's chat
service and reached through the account's PDS with the ``atproto-proxy`` header.

A mixin of BlueskyAdapter (it uses the adapter's request, xrpc and auth). Only an app password
created with "Allow access to your direct messages" (its session's scope is
``com.atproto.appPassPrivileged``) or the account's own password may use chat; a plain app
password (``com.atproto.appPass``) is refused by the service (``InvalidToken``, "Bad token
scope", lately "Bad token method"). Both are told apart before any call where the session's
token says which it is, and the refusal is read the same way when it does not: one clear
message (CHAT_NOT_ALLOWED), never "reconnect" (the session itself is fine).
"""

from __future__ import annotations

from networks.base import Author, Comment, Credentials, PermanentError
from networks.bluesky.session import jwt_claims
from networks.lookup import normalise_text, parse_time

CHAT_PROXY = {"atproto-proxy": "did:web:api.bsky.chat#bsky_chat"}
CHAT_NOT_ALLOWED = (
    "This Bluesky app password may not use direct messages: create a new app password with "
    '"Allow access to your direct messages" ticked (Settings › Privacy and security › App '
    "passwords), then reconnect the account with it."
)
# What the chat service answers (error InvalidToken) to a session that may not use chat.
CHAT_REFUSALS = {"Bad token scope", "Bad token method"}
_PLAIN_APP_PASSWORD = "com.atproto.appPass"
CONVO_PAGES = 4  # at most 200 conversations a poll, the most recently active first
MESSAGES_PER_CONVO = 50


def chat_refused(error: str, message: str) -> bool:
    """Whether an error answer means "this session may not use chat"."""
    return error == "InvalidToken" and message in CHAT_REFUSALS


class BlueskyChat:
    def _chat(self, creds: Credentials, method: str, *, http: str = "GET", **kwargs) -> dict:
        if jwt_claims(creds.access_token).get("scope") == _PLAIN_APP_PASSWORD:
            raise PermanentError(CHAT_NOT_ALLOWED, code="chat_not_allowed", network=self.network)
        headers = {**self.auth(creds), **CHAT_PROXY}
        return self.request(http, self.xrpc(creds, method), headers=headers, **kwargs).json()

    def list_direct_messages(self, creds, since=None):
        """chat.bsky.convo.listConvos (most recent activity first) and, for each conversation
        whose last message is newer than ``since``, chat.bsky.convo.getMessages (newest
        first). The thread id is the conversation's ``id`` (its convoId); deleted and system
        messages are skipped."""
        found: list[tuple[str, Comment]] = []
        cursor = None
        for _page in range(CONVO_PAGES):
            params: dict = {"limit": 50}
            if cursor:
                params["cursor"] = cursor
            body = self._chat(creds, "chat.bsky.convo.listConvos", params=params)
            reached_seen = False
            for convo in body.get("convos") or []:
                last = parse_time((convo.get("lastMessage") or {}).get("sentAt"))
                if since and last and last <= since:
                    reached_seen = True
                    break
                found += self._convo_messages(creds, convo, since)
            cursor = body.get("cursor")
            if reached_seen or not cursor:
                break
        return found

    def _convo_messages(self, creds, convo: dict, since) -> list[tuple[str, Comment]]:
        convo_id = convo.get("id")
        if not convo_id:
            return []
        members = {m.get("did"): m for m in convo.get("members") or []}
        body = self._chat(
            creds,
            "chat.bsky.convo.getMessages",
            params={"convoId": convo_id, "limit": MESSAGES_PER_CONVO},
        )
        found = []
        for message in body.get("messages") or []:
            if "text" not in message or not message.get("id"):
                continue  # a deletedMessageView or a system message: nothing to show
            sent = parse_time(message.get("sentAt"))
            if since and sent and sent <= since:
                continue
            did = (message.get("sender") or {}).get("did", "")
            found.append((str(convo_id), _message(message, members.get(did) or {"did": did})))
        return found

    def send_direct_message(self, creds, thread_id, recipient_id, text, *, idempotency_key=""):
        """chat.bsky.convo.sendMessage in the conversation (found for the recipient with
        getConvoForMembers when none is known); returns the message's id. The chat service
        takes no idempotency key: an unknown outcome is settled by
        find_existing_direct_message."""
        convo_id = thread_id
        if not convo_id:
            convo_id = self._chat(
                creds, "chat.bsky.convo.getConvoForMembers", params={"members": [recipient_id]}
            )["convo"]["id"]
        body = self._chat(
            creds,
            "chat.bsky.convo.sendMessage",
            http="POST",
            json={"convoId": convo_id, "message": {"text": text}},
        )
        return str(body["id"])

    def find_existing_direct_message(self, creds, thread_id, text, *, since=None):
        """Our message among the conversation's latest (getMessages): sent by the account,
        with ``text`` (whitespace aside), at or after ``since``."""
        body = self._chat(
            creds,
            "chat.bsky.convo.getMessages",
            params={"convoId": thread_id, "limit": MESSAGES_PER_CONVO},
        )
        wanted = normalise_text(text)
        for message in body.get("messages") or []:
            if (message.get("sender") or {}).get("did") != creds.external_id:
                continue
            sent = parse_time(message.get("sentAt"))
            if since and (sent is None or sent < since):
                continue
            if "text" in message and normalise_text(message["text"]) == wanted:
                return str(message["id"])
        return None


def _message(message: dict, member: dict) -> Comment:
    handle = member.get("handle", "")
    return Comment(
        external_id=str(message["id"]),
        author=Author(
            external_id=member.get("did", ""),
            handle=handle,
            name=member.get("displayName", ""),
            url=f"https://bsky.app/profile/{handle}" if handle else "",
        ),
        text=message.get("text", ""),
        created_at=parse_time(message.get("sentAt")),
        raw=message,
    )
