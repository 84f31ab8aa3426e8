"""Campaign tasks: thin wrappers that take ids and call one service."""

import logging
import threading
import time

from celery import shared_task
from celery.signals import worker_ready, worker_shutdown
from django.conf import settings

from agency.tasks_base import TenantTask

logger = logging.getLogger(__name__)


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


# --- The publishing engine (campaigns/publishing.py, docs/publishing.md) --------------------


@shared_task(name="campaigns.dispatch_due_publications", ignore_result=True)
def dispatch_due_publications() -> int:
    """Beat, every few seconds, across agencies: claim due variants, queue their publishing."""
    from campaigns.publishing import publications_dispatch_unscoped

    return publications_dispatch_unscoped()


# The publish task's hard limit is the one publishing.call_lease() counts on (lease = hard
# limit + 60 s): both read CELERY_TASK_TIME_LIMIT, so they cannot drift apart.
@shared_task(
    base=TenantTask,
    name="campaigns.publish_variant",
    ignore_result=True,
    soft_time_limit=settings.CELERY_TASK_SOFT_TIME_LIMIT,
    time_limit=settings.CELERY_TASK_TIME_LIMIT,
)
def publish_variant(*, agency_id: int, post_variant_id: int, attempt: int | None = None) -> str:
    """Publish one claimed variant. Never retried by Celery: every retry is a new claim in the
    database (backoff, rate limits), so a redelivered message finds nothing to do."""
    from campaigns.publishing import variant_publish

    return variant_publish(post_variant_id=post_variant_id, attempt=attempt)


@shared_task(
    name="campaigns.reap_expired_publications",
    ignore_result=True,
    soft_time_limit=settings.CELERY_TASK_SOFT_TIME_LIMIT,
    time_limit=settings.CELERY_TASK_TIME_LIMIT,
)
def reap_expired_publications() -> int:
    """Beat: decide about variants whose lease ran out (ask the network; never resend blindly)."""
    from campaigns.publishing import expired_publications_reap_unscoped

    return len(expired_publications_reap_unscoped())


@shared_task(name="campaigns.dispatch_metric_snapshots", ignore_result=True)
def dispatch_metric_snapshots() -> int:
    """Beat: queue the post metric snapshots that are due (1 h, 24 h, 7 days)."""
    from django.utils import timezone

    from campaigns.publishing import due_metric_snapshots_unscoped

    due = list(due_metric_snapshots_unscoped(now=timezone.now()).values_list("id", "agency_id"))
    for snapshot_id, agency_id in due:
        collect_metric_snapshot.delay(agency_id=agency_id, post_metric_snapshot_id=snapshot_id)
    return len(due)


@shared_task(
    base=TenantTask,
    name="campaigns.collect_metric_snapshot",
    ignore_result=True,
    soft_time_limit=60,
    time_limit=90,
)
def collect_metric_snapshot(*, agency_id: int, post_metric_snapshot_id: int) -> str:
    from campaigns.publishing import metric_snapshot_collect

    return metric_snapshot_collect(post_metric_snapshot_id=post_metric_snapshot_id)


# The worker's heartbeat for /health/: a thread of the worker's main process writes the time
# into the shared cache every few seconds while the worker runs.
_heartbeat_stop = threading.Event()


def _beat_heart() -> None:
    from django.core.cache import cache

    from campaigns.publishing import HEARTBEAT_WORKER

    while not _heartbeat_stop.is_set():
        try:
            cache.set(HEARTBEAT_WORKER, time.time(), None)
        except Exception:  # noqa: BLE001 - a cache hiccup must not kill the worker
            logger.warning("could not write the worker heartbeat", exc_info=True)
        _heartbeat_stop.wait(5)


@worker_ready.connect
def _start_heartbeat(**_kwargs) -> None:
    _heartbeat_stop.clear()
    threading.Thread(target=_beat_heart, name="publishing-heartbeat", daemon=True).start()


@worker_shutdown.connect
def _stop_heartbeat(**_kwargs) -> None:
    _heartbeat_stop.set()
