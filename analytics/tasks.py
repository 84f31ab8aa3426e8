"""Analytics' tasks: thin, they take ids and call one service (analytics.services.collection)."""

from celery import shared_task
from django.conf import settings

from agency.tasks_base import TenantTask
from analytics.services.collection import account_collect, collections_dispatch_across_agencies


@shared_task(
    name="analytics.dispatch_metric_collection",
    ignore_result=True,
    soft_time_limit=settings.CELERY_TASK_SOFT_TIME_LIMIT,
    time_limit=settings.CELERY_TASK_TIME_LIMIT,
)
def dispatch_metric_collection() -> int:
    """Beat: claim the accounts with metrics due (posts on the age ladder, the account's
    daily reading) and queue one collection each."""
    return collections_dispatch_across_agencies()


# Not retried by Celery: a failure is recorded on the account and it is claimed again when
# its wait is over. The hard limit stays under the dispatcher's lease (10 minutes).
@shared_task(
    base=TenantTask,
    name="analytics.collect_account_metrics",
    ignore_result=True,
    soft_time_limit=settings.CELERY_TASK_SOFT_TIME_LIMIT,
    time_limit=settings.CELERY_TASK_TIME_LIMIT,
)
def collect_account_metrics(*, agency_id: int, social_account_id: int) -> str:
    return account_collect(social_account_id=social_account_id).status
