"""The outbox with a REAL Celery worker and a fake Mastodon instance on 127.0.0.1 (the
publishing engine's fixtures): a worker SIGKILLed while the network holds its reply does not
make the reply go out twice."""

import datetime as dt
import os
import signal
import time
import uuid

import pytest
from django.utils import timezone

from agency.tenancy import tenant_scope
from agency.tests.factories import MembershipFactory
from agency.tests.test_worker import (
    _start_worker,
    _stop_worker,
    worker_queue,  # noqa: F401 - a fixture, used by name
)
from engagement.models import ActionState, OutboundAction
from engagement.services import outbox
from engagement.services.actions import action_request, seen_marker
from engagement.tests.factories import ConversationFactory, MessageFactory
from publishing.tests.test_real_worker import (
    fake,  # noqa: F401 - a fixture, used by name
    wait_until,
)

pytestmark = pytest.mark.worker


def test_a_reply_survives_a_worker_sigkill_during_the_call_without_being_sent_twice(
    transactional_db,
    tmp_path,
    worker_queue,  # noqa: F811
    fake,  # noqa: F811
):
    external_id = f"{uuid.uuid4().int % 10**9}"
    conversation = ConversationFactory(
        status="open",
        social_account__instance_url=fake.url,
        social_account__external_id=external_id,
        social_account__access_token=f"token-{external_id}",
    )
    MessageFactory(agency=conversation.agency, conversation=conversation, external_id="4242")
    manager = MembershipFactory(agency=conversation.agency, role="community_manager")
    fake.delay = 3.0  # the network holds the request after creating the reply
    log_path = tmp_path / "worker.log"
    worker = _start_worker(worker_queue, tmp_path / "mail", log_path)
    try:
        with tenant_scope(conversation.agency_id):
            action = action_request(
                conversation=conversation,
                kind="reply",
                actor=manager,
                text="Bonjour, nous regardons votre commande.",
                token="click-sigkill",
                seen=seen_marker(conversation),
            )  # committed: queued to the worker
        wait_until(
            lambda: fake.in_flight > 0, worker=worker, log_path=log_path, seconds=60, what="call"
        )
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)
        assert OutboundAction.unscoped.get(pk=action.pk).state == ActionState.SENDING

        # Beat's reaper, once the lease has run out: it asks the network, which has the reply.
        later = timezone.now() + dt.timedelta(hours=1)
        assert outbox.actions_reap_across_agencies(now=later) == {action.pk: "done"}
        # A second worker finds nothing to send again.
        worker = _start_worker(worker_queue, tmp_path / "mail", tmp_path / "worker-2.log")
        time.sleep(2)
    finally:
        _stop_worker(worker)
    assert fake.post_count == 1
    assert set(fake.created_per_text().values()) == {1}
    done = OutboundAction.unscoped.get(pk=action.pk)
    assert done.state == ActionState.DONE and done.external_id in fake.statuses
