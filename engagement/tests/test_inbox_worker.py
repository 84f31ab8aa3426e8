"""Two of the inbox's promises (issue 12) with a REAL Celery worker process:

- an insulting Darija comment pushed by Meta's webhook is stored by the worker, a rule hides
  it, and the worker's hide reaches the (fake) Graph API exactly once, however often Meta
  delivers the comment again;
- the beat task that marks response-time breaches, run by the worker as beat would have it,
  marks a breach in business hours once however often it runs, and none on a closed day.

The receiver runs in this process (Django's test client); everything after the commit runs in
the worker. The worker reaches the fake Graph API on 127.0.0.1 (engagement/tests/fake_graph.py)
through META_GRAPH_BASE_URL, and may reach private addresses like the publishing engine's
worker tests allow (OUTBOUND_ALLOW_PRIVATE_ADDRESSES).
"""

import datetime as dt
import json
import time
import uuid

import pytest
from django.core.cache import cache
from django.utils import timezone

from agency.models import Role
from agency.tenancy import tenant_scope
from agency.tests.factories import AgencyFactory, MembershipFactory
from agency.tests.test_worker import (
    _start_worker,
    _stop_worker,
    worker_queue,  # noqa: F401 - a fixture, used by name
)
from campaigns.tests.factories import PostVariantFactory
from clients.tests.factories import BrandFactory, SocialAccountFactory
from engagement.models import (
    ActionState,
    BusinessInterval,
    ClosedDay,
    Conversation,
    Message,
    ModerationRule,
    OutboundAction,
    Priority,
    SlaTarget,
)
from engagement.services.ingest import owned_items_store
from engagement.tasks import sla_breaches_mark_across_agencies
from engagement.tests import fake_graph
from engagement.tests.meta_deliveries import SECRET, post
from notifications.models import Notification
from publishing.tests.test_real_worker import wait_until
from reputation.owned_items import KIND_COMMENT, OwnedBatch, OwnedItem
from reputation.tests.factories import SourceFactory
from webhooks.models import WebhookDelivery
from webhooks.tests.factories import WebhookEndpointFactory

pytestmark = pytest.mark.worker

INSULT = "nta wa7ed mkelekh, zamel"  # Darija in Latin script: an insult
WAIT_SECONDS = 20


@pytest.fixture
def graph(settings, monkeypatch):
    """The fake Graph API, for this process and the worker it starts (their environment)."""
    fake, server = fake_graph.serve()
    for name, value in {
        "META_GRAPH_BASE_URL": fake.url,
        "OUTBOUND_ALLOW_PRIVATE_ADDRESSES": "true",
    }.items():
        monkeypatch.setenv(name, value)
    settings.META_GRAPH_BASE_URL = fake.url
    settings.OUTBOUND_ALLOW_PRIVATE_ADDRESSES = True
    settings.META_WEBHOOK_APP_SECRETS = [SECRET]
    cache.clear()  # the receiver's replay guard
    yield fake
    server.shutdown()
    server.server_close()


def _page_with_rule():
    """A brand's connected Facebook Page with a published post, the inbox's source and a
    switched-on rule: an insult in Darija (Latin script) is hidden."""
    agency = AgencyFactory()
    brand = BrandFactory(agency=agency)
    page_id = str(uuid.uuid4().int % 10**12)
    account = SocialAccountFactory(
        agency=agency,
        brand=brand,
        network="facebook",
        external_id=page_id,
        instance_url="",
        access_token="page-token",
    )
    post_id = f"{page_id}_4444"
    PostVariantFactory(
        agency=agency,
        post__brand=brand,
        social_account=account,
        state="published",
        external_id=post_id,
        published_at=timezone.now() - dt.timedelta(days=1),
    )
    SourceFactory(
        agency=agency,
        kind="owned_comments",
        brand=brand,
        network="facebook",
        url="",
        last_success_at=timezone.now() - dt.timedelta(hours=1),
    )
    rule = ModerationRule.objects.create(
        agency=agency,
        brand=brand,
        name="Insultes",
        enabled=True,
        abuse_label="insult",
        languages=["ary-Latn"],
        actions=["hide"],
    )
    return agency, page_id, post_id, rule


def _delivery(page_id: str, post_id: str, comment_id: str, *, sent: int) -> dict:
    # Webhooks for Pages, field "feed", a comment added (the documented example's shape).
    change = {
        "from": {"id": "55501", "name": "Troll"},
        "post": {"status_type": "added_photos", "is_published": True, "id": post_id},
        "message": INSULT,
        "post_id": post_id,
        "comment_id": comment_id,
        "created_time": sent,
        "item": "comment",
        "parent_id": post_id,
        "verb": "add",
    }
    return {
        "object": "page",
        "entry": [{"id": page_id, "time": sent, "changes": [{"field": "feed", "value": change}]}],
    }


