"""Listening tasks: thin wrappers that take ids and call one service."""

import logging

from celery import shared_task
from django.db import transaction

from agency.tasks_base import TenantTask
from reputation import polling
from reputation.models import Source

logger = logging.getLogger(__name__)


@shared_task(name="reputation.dispatch_due_sources", ignore_result=True)
def dispatch_due_sources() -> int:
    """Beat, every minute: claim due sources of every agency and queue one poll each.

    The claim (a lease in the database) commits first; the polls are queued on commit. A lost
    message is harmless: the lease expires and the next dispatch claims the source again.
    """
    with transaction.atomic():
        claimed = polling.sources_claim_due_across_agencies()
        for agency_id, source_id in claimed:
            transaction.on_commit(
                lambda a=agency_id, s=source_id: poll_source.delay(agency_id=a, source_id=s)
            )
    return len(claimed)


@shared_task(
    base=TenantTask,
    bind=True,
    name="reputation.poll_source",
    ignore_result=True,
    # The feed download has its own 60 s deadline; these bound the whole poll (pipeline
    # included) well inside the 10-minute lease, so a stuck poll never runs twice at once. The
    # soft limit is recorded on the source as a failed poll; after a hard kill the lease
    # expires and the source is claimed again.
    soft_time_limit=240,
    time_limit=270,
)
def poll_source(self, *, agency_id: int, source_id: int) -> str:
    """Poll one source. Quietly does nothing when the source was deleted or deactivated."""
    source = Source.objects.filter(pk=source_id, active=True).first()
    if source is None:
        logger.info("source %s gone or inactive; not polled", source_id)
        return "gone"
    return polling.source_poll(source=source).status
