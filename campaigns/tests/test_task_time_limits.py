"""Every task that talks to a network (or an SMTP server) has its own hard and soft time limit,
so a server that stops answering cannot hold a worker. (The publishing engine's tasks, and the
lease that counts on the publish task's hard limit: publishing/tests/test_task_time_limits.py.)"""

import pytest

from config.celery import app

# Tasks doing network I/O and the most each may take (seconds). Webhook deliveries, feed polls
# and crisis evaluations set theirs in agency/ and reputation/ and are checked the same way.
# Celery gives every task the global CELERY_TASK_TIME_LIMIT (300 s) unless it says otherwise:
# a token refresh or a metric read held for five minutes is a worker lost for nothing.
NETWORK_TASKS = {
    "campaigns.send_approval_reminders": 150,
    "clients.tasks.refresh_social_account": 90,
    "reputation.poll_source": 270,
    "agency.deliver_webhook": 90,
    "agency.send_alert_emails": 90,
    "agency.send_notification_digests": 150,
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
