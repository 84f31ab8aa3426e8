"""Campaign tasks: thin wrappers that take ids and call one service."""

import logging

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.utils import translation

from agency.models import Notification
from agency.tasks_base import TenantTask

logger = logging.getLogger(__name__)


@shared_task(
    base=TenantTask,
    bind=True,
    name="campaigns.send_notification_emails",
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
    ignore_result=True,
)
def send_notification_emails(self, *, agency_id: int, notification_ids: list[int]) -> int:
    """Email the in-app notifications just written (approval requests, @mentions, decisions)."""
    sent = 0
    notifications = Notification.objects.filter(
        pk__in=notification_ids, email_state=""
    ).select_related("recipient", "agency")
    for notification in notifications:
        # Claimed with a conditional update: a redelivered task never emails twice.
        if not Notification.objects.filter(pk=notification.pk, email_state="").update(
            email_state="sent"
        ):
            continue
        link = settings.SITE_URL.rstrip("/") + notification.url if notification.url else ""
        with translation.override(notification.agency.language):
            send_mail(
                notification.message[:150],
                f"{notification.message}\n\n{link}".strip(),
                None,
                [notification.recipient.email],
            )
        sent += 1
    return sent


@shared_task(name="campaigns.dispatch_approval_reminders", ignore_result=True)
def dispatch_approval_reminders() -> int:
    """Beat, hourly: one reminder task per agency with posts awaiting approval."""
    from campaigns.selectors import brands_with_pending_reviews_unscoped

    agency_ids = brands_with_pending_reviews_unscoped()
    for agency_id in agency_ids:
        send_approval_reminders.delay(agency_id=agency_id)
    return len(agency_ids)


@shared_task(base=TenantTask, name="campaigns.send_approval_reminders", ignore_result=True)
def send_approval_reminders(*, agency_id: int) -> int:
    """Remind approvers of one agency; each brand at most once a day (the service decides)."""
    from campaigns.services import approval_reminders_send

    return approval_reminders_send(agency_id=agency_id)
