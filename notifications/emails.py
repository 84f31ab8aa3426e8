"""What the notification centre's emails say: one alert at once, or a person's daily digest.

Pure rendering (subject and body, in the agency's language); the services in
notifications.services decide who gets what and when, and send.
"""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from agency.models import Agency
from notifications.models import AlertSeverity, Notification


@dataclass(frozen=True)
class Email:
    subject: str
    body: str


def _link(url: str) -> str:
    # Notification urls are paths inside the dashboard; an email needs the whole address.
    return settings.SITE_URL.rstrip("/") + url if url else ""


def alert_email(notification: Notification) -> Email:
    """One alert, emailed at once: the message is the subject (marked when critical)."""
    with translation.override(notification.agency.language):
        subject = (
            _("[Critical] %(message)s")
            if notification.severity == AlertSeverity.CRITICAL
            else "%(message)s"
        ) % {"message": notification.message[:120]}
    body = f"{notification.message}\n\n{_link(notification.url)}".strip()
    return Email(subject=subject, body=body)


def digest_email(agency: Agency, items: list[Notification], tzinfo: dt.tzinfo) -> Email:
    """A person's waiting alerts in one email, oldest first, each with its local time."""
    with translation.override(agency.language):
        subject = _("%(agency)s: %(count)s alerts since the last digest") % {
            "agency": agency.name,
            "count": len(items),
        }
    lines = [
        f"- {timezone.localtime(n.created_at, tzinfo):%d/%m %H:%M} {n.message}"
        + (f"\n  {_link(n.url)}" if n.url else "")
        for n in items
    ]
    return Email(subject=subject, body="\n".join(lines))
