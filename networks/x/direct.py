"""X direct messages (API v2): reading the account's DM events, sending in a conversation,
and finding a message we sent when the answer was lost.

A mixin of XAdapter (it uses the adapter's request and auth). The endpoints need the OAuth 2.0
scopes ``dm.read`` (reading) and ``dm.write`` (sending) beside ``tweet.read`` and
``users.read``; a connection made before we asked for them holds a token without them, which
the account's stored scopes show (``Credentials.extra["scopes"]``): the call is refused here,
before X is asked, with what to do. Events of the last 30 days only (X's retention).
"""

from __future__ import annotations

from networks.base import Author, Comment, Credentials, PermanentError
from networks.lookup import normalise_text, parse_time

API = "https://api.x.com/2"
DM_SCOPES = ("dm.read", "dm.write")
_EVENT_FIELDS = "id,text,event_type,created_at,dm_conversation_id,sender_id,participant_ids"
_USER_FIELDS = "username,name,public_metrics"
EVENT_PAGES = 5  # at most 500 events a poll; older ones wait for the next poll
LOOKUP_EVENTS = 50  # a lost send is looked for among the conversation's 50 latest events


def missing_dm_scopes(scopes) -> list[str]:
    """The DM scopes a connection lacks; none when its scopes are unknown (not stored)."""
    if not scopes:
        return []
    return [scope for scope in DM_SCOPES if scope not in scopes]


class XDirectMessages:
    def _require_dm_scope(self, creds: Credentials, scope: str) -> None:
        if scope in missing_dm_scopes(creds.extra.get("scopes")):
            raise PermanentError(
                "This X account was connected before direct messages were asked for (its "
                f"token lacks {scope}): reconnect it to grant dm.read and dm.write.",
                code="missing_scope",
                network=self.network,
            )

    @classmethod
    def missing_features(cls, scopes) -> list[str]:
        return ["direct_messages"] if missing_dm_scopes(scopes) else []

    def list_direct_messages(self, creds, since=None):
        """GET /2/dm_events (MessageCreate, newest first, with the senders expanded), pages
        followed with ``next_token`` until an event at or before ``since``. The thread id is
        the event's ``dm_conversation_id`` (``<smaller id>-<larger id>`` one to one)."""
        self._require_dm_scope(creds, "dm.read")
        found: list[tuple[str, Comment]] = []
        token = None
        for _page in range(EVENT_PAGES):
            params = {
                "event_types": "MessageCreate",
                "dm_event.fields": _EVENT_FIELDS,
                "expansions": "sender_id",
                "user.fields": _USER_FIELDS,
                "max_results": 100,
            }
            if token:
                params["pagination_token"] = token
            body = self.request(
                "GET", f"{API}/dm_events", headers=self.auth(creds), params=params
            ).json()
            users = {u.get("id"): u for u in (body.get("includes") or {}).get("users") or []}
            reached_seen = False
            for event in body.get("data") or []:
                created = parse_time(event.get("created_at"))
                if since and created and created <= since:
                    reached_seen = True
                    break
                thread = event.get("dm_conversation_id")
                if event.get("event_type", "MessageCreate") != "MessageCreate" or not thread:
                    continue
                found.append((str(thread), _message(event, users)))
            token = (body.get("meta") or {}).get("next_token")
            if reached_seen or not token:
                break
        return found

    def send_direct_message(self, creds, thread_id, recipient_id, text, *, idempotency_key=""):
        """POST /2/dm_conversations/:dm_conversation_id/messages (one to one and groups), or
        /with/:participant_id/messages when no conversation is known yet. X takes no
        idempotency key: an unknown outcome is settled by find_existing_direct_message."""
        self._require_dm_scope(creds, "dm.write")
        url = (
            f"{API}/dm_conversations/{thread_id}/messages"
            if thread_id
            else f"{API}/dm_conversations/with/{recipient_id}/messages"
        )
        body = self.request("POST", url, headers=self.auth(creds), json={"text": text}).json()
        return str(body["data"]["dm_event_id"])

    def find_existing_direct_message(self, creds, thread_id, text, *, since=None):
        """Our message among the conversation's latest events
        (GET /2/dm_conversations/:dm_conversation_id/dm_events): sent by the account, with
        ``text`` (whitespace aside), at or after ``since``."""
        self._require_dm_scope(creds, "dm.read")
        body = self.request(
            "GET",
            f"{API}/dm_conversations/{thread_id}/dm_events",
            headers=self.auth(creds),
            params={
                "event_types": "MessageCreate",
                "dm_event.fields": _EVENT_FIELDS,
                "max_results": LOOKUP_EVENTS,
            },
        ).json()
        wanted = normalise_text(text)
        for event in body.get("data") or []:
            if str(event.get("sender_id", "")) != creds.external_id:
                continue
            created = parse_time(event.get("created_at"))
            if since and (created is None or created < since):
                continue
            if normalise_text(event.get("text", "")) == wanted:
                return str(event["id"])
        return None


def _message(event: dict, users: dict) -> Comment:
    sender = str(event.get("sender_id", ""))
    user = users.get(sender) or {"id": sender}
    username = user.get("username", "")
    return Comment(
        external_id=str(event["id"]),
        author=Author(
            external_id=sender,
            handle=username,
            name=user.get("name", ""),
            followers=(user.get("public_metrics") or {}).get("followers_count"),
            url=f"https://x.com/{username}" if username else "",
        ),
        text=event.get("text", ""),
        created_at=parse_time(event.get("created_at")),
        raw=event,
    )
