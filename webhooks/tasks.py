"""Webhook tasks: thin, take ids, call one service.

The task names keep the `agency.` prefix they had before the app moved out of `agency`: they
are wire identifiers, carried by queued messages, which a worker of the next version would
refuse under a new name (docs/decisions.md, 20).
"""

from celery import shared_task

from agency.tasks_base import TenantTask
from webhooks.services.delivery import (
    webhook_deliveries_due_across_agencies,
    webhook_deliveries_expire_across_agencies,
    webhook_delivery_attempt,
)


@shared_task(
    base=TenantTask,
    name="agency.deliver_webhook",
    # One task per delivery with a hard limit: a receiver that never answers holds up this one
    # delivery for WEBHOOK_TIMEOUT_SECONDS at most (one deadline for the whole attempt), never
    # the others. An attempt killed here is recorded as failed by the sweep
    # (webhook_deliveries_expire_across_agencies): the lease (2 min) outlives the hard limit.
    soft_time_limit=60,
    time_limit=90,
    ignore_result=True,
)
def deliver_webhook(*, agency_id: int, delivery_id: int) -> None:
    """One attempt at one delivery; does nothing if it is not due (sent, leased or gone)."""
    webhook_delivery_attempt(delivery_id=delivery_id)


@shared_task(name="agency.sweep_webhook_deliveries", ignore_result=True)
def sweep_webhook_deliveries() -> int:
    """Queue every delivery that is due: retries, and first attempts whose message was lost."""
    # Attempts killed by the time limit (or a dead worker) count as failed before retrying.
    webhook_deliveries_expire_across_agencies()
    due = webhook_deliveries_due_across_agencies()
    for agency_id, delivery_id in due:
        deliver_webhook.delay(agency_id=agency_id, delivery_id=delivery_id)
    return len(due)
