"""Answering a Mastodon private mention: a status of ``direct`` visibility in its thread.

Mastodon has no separate messages: a "direct message" is a status whose visibility is
``direct``, delivered only to the accounts it mentions. The inbox reads them with the
account's mention notifications (engagement stores a direct one as a direct-message
conversation); a reply goes back as a direct status answering the thread's first status and
mentioning its author and the others it mentioned (as Mastodon's own apps do), so it is
never more visible than what it answers. A mixin of MastodonAdapter (request, base, auth,
_post_status's Idempotency-Key).
"""

from __future__ import annotations

import re

from networks.lookup import normalise_text, parse_time

# Leading "@user" / "@user@domain" mentions, as a reply starts; compared without them.
_LEADING_MENTIONS = re.compile(r"^(?:@[\w.\-]+(?:@[\w.\-]+)?\s+)+")


def without_leading_mentions(text: str) -> str:
    return normalise_text(_LEADING_MENTIONS.sub("", text.strip()))


class MastodonDirect:
    def send_direct_message(self, creds, thread_id, recipient_id, text, *, idempotency_key=""):
        """POST /api/v1/statuses with ``visibility=direct`` in reply to the thread's status,
        the people in it mentioned first (GET /api/v1/statuses/:id says who they are).
        Mastodon keeps the Idempotency-Key for an hour: a resend of one click returns the
        first status."""
        status = self.request(
            "GET", f"{self.base(creds)}/api/v1/statuses/{thread_id}", headers=self.auth(creds)
        ).json()
        people = [status.get("account") or {}, *(status.get("mentions") or [])]
        mentions: list[str] = []
        for person in people:
            acct = person.get("acct", "")
            if acct and str(person.get("id", "")) != creds.external_id and acct not in mentions:
                mentions.append(acct)
        missing = [f"@{acct}" for acct in mentions if f"@{acct}".lower() not in text.lower()]
        body = f"{' '.join(missing)} {text}" if missing else text
        return self._post_status(
            creds, body, key=idempotency_key, in_reply_to=thread_id, visibility="direct"
        )["id"]

    def find_existing_direct_message(self, creds, thread_id, text, *, since=None):
        """Our direct status among the thread's answers (GET /api/v1/statuses/:id/context),
        recognised by its text without the leading mentions we added, at or after ``since``."""
        from networks.mastodon.statuses import html_to_text

        context = self.request(
            "GET",
            f"{self.base(creds)}/api/v1/statuses/{thread_id}/context",
            headers=self.auth(creds),
        ).json()
        wanted = without_leading_mentions(text)
        for status in context.get("descendants") or []:
            if str((status.get("account") or {}).get("id", "")) != creds.external_id:
                continue
            created = parse_time(status.get("created_at"))
            if since and (created is None or created < since):
                continue
            if without_leading_mentions(html_to_text(status.get("content", ""))) == wanted:
                return str(status["id"])
        return None
