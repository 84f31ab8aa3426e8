"""Crisis tasks and the signal hook: thin wrappers that take ids and call one service.

(Kept apart from reputation/tasks.py, which the listening pipeline owns; Celery finds these
through reputation.apps, which imports this module when the app is ready.)
"""

import logging

from celery import shared_task
from django.dispatch import receiver

from agency.tasks_base import TenantTask
from reputation.signals import mentions_ingested

logger = logging.getLogger(__name__)


@shared_task(
    base=TenantTask,
    name="reputation.evaluate_brand_crises",
    soft_time_limit=120,
    time_limit=150,
    ignore_result=True,
)
def evaluate_brand_crises(*, agency_id: int, brand_id: int) -> int:
    """Evaluate one brand's crisis rule now; quietly nothing if the brand is gone."""
    from clients.models import Brand
    from reputation.services.crisis_evaluation import crisis_evaluate_brand

    brand = Brand.objects.select_related("agency").filter(pk=brand_id).first()
    if brand is None:
        return 0
    return len(crisis_evaluate_brand(brand=brand))


@shared_task(name="reputation.dispatch_crisis_evaluations", ignore_result=True)
def dispatch_crisis_evaluations() -> int:
    """Beat, every 15 minutes: evaluate every brand with recent mentions or an open incident
    (catches what the event-driven path missed, and suggests resolving calm incidents)."""
    from reputation.services.crisis_evaluation import crisis_evaluations_dispatch_across_agencies

    return crisis_evaluations_dispatch_across_agencies()


@receiver(mentions_ingested, dispatch_uid="reputation.crisis_on_mentions_ingested")
def _evaluate_on_ingest(sender, *, agency_id: int, brand_ids, **kwargs) -> None:
    # The signal is sent after the ingest transaction committed: the mentions are readable.
    for brand_id in brand_ids:
        evaluate_brand_crises.delay(agency_id=agency_id, brand_id=brand_id)
