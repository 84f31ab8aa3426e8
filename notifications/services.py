"""Every write of the notification centre: the one alert path, its emails, read marks and
each person's preferences.

Every app tells people through `alert_send`, and only through it: the kind of alert decides
nothing by itself; each person's channel for that kind does (off, in the app, email at once,
daily digest), with their quiet hours. Services run inside the agency's tenant scope (the
request's, the task's, or a `tenant_scope` a cross-agency dispatcher entered) and read through
the scoped managers.
"""

import functools
import zoneinfo
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agency.models import Agency, Membership, User
from agency.tenancy import NoTenantError, current_agency_id_or_none, tenant_scope
from notifications.emails import alert_email, digest_email
from notifications.models import (
    AlertChannel,
    AlertKind,
    AlertSeverity,
    EmailState,
    Notification,
    NotificationPreference,
)

# A digest waiting longer than this goes out at the next hourly run whatever the person's
# digest hour, so that nothing waits forever (quiet hours every digest hour, a missed run).
DIGEST_OVERDUE = timedelta(hours=25)


def notification_preference_for(*, agency_id: int, user_id: int) -> NotificationPreference:
    """The person's preferences, or unsaved defaults."""
    found = NotificationPreference.objects.filter(agency_id=agency_id, user_id=user_id).first()
    return found or NotificationPreference(agency_id=agency_id, user_id=user_id)


@contextmanager
def _in_agency(agency_id: int) -> Iterator[None]:
    """Run in the agency the alert is for. Every app calls `alert_send`, from requests, tasks
    and system paths alike (a webhook turned off, a crisis evaluation), and always names the
    agency: the scope follows from it, but never against the caller's own scope."""
    current = current_agency_id_or_none()
    if current is not None and current != agency_id:
        raise NoTenantError(f"Alert for agency {agency_id} sent inside agency {current}'s scope.")
    with tenant_scope(agency_id):
        yield


def _email_state(pref: NotificationPreference, channel: str, severity: str, local_now) -> str:
    if channel == AlertChannel.EMAIL_IMMEDIATE:
        quiet = pref.in_quiet_hours(local_now) and severity != AlertSeverity.CRITICAL
        return EmailState.DIGEST if quiet else EmailState.IMMEDIATE
    if channel == AlertChannel.EMAIL_DIGEST:
        return EmailState.DIGEST
    return EmailState.NONE


def _alert_rows(agency, user_ids, kind, message, url, severity) -> list[Notification]:
    """One unsaved notification per member among `user_ids` whose channel is not off."""
    member_ids = sorted(
        set(
            Membership.objects.filter(agency=agency, user_id__in=user_ids).values_list(
                "user_id", flat=True
            )
        )
    )
    prefs = {
        p.user_id: p
        for p in NotificationPreference.objects.filter(agency=agency, user_id__in=member_ids)
    }
    local_now = timezone.localtime(timezone.now(), zoneinfo.ZoneInfo(agency.time_zone)).time()
    rows = []
    for user_id in member_ids:
        pref = prefs.get(user_id) or NotificationPreference(agency=agency, user_id=user_id)
        channel = pref.channel_for(kind)
        if channel == AlertChannel.OFF:
            continue
        rows.append(
            Notification(
                agency=agency,
                recipient_id=user_id,
                verb=kind,
                message=message[:500],
                url=url[:500],
                severity=severity,
                email_state=_email_state(pref, channel, severity, local_now),
            )
        )
    return rows


def alert_send(
    *,
    agency: Agency,
    recipients: Iterable[User | int | None],
    kind: str,
    message: str,
    url: str = "",
    severity: str = AlertSeverity.NORMAL,
) -> list[Notification]:
    """Alert people of the agency, each through the channel they chose for `kind`.

    `recipients` are users or user ids (None and repeats are ignored); only members of the
    agency are alerted, each once. Guarantees: "off" means nothing at all; every other channel
    leaves an in-app notification; "email_immediate" emails once the caller's transaction
    commits, except during the person's quiet hours (agency time zone), when the email waits
    for the digest — unless the alert is critical, which ignores quiet hours; "email_digest"
    waits for the daily digest. Rows are written in the caller's transaction. A kind missing
    from AlertKind is refused, so no alert escapes the preferences.
    """
    if kind not in AlertKind.values:
        raise ValueError(f"Unknown alert kind {kind!r}: add it to notifications.AlertKind.")
    user_ids = {getattr(r, "pk", r) for r in recipients} - {None}
    with _in_agency(agency.pk):
        rows = _alert_rows(agency, user_ids, kind, message, url, severity)
        created = Notification.objects.bulk_create(rows)
    immediate = [n.pk for n in created if n.email_state == EmailState.IMMEDIATE]
    if immediate:
        from notifications.tasks import send_alert_emails

        transaction.on_commit(
            functools.partial(
                send_alert_emails.delay, agency_id=agency.pk, notification_ids=immediate
            )
        )
    return created


