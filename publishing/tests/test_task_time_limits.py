"""The publishing engine's tasks that call a network have a soft and a hard time limit, and the
lease of a variant being sent outlasts the publish task's hard limit (so the reaper never asks
the network about a call still in flight)."""

import pytest
from django.conf import settings

from config.celery import app
from publishing import worker

# The engine's tasks doing network I/O and the most each may take (seconds).
NETWORK_TASKS = {
    "campaigns.publish_variant": settings.CELERY_TASK_TIME_LIMIT,  # the lease counts on it
    "campaigns.reap_expired_publications": settings.CELERY_TASK_TIME_LIMIT,
}


@pytest.fixture(scope="module")
def tasks():
    app.loader.import_default_modules()
    return app.tasks


@pytest.mark.parametrize("name", list(NETWORK_TASKS))
def test_network_tasks_have_a_soft_and_a_hard_time_limit_within_their_budget(tasks, name):
    task = tasks[name]
    assert task.time_limit and task.soft_time_limit, name
    assert task.soft_time_limit < task.time_limit <= NETWORK_TASKS[name]


def test_the_publishing_lease_outlasts_the_publish_task_hard_limit(tasks):
    hard = tasks["campaigns.publish_variant"].time_limit
    assert worker.call_lease().total_seconds() == hard + 60
