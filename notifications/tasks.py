"""Notification tasks: thin wrappers that take ids and call one service.

The task names keep the `agency.` prefix they had before the app moved out of `agency`: they
are wire identifiers, carried by queued messages, which a worker of the next version would
refuse under a new name (docs/decisions.md, 22).
"""

from celery import shared_task

from agency.tasks_base import TenantTask
from notifications import selectors, services


@shared_task(
    base=TenantTask,
    name="agency.send_alert_emails",
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
    ignore_result=True,
    # An SMTP server that stops answering must not hold a worker (docs/operations.md).
    soft_time_limit=60,
    time_limit=90,
)
def send_alert_emails(*, agency_id: int, notification_ids: list[int]) -> int:
    """Email alerts just written for people who want them at once (each claimed once)."""
    return services.alert_emails_send(agency_id=agency_id, notification_ids=notification_ids)


@shared_task(name="agency.dispatch_notification_digests", ignore_result=True)
def dispatch_notification_digests() -> int:
    """Beat, hourly, across agencies: one digest task per agency with alerts waiting."""
    agency_ids = selectors.digest_agency_ids_across_agencies()
    for agency_id in agency_ids:
        send_notification_digests.delay(agency_id=agency_id)
    return len(agency_ids)


@shared_task(
    base=TenantTask,
    name="agency.send_notification_digests",
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
    ignore_result=True,
    # One email per person waiting for a digest in the agency, each bounded by the SMTP
    # timeout; the limit keeps a stuck server from holding the worker.
    soft_time_limit=120,
    time_limit=150,
)
def send_notification_digests(*, agency_id: int) -> int:
    """Send the agency's digests that are due (the service claims each batch once)."""
    return services.notification_digests_send(agency_id=agency_id)
