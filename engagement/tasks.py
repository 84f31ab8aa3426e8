"""The outbox's tasks: thin, they take ids and call one service (engagement.services.outbox)."""

from celery import shared_task
from django.conf import settings

from agency.tasks_base import TenantTask
from engagement.services import sla as services_sla
from engagement.services.outbox import action_send, actions_reap_across_agencies
from engagement.services.webhooks_in import meta_entries_store


# Never retried by Celery: every retry is a new claim in the database, so a redelivered
# message finds nothing to do. The hard limit is the one outbox.call_lease() counts on.
@shared_task(
    base=TenantTask,
    name="engagement.send_outbound_action",
    ignore_result=True,
    soft_time_limit=settings.CELERY_TASK_SOFT_TIME_LIMIT,
    time_limit=settings.CELERY_TASK_TIME_LIMIT,
)
def send_outbound_action(*, agency_id: int, action_id: int) -> str:
    return action_send(action_id=action_id)


@shared_task(
    name="engagement.reap_outbound_actions",
    ignore_result=True,
    soft_time_limit=settings.CELERY_TASK_SOFT_TIME_LIMIT,
    time_limit=settings.CELERY_TASK_TIME_LIMIT,
)
def reap_outbound_actions() -> int:
    """Beat: decide about outbox rows whose lease ran out (ask the network; never resend
    blindly)."""
    return len(actions_reap_across_agencies())


@shared_task(
    name="engagement.sla_breaches_mark_across_agencies",
    ignore_result=True,
    soft_time_limit=settings.CELERY_TASK_SOFT_TIME_LIMIT,
    time_limit=settings.CELERY_TASK_TIME_LIMIT,
)
def sla_breaches_mark_across_agencies() -> int:
    """Beat: mark the conversations whose response-time target fell due (once each), alert
    and announce them."""
    return services_sla.sla_breaches_mark_across_agencies()


# Retried by Celery on a lost worker only (acks_late): storing is idempotent, one message per
# (account, external id); a delivery lost for good is read by the reconciliation poll.
@shared_task(
    base=TenantTask,
    name="engagement.store_meta_entries",
    ignore_result=True,
    acks_late=True,
    soft_time_limit=settings.CELERY_TASK_SOFT_TIME_LIMIT,
    time_limit=settings.CELERY_TASK_TIME_LIMIT,
)
def store_meta_entries(*, agency_id: int, account_id: int, entries: list[dict]) -> int:
    return meta_entries_store(account_id=account_id, entries=entries)