def alert_emails_send(*, agency_id: int, notification_ids: list[int]) -> int:
    """Email the given immediate alerts, each once: a conditional update claims each one, so
    a redelivered task never emails twice. Returns the number of emails sent."""
    sent = 0
    notifications = Notification.objects.filter(
        agency_id=agency_id, pk__in=notification_ids, email_state=EmailState.IMMEDIATE
    ).select_related("recipient", "agency")
    for notification in notifications:
        if not Notification.objects.filter(
            pk=notification.pk, email_state=EmailState.IMMEDIATE
        ).update(email_state=EmailState.SENT):
            continue
        email = alert_email(notification)
        send_mail(email.subject, email.body, None, [notification.recipient.email])
        sent += 1
    return sent


def notification_digests_send(*, agency_id: int, now=None) -> int:
    """Send each person of the agency one email with the alerts waiting for the digest.

    A person's digest goes out during their digest hour (agency time zone), outside their quiet
    hours; alerts waiting longer than DIGEST_OVERDUE go out at the next run whatever the hour.
    Each batch is claimed with a conditional update, so it is sent once. Returns the number of
    emails sent.
    """
    now = now or timezone.now()
    agency = Agency.objects.get(pk=agency_id)
    zone = zoneinfo.ZoneInfo(agency.time_zone)
    local = timezone.localtime(now, zone)
    waiting = Notification.objects.filter(
        agency_id=agency_id, email_state=EmailState.DIGEST
    ).order_by("created_at")
    by_user: dict[int, list[Notification]] = {}
    for notification in waiting.select_related("recipient"):
        by_user.setdefault(notification.recipient_id, []).append(notification)
    sent = 0
    for user_id, items in by_user.items():
        pref = notification_preference_for(agency_id=agency_id, user_id=user_id)
        overdue = now - items[0].created_at > DIGEST_OVERDUE
        due = local.hour == pref.digest_hour and not pref.in_quiet_hours(local.time())
        if not (due or overdue):
            continue
        ids = [n.pk for n in items]
        if not Notification.objects.filter(pk__in=ids, email_state=EmailState.DIGEST).update(
            email_state=EmailState.SENT
        ):
            continue
        email = digest_email(agency, items, zone)
        send_mail(email.subject, email.body, None, [items[0].recipient.email])
        sent += 1
    return sent


def notification_mark_read(*, user: User, notification: Notification) -> Notification:
    """Mark one of the person's own notifications read (someone else's is refused)."""
    if notification.recipient_id != user.pk:
        raise PermissionDenied
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk).update(read_at=notification.read_at)
    return notification


def notifications_mark_all_read(*, agency: Agency, user: User) -> int:
    """Mark every unread notification of the person in the agency read; returns how many."""
    return Notification.objects.filter(agency=agency, recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


@transaction.atomic
def notification_preference_update(
    *, membership: Membership, channels: dict, quiet_hours_start, quiet_hours_end, digest_hour: int
) -> NotificationPreference:
    """Save one person's alert settings; unknown kinds or channels are refused by field."""
    errors = {}
    for kind, channel in channels.items():
        if kind not in AlertKind.values or channel not in AlertChannel.values:
            errors[kind] = _("Choose a channel from the list.")
    if (quiet_hours_start is None) != (quiet_hours_end is None):
        errors["quiet_hours_end"] = _("Give both the start and the end of the quiet hours.")
    if not 0 <= digest_hour <= 23:
        errors["digest_hour"] = _("Choose an hour between 0 and 23.")
    if errors:
        raise ValidationError(errors)
    pref, _created = NotificationPreference.objects.update_or_create(
        agency_id=membership.agency_id,
        user_id=membership.user_id,
        defaults={
            "channels": dict(channels),
            "quiet_hours_start": quiet_hours_start,
            "quiet_hours_end": quiet_hours_end,
            "digest_hour": digest_hour,
        },
    )
    return pref
