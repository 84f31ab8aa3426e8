"""Campaign tasks: thin wrappers that take ids and call one service."""

from celery import shared_task

from agency.tasks_base import TenantTask


@shared_task(name="campaigns.dispatch_approval_reminders", ignore_result=True)
def dispatch_approval_reminders() -> int:
    """Beat, hourly: one reminder task per agency with posts awaiting approval."""
    from campaigns.selectors.planning import agencies_with_pending_reviews_across_agencies

    agency_ids = agencies_with_pending_reviews_across_agencies()
    for agency_id in agency_ids:
        send_approval_reminders.delay(agency_id=agency_id)
    return len(agency_ids)


@shared_task(
    base=TenantTask,
    name="campaigns.send_approval_reminders",
    ignore_result=True,
    soft_time_limit=120,
    time_limit=150,
)
def send_approval_reminders(*, agency_id: int) -> int:
    """Remind approvers of one agency; each brand at most once a day (the service decides)."""
    from campaigns.services.reminders import approval_reminders_send

    return approval_reminders_send(agency_id=agency_id)
