"""A moderation rule's action with a REAL Celery worker and a fake Mastodon instance on
127.0.0.1 (the publishing engine's fixtures): a comment stored by ingest makes the rule's
saved reply go out once, sent by the worker after the ingest transaction commits."""

import uuid

import pytest
from django.utils import timezone

from agency.tenancy import tenant_scope
from agency.tests.test_worker import (
    _start_worker,
    _stop_worker,
    worker_queue,  # noqa: F401 - a fixture, used by name
)
from clients.tests.factories import BrandFactory, SocialAccountFactory
from engagement.models import ActionState, ModerationRule, OutboundAction, SavedReply
from engagement.services.ingest import owned_items_store
from publishing.tests.test_real_worker import (
    fake,  # noqa: F401 - a fixture, used by name
    wait_until,
)
from reputation.owned_items import KIND_COMMENT, OwnedBatch, OwnedItem

pytestmark = pytest.mark.worker


def test_a_rules_reply_is_sent_once_by_the_worker_after_the_ingest_commits(
    transactional_db,
    tmp_path,
    worker_queue,  # noqa: F811
    fake,  # noqa: F811
):
    brand_a = BrandFactory()
    external_id = f"{uuid.uuid4().int % 10**9}"
    account = SocialAccountFactory(
        agency=brand_a.agency,
        brand=brand_a,
        network="mastodon",
        instance_url=fake.url,
        external_id=external_id,
        handle="cafetanger",
        access_token=f"token-{external_id}",
    )
    saved = SavedReply.objects.create(
        agency=brand_a.agency, brand=brand_a, title="Commande", body="Merci {author_first_name} !"
    )
    ModerationRule.objects.create(
        agency=brand_a.agency,
        brand=brand_a,
        name="Commandes",
        enabled=True,
        expression="commande",
        actions=["reply"],
        saved_reply=saved,
    )
    item = OwnedItem(
        external_id="7001",
        kind=KIND_COMMENT,
        text="Où est ma commande ?",
        url=f"{fake.url}/@salma/7001",
        published_at=timezone.now(),
        language="fr",
        sentiment_label="negative",
        sentiment_score=-0.4,
        author_id=None,
        author_handle="salma",
        author_name="Salma",
        author_external_id="77",
        parent_external_id="",
    )
    batch = OwnedBatch(
        agency_id=brand_a.agency_id,
        brand_id=brand_a.pk,
        social_account_id=account.pk,
        network="mastodon",
        items=[item],
        backfill=False,
    )
    log_path = tmp_path / "worker.log"
    worker = _start_worker(worker_queue, tmp_path / "mail", log_path)
    try:
        with tenant_scope(brand_a.agency_id):
            owned_items_store(batch)  # committed: the rule's reply is queued to the worker

        def sent():
            return OutboundAction.unscoped.filter(state=ActionState.DONE).exists()

        wait_until(sent, worker=worker, log_path=log_path, seconds=60, what="the reply")
    finally:
        _stop_worker(worker)
    assert fake.post_count == 1
    assert list(fake.created_per_text().items()) == [("Merci Salma !", 1)]
    action = OutboundAction.unscoped.get()
    assert action.rule_label.startswith("Commandes") and action.external_id in fake.statuses
