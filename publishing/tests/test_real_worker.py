"""The publishing engine with a REAL Celery worker process and a fake Mastodon instance served
on 127.0.0.1 (a Mastodon account's instance is its own server, so pointing an account at the
fake is what production does too). The dispatcher and the reaper run in the test process, as
beat would start them; the publish tasks run in the worker.
"""

import datetime as dt
import os
import signal
import time
import uuid

import pytest
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext as _

from agency.tests.factories import AgencyFactory, MembershipFactory
from agency.tests.test_worker import (
    _start_worker,
    _stop_worker,
    worker_queue,  # noqa: F401 - a fixture, used by name
)
from campaigns.models import PostState, PostVariant, VariantState
from campaigns.tests.factories import PostFactory, PostVariantFactory
from clients.tests.factories import BrandFactory, SocialAccountFactory
from publishing import dispatch, reaper
from publishing.tests import fake_mastodon

pytestmark = pytest.mark.worker


@pytest.fixture
def fake(settings, monkeypatch):
    # The fake instance is on 127.0.0.1, which the outbound guard refuses unless a self-hoster
    # allows private addresses: allowed here for this process and for the worker it starts.
    settings.OUTBOUND_ALLOW_PRIVATE_ADDRESSES = True
    monkeypatch.setenv("OUTBOUND_ALLOW_PRIVATE_ADDRESSES", "true")
    fake, server = fake_mastodon.serve()
    yield fake
    server.shutdown()
    server.server_close()


def due_variants(fake, *, accounts: int, per_account: int) -> list[PostVariant]:
    agency = AgencyFactory()
    due = timezone.now() - dt.timedelta(seconds=1)
    variants = []
    for a in range(accounts):
        brand = BrandFactory(agency=agency)
        external_id = f"{uuid.uuid4().int % 10**9}"
        account = SocialAccountFactory(
            agency=agency,
            brand=brand,
            network="mastodon",
            instance_url=fake.url,
            external_id=external_id,
            access_token=f"token-{external_id}",
        )
        for n in range(per_account):
            post = PostFactory(
                agency=agency,
                brand=brand,
                text=f"Post {a}-{n} {uuid.uuid4().hex[:6]}",
                state=PostState.SCHEDULED,
                scheduled_at=due,
            )
            variants.append(
                PostVariantFactory(
                    agency=agency,
                    post=post,
                    social_account=account,
                    state=VariantState.SCHEDULED,
                    due_at=due,
                )
            )
    return variants


