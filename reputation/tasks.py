"""Listening tasks: thin wrappers that take ids and call one service."""

import logging

from celery import shared_task

from agency.tasks_base import TenantTask
from reputation.models.sources import Source
from reputation.services.polling import source_poll, sources_dispatch_due_across_agencies

logger = logging.getLogger(__name__)


@shared_task(name="reputation.dispatch_due_sources", ignore_result=True)
def dispatch_due_sources() -> int:
    """Beat, every minute: claim due sources of every agency and queue one poll each."""
    return sources_dispatch_due_across_agencies()


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
    return source_poll(source=source).status


@shared_task(
    base=TenantTask,
    bind=True,
    name="reputation.import_sources",
    ignore_result=True,
    # Each feed address may be resolved by the outbound guard; 5,000 of them fit well inside
    # this. Past the soft limit the import is marked failed (nothing was created: the sources
    # are only written, all at once, after every outline was checked).
    soft_time_limit=1200,
    time_limit=1260,
)
def import_sources(self, *, agency_id: int, source_import_id: int) -> str:
    """Run one OPML import, all or nothing. Quietly does nothing when it already ran."""
    from celery.exceptions import SoftTimeLimitExceeded

    from reputation.services.source_imports import source_import_give_up, source_import_run

    try:
        job = source_import_run(source_import_id=source_import_id)
    except SoftTimeLimitExceeded:
        source_import_give_up(source_import_id=source_import_id)
        return "timed out"
    return job.state if job is not None else "already run"