def test_a_rule_hides_an_insulting_darija_comment_pushed_by_meta_once_on_the_network(
    transactional_db,
    client,
    tmp_path,
    worker_queue,  # noqa: F811
    graph,
):
    agency, page_id, post_id, rule = _page_with_rule()
    comment_id = f"{post_id}_9001"
    sent = int(time.time())
    log_path = tmp_path / "worker.log"
    worker = _start_worker(worker_queue, tmp_path / "mail", log_path)
    try:
        assert post(client, _delivery(page_id, post_id, comment_id, sent=sent)).status_code == 200

        def hidden():
            return OutboundAction.unscoped.filter(agency=agency, state=ActionState.DONE).exists()

        wait_until(hidden, worker=worker, log_path=log_path, seconds=WAIT_SECONDS, what="hide")
        # Meta delivers the same comment again (its retry, a second delivery of the batch):
        # the worker finds the message stored, and no rule runs twice.
        again = _delivery(page_id, post_id, comment_id, sent=sent)
        again["entry"][0]["time"] = sent + 30
        assert post(client, again).status_code == 200
        wait_until(
            lambda: log_path.read_text().count("engagement.store_meta_entries[") >= 4,
            worker=worker,
            log_path=log_path,
            seconds=WAIT_SECONDS,
            what="the second delivery to be stored",
        )  # received + succeeded, twice
        time.sleep(1)  # room for a second call, were one (wrongly) queued
    finally:
        _stop_worker(worker)

    [(method, form)] = graph.calls_on(comment_id)
    assert method == "POST" and form["is_hidden"] == "true"
    assert form["access_token"] == "page-token"
    assert len(graph.calls) == 1
    message = Message.unscoped.get(agency=agency)
    assert message.external_id == comment_id and message.language == "ary-Latn"
    assert message.abuse_labels["insult"] >= 0.5
    action = OutboundAction.unscoped.get(agency=agency)
    assert (action.kind, action.target_id) == ("hide", message.pk)
    assert action.rule_label == f"Insultes (#{rule.pk})"


# --- The response-time breach, marked by the beat task in the worker --------------------------


def _brand_with_hours(agency, *, closed=()):
    brand = BrandFactory(agency=agency, time_zone="UTC")
    account = SocialAccountFactory(agency=agency, brand=brand, network="mastodon")
    with tenant_scope(agency):
        for weekday in range(7):  # open every day, all day: now is in business hours
            BusinessInterval.objects.create(
                agency=agency, brand=brand, weekday=weekday, starts=dt.time(0), ends=dt.time(0)
            )
        for date in closed:
            ClosedDay.objects.create(agency=agency, brand=brand, date=date, name="Fête")
        SlaTarget.objects.create(
            agency=agency,
            brand=brand,
            priority=Priority.NORMAL,
            first_response_minutes=60,
            resolution_minutes=60 * 24 * 20,
        )
    return brand, account


def _comment_two_hours_ago(brand, account, external_id: str) -> Conversation:
    item = OwnedItem(
        external_id=external_id,
        kind=KIND_COMMENT,
        text="Ma commande n'est jamais arrivée",
        url=f"https://mastodon.social/@salma/{external_id}",
        published_at=timezone.now() - dt.timedelta(hours=2),
        language="fr",
        sentiment_label="negative",
        sentiment_score=-0.5,
        author_id=None,
        author_handle="salma",
        author_name="Salma",
        author_external_id="77",
        parent_external_id="",
    )
    batch = OwnedBatch(
        agency_id=brand.agency_id,
        brand_id=brand.pk,
        social_account_id=account.pk,
        network="mastodon",
        items=[item],
        backfill=False,
    )
    with tenant_scope(brand.agency_id):
        owned_items_store(batch)  # the clock starts at the comment, in the brand's hours
    return Conversation.unscoped.get(brand=brand)


def _beat_runs_finished(log_path) -> int:
    text = log_path.read_text()
    return sum(
        1
        for line in text.splitlines()
        if "engagement.sla_breaches_mark_across_agencies[" in line and "succeeded" in line
    )


def test_the_workers_beat_task_marks_a_breach_once_in_hours_and_none_on_a_closed_day(
    transactional_db,
    tmp_path,
    worker_queue,  # noqa: F811
):
    agency = AgencyFactory()
    manager = MembershipFactory(agency=agency, role=Role.MANAGER)
    WebhookEndpointFactory(
        agency=agency, url="https://crm.example.test/sla", events=["inbox.sla_breached"]
    )
    open_brand, open_account = _brand_with_hours(agency)
    today = timezone.now().date()  # the brands' zone is UTC
    holiday_brand, holiday_account = _brand_with_hours(
        agency, closed=[today + dt.timedelta(days=d) for d in (-1, 0, 1)]
    )
    waiting = _comment_two_hours_ago(open_brand, open_account, "7001")
    on_holiday = _comment_two_hours_ago(holiday_brand, holiday_account, "8001")
    assert waiting.first_response_due_at < timezone.now()  # one hour after the comment
    assert on_holiday.first_response_due_at > timezone.now() + dt.timedelta(days=1)

    log_path = tmp_path / "worker.log"
    worker = _start_worker(worker_queue, tmp_path / "mail", log_path)
    try:
        for run in (1, 2, 3):  # beat's schedule, every minute: three runs
            sla_breaches_mark_across_agencies.apply_async()
            wait_until(
                lambda run=run: _beat_runs_finished(log_path) >= run,
                worker=worker,
                log_path=log_path,
                seconds=WAIT_SECONDS,
                what=f"beat run {run}",
            )
    finally:
        _stop_worker(worker)

    waiting.refresh_from_db()
    on_holiday.refresh_from_db()
    assert waiting.first_response_breached_at is not None
    assert waiting.resolution_breached_at is None  # twenty days: not due
    assert on_holiday.first_response_breached_at is None
    [alert] = Notification.unscoped.filter(agency=agency, verb="conversation.sla_breached")
    assert alert.recipient_id == manager.user_id  # unassigned: the people who manage the inbox
    [delivery] = WebhookDelivery.unscoped.filter(agency=agency, event="inbox.sla_breached")
    body = json.loads(delivery.body)["data"]
    assert body["conversation"]["id"] == waiting.pk and body["target"] == "first_response"
    assert body["target_minutes"] == 60