def wait_until(condition, *, worker, log_path, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        if worker is not None and worker.poll() is not None:
            pytest.fail(f"The worker exited:\n{log_path.read_text()}")
        time.sleep(0.1)
    pytest.fail(f"Timed out waiting for {what}. Worker log:\n{log_path.read_text()[-5000:]}")


def states(variants) -> dict[str, int]:
    counts: dict[str, int] = {}
    for state in PostVariant.unscoped.filter(pk__in=[v.pk for v in variants]).values_list(
        "state", flat=True
    ):
        counts[state] = counts.get(state, 0) + 1
    return counts


def test_200_due_variants_across_20_accounts_are_each_published_exactly_once(
    transactional_db,
    tmp_path,
    worker_queue,  # noqa: F811
    fake,
):
    variants = due_variants(fake, accounts=20, per_account=10)
    log_path = tmp_path / "worker.log"
    worker = _start_worker(worker_queue, tmp_path / "mail", log_path)
    try:
        # Beat's dispatcher, twice as fast as beat would, until everything is claimed.
        def all_published():
            dispatch.publications_dispatch_across_agencies()
            return states(variants).get(VariantState.PUBLISHED) == 200

        wait_until(all_published, worker=worker, log_path=log_path, seconds=180, what="200 posts")
    finally:
        _stop_worker(worker)
    assert fake.post_count == 200
    assert set(fake.posts_per_key.values()) == {1}
    assert set(fake.created_per_text().values()) == {1}
    external_ids = set(
        PostVariant.unscoped.filter(pk__in=[v.pk for v in variants]).values_list(
            "external_id", flat=True
        )
    )
    assert len(external_ids) == 200


def test_a_worker_killed_mid_batch_publishes_nothing_twice_and_loses_nothing(
    transactional_db,
    tmp_path,
    worker_queue,  # noqa: F811
    fake,
    login,
):
    fake.delay = 0.05  # each POST takes a while, so the kill lands in the middle of one
    variants = due_variants(fake, accounts=4, per_account=10)
    owner = MembershipFactory(agency_id=variants[0].agency_id, role="owner")
    log_path = tmp_path / "worker.log"
    worker = _start_worker(worker_queue, tmp_path / "mail", log_path)
    try:
        dispatch.publications_dispatch_across_agencies()
        wait_until(
            lambda: fake.post_count >= 12, worker=worker, log_path=log_path, seconds=40, what="12"
        )
        # Kill it while the network holds one of its requests: the post exists on the network
        # and the worker never hears back.
        deadline = time.monotonic() + 20
        while fake.in_flight == 0 and time.monotonic() < deadline:
            time.sleep(0.002)
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)
        killed_at = fake.post_count
        assert killed_at < 40, "the kill came too late to be mid-batch"

        log_path_2 = tmp_path / "worker-2.log"
        worker = _start_worker(worker_queue, tmp_path / "mail", log_path_2)

        def settled():
            # Everything but what the killed worker held is published by the new worker.
            counts = states(variants)
            return (
                counts.get(VariantState.PUBLISHED, 0) + counts.get(VariantState.PUBLISHING, 0) == 40
                and counts.get(VariantState.PUBLISHING, 0) <= 1
            )

        wait_until(settled, worker=worker, log_path=log_path_2, seconds=40, what="the rest")
        stuck = list(
            PostVariant.unscoped.filter(
                pk__in=[v.pk for v in variants], state=VariantState.PUBLISHING
            )
        )
        # The reaper, once the leases have run out (an hour later for it).
        later = timezone.now() + dt.timedelta(hours=1)
        decisions = reaper.expired_publications_reap_across_agencies(now=later)
        assert len(stuck) == 1, "the killed worker held one variant"
        assert decisions == {stuck[0].pk: "published"}, "found on the network, not resent"

        def all_published():
            dispatch.publications_dispatch_across_agencies()
            return states(variants).get(VariantState.PUBLISHED) == 40

        wait_until(all_published, worker=worker, log_path=log_path_2, seconds=30, what="all 40")
    finally:
        _stop_worker(worker)

    assert set(fake.created_per_text().values()) == {1}, "a post went out twice"
    assert len(fake.statuses) == 40
    # The reaper's decision is visible on the queue page.
    page = login(owner).get("/queue/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    with translation.override("fr"):  # written in the language active when the reaper ran
        decision = _("The worker stopped while publishing; %(network)s has the post.") % {
            "network": "Mastodon"
        }
    assert escape(decision) in page


def test_a_502_or_a_dropped_connection_after_the_post_was_created_publishes_it_once(
    transactional_db,
    tmp_path,
    worker_queue,  # noqa: F811
    fake,
):
    # The fake creates each status, then answers 502 to the first POST and drops the
    # connection of the second: the worker must ask the instance, not send again.
    fake.fail_after_create = ["502", "drop"]
    variants = due_variants(fake, accounts=1, per_account=2)
    log_path = tmp_path / "worker.log"
    worker = _start_worker(worker_queue, tmp_path / "mail", log_path)
    try:

        def all_published():
            dispatch.publications_dispatch_across_agencies()
            return states(variants).get(VariantState.PUBLISHED) == 2

        wait_until(all_published, worker=worker, log_path=log_path, seconds=40, what="2 posts")
    finally:
        _stop_worker(worker)
    assert fake.post_count == 2, "no resend"
    assert set(fake.created_per_text().values()) == {1}
    published = PostVariant.unscoped.filter(pk__in=[v.pk for v in variants])
    assert {v.external_id for v in published} == set(fake.statuses)
