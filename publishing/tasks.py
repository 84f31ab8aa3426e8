"""The publishing engine's tasks: thin, they take ids and call one service (docs/publishing.md).

The task names keep their `campaigns.` prefix: they are the names beat's schedule
(CELERY_BEAT_SCHEDULE) and any message already queued carry, from before the engine had its
own app.
"""

import logging
import threading
import time

from celery import shared_task
from celery.signals import worker_ready, worker_shutdown
from django.conf import settings
from django.core.cache import cache

from agency.tasks_base import TenantTask
from publishing.dispatch import publications_dispatch_across_agencies
from publishing.heartbeats import HEARTBEAT_WORKER
from publishing.reaper import expired_publications_reap_across_agencies
from publishing.worker import variant_publish

logger = logging.getLogger(__name__)


@shared_task(name="campaigns.dispatch_due_publications", ignore_result=True)
def dispatch_due_publications() -> int:
    """Beat, every few seconds, across agencies: claim due variants, queue their publishing."""
    return publications_dispatch_across_agencies()


# The publish task's hard limit is the one publishing.worker.call_lease() counts on (lease =
# hard limit + 60 s): both read CELERY_TASK_TIME_LIMIT, so they cannot drift apart.
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
    return variant_publish(post_variant_id=post_variant_id, attempt=attempt)


@shared_task(
    name="campaigns.reap_expired_publications",
    ignore_result=True,
    soft_time_limit=settings.CELERY_TASK_SOFT_TIME_LIMIT,
    time_limit=settings.CELERY_TASK_TIME_LIMIT,
)
def reap_expired_publications() -> int:
    """Beat: decide about variants whose lease ran out (ask the network; never resend blindly)."""
    return len(expired_publications_reap_across_agencies())


# The worker's heartbeat for /health/: a thread of the worker's main process writes the time
# into the shared cache every few seconds while the worker runs.
_heartbeat_stop = threading.Event()


def _beat_heart() -> None:
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
