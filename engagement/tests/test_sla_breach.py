"""The response-time clock and its breach: a comment read from the brand's account starts the
clock in the brand's business time; the beat task marks a breach once however often it runs,
alerts the assignee and emits inbox.sla_breached; a closed day pushes the due time past it; a
reply stops the clock. Real database, Mastodon faked at the transport (test_ingest)."""

import datetime as dt
import json

from django.utils import timezone

from agency.tenancy import tenant_scope
from engagement.models import BusinessInterval, ClosedDay, Conversation, Priority, SlaTarget
from engagement.services.sla import sla_breaches_mark_across_agencies
from engagement.tasks import sla_breaches_mark_across_agencies as breach_task
from engagement.tests.test_ingest import _poll, _status, owned  # noqa: F401 - a fixture
from notifications.models import Notification
from webhooks.models import WebhookDelivery
from webhooks.tests.factories import WebhookEndpointFactory

HOOK = "https://crm.example.test/sla"


def _settings(agency, brand, *, days=range(7), closed=(), first=60, resolution=60 * 24 * 20):
    brand.time_zone = "UTC"
    brand.save(update_fields=["time_zone"])
    with tenant_scope(agency.pk):
        for weekday in days:
            BusinessInterval.objects.create(
                agency=agency, brand=brand, weekday=weekday, starts=dt.time(0), ends=dt.time(0)
            )
        for date in closed:
            ClosedDay.objects.create(agency=agency, brand=brand, date=date)
        SlaTarget.objects.create(
            agency=agency,
            brand=brand,
            priority=Priority.NORMAL,
            first_response_minutes=first,
            resolution_minutes=resolution,
        )


def _at(status, when):
    status["created_at"] = when.isoformat().replace("+00:00", "Z")
    return status


def _comment_two_hours_ago(source, agency, *, status_id="7002", ago=dt.timedelta(hours=2)):
    old = _at(_status("7001", "Bonjour", reply_to="5001"), timezone.now() - dt.timedelta(days=2))
    _poll(source, agency, [old])  # the first read: history, no due time
    new = _at(
        _status(status_id, "Ma commande n'est jamais arrivée", reply_to="5001"),
        timezone.now() - ago,
    )
    _poll(source, agency, [old, new])
    return Conversation.unscoped.get(agency=agency, thread_key=status_id)


def test_sla_breach_fires_once_in_business_hours(agency_a, brand_a, owned, member_of_a):  # noqa: F811
    _account, _variant, source = owned
    _settings(agency_a, brand_a)
    WebhookEndpointFactory(agency=agency_a, url=HOOK, events=["inbox.sla_breached"])
    conversation = _comment_two_hours_ago(source, agency_a)
    Conversation.unscoped.filter(pk=conversation.pk).update(assignee=member_of_a.user)
    backfilled = Conversation.unscoped.get(agency=agency_a, thread_key="7001")
    assert backfilled.first_inbound_at is not None and backfilled.first_response_due_at is None
    assert conversation.first_response_due_at == conversation.first_inbound_at + dt.timedelta(
        hours=1
    )

    assert breach_task() == 1
    assert breach_task() == 0  # the second run finds it marked

    conversation.refresh_from_db()
    assert conversation.first_response_breached_at is not None
    assert conversation.resolution_breached_at is None  # twenty days: not due
    [alert] = Notification.unscoped.filter(agency=agency_a, verb="conversation.sla_breached")
    assert alert.recipient_id == member_of_a.user.pk
    [delivery] = WebhookDelivery.unscoped.filter(agency=agency_a, event="inbox.sla_breached")
    body = json.loads(delivery.body)
    assert body["type"] == "inbox.sla_breached"
    data = body["data"]
    assert data["conversation"]["id"] == conversation.pk
    assert data["conversation"]["assignee"] == member_of_a.user.pk
    assert data["target"] == "first_response" and data["target_minutes"] == 60
    assert data["waiting_since"] == conversation.first_inbound_at.isoformat().replace("+00:00", "Z")
    assert data["breached_at"] == conversation.first_response_breached_at.isoformat().replace(
        "+00:00", "Z"
    )


def test_no_sla_breach_on_a_closed_day(agency_a, brand_a, owned):  # noqa: F811
    _account, _variant, source = owned
    today = timezone.now().date()
    _settings(agency_a, brand_a, closed=[today - dt.timedelta(days=1), today])
    conversation = _comment_two_hours_ago(source, agency_a)
    # Both days closed: the hour of business time starts at tomorrow's opening.
    tomorrow = dt.datetime.combine(today + dt.timedelta(days=1), dt.time(1), tzinfo=dt.UTC)
    assert conversation.first_response_due_at == tomorrow

    assert breach_task() == 0
    conversation.refresh_from_db()
    assert conversation.first_response_breached_at is None
    assert not Notification.unscoped.filter(agency=agency_a, verb="conversation.sla_breached")
    # Once the due time passes, it breaches.
    assert sla_breaches_mark_across_agencies(now=tomorrow + dt.timedelta(minutes=1)) == 1


def test_the_unassigned_breach_alerts_the_inbox_managers_and_a_reply_stops_the_clock(
    agency_a,
    brand_a,
    owned,  # noqa: F811
    owner_of_a,
    member_of_a,
):
    _account, _variant, source = owned
    _settings(agency_a, brand_a, first=60 * 3)  # three hours: not due yet
    conversation = _comment_two_hours_ago(source, agency_a)
    answer = _at(
        _status("7003", "Désolés !", reply_to="7002", account_id="42", acct="cafetanger"),
        timezone.now() - dt.timedelta(minutes=30),
    )
    old = _at(_status("7001", "Bonjour", reply_to="5001"), timezone.now() - dt.timedelta(days=2))
    _poll(source, agency_a, [old, answer])
    conversation.refresh_from_db()
    waited = conversation.first_response_at - conversation.first_inbound_at
    assert abs(waited - dt.timedelta(minutes=90)) < dt.timedelta(seconds=5)
    later = timezone.now() + dt.timedelta(hours=2)
    assert sla_breaches_mark_across_agencies(now=later) == 0  # answered in time

    # Read after the answer (the poll's cursor), ten minutes ago: due in 2 h 50.
    other = _comment_two_hours_ago(source, agency_a, status_id="7004", ago=dt.timedelta(minutes=10))
    assert sla_breaches_mark_across_agencies(now=later + dt.timedelta(hours=1)) == 1
    assert other.pk != conversation.pk
    alerted = set(
        Notification.unscoped.filter(agency=agency_a, verb="conversation.sla_breached").values_list(
            "recipient_id", flat=True
        )
    )
    assert owner_of_a.user.pk in alerted


def test_a_closed_conversation_does_not_breach_its_resolution(agency_a, brand_a, owned, owner_of_a):  # noqa: F811
    from engagement.services.conversations import conversation_status_set

    _account, _variant, source = owned
    _settings(agency_a, brand_a, first=60 * 24, resolution=60 * 3)
    conversation = _comment_two_hours_ago(source, agency_a)
    with tenant_scope(agency_a.pk):
        conversation_status_set(actor=owner_of_a, conversation=conversation, status="closed")
    conversation.refresh_from_db()
    assert conversation.resolved_at is not None
    assert sla_breaches_mark_across_agencies(now=timezone.now() + dt.timedelta(hours=5)) == 0


def test_the_countdown_shows_business_time_left_and_overdue(agency_a, brand_a, owner_of_a, login):
    from django.urls import reverse

    from engagement.tests.factories import ConversationFactory

    _settings(agency_a, brand_a)  # every hour open: business time is elapsed time
    now = timezone.now()
    late = ConversationFactory(
        agency=agency_a,
        brand=brand_a,
        first_inbound_at=now - dt.timedelta(hours=3),
        first_response_due_at=now - dt.timedelta(hours=2),
    )
    soon = ConversationFactory(
        agency=agency_a,
        brand=brand_a,
        first_inbound_at=now,
        first_response_due_at=now + dt.timedelta(minutes=45, seconds=20),
    )
    client = login(owner_of_a)
    page = client.get(
        reverse("dashboard:conversation", kwargs={"conversation_id": late.pk}),
        HTTP_ACCEPT_LANGUAGE="en",
    ).content.decode()
    assert "overdue by 2 h 00" in page or "en retard de 2 h 00" in page
    page = client.get(
        reverse("dashboard:conversation", kwargs={"conversation_id": soon.pk})
    ).content.decode()
    assert "45 min" in page
    listing = client.get(reverse("dashboard:inbox")).content.decode()
    assert "réponse en retard de 2 h 00" in listing or "response overdue by 2 h 00" in listing
    assert "45 min" in listing


def test_a_brand_behind_utc_keeps_its_local_closed_day(agency_a, brand_a):
    from engagement.services.sla import FIRST_RESPONSE, brand_sla

    _settings(agency_a, brand_a, closed=[dt.date(2026, 12, 2)])
    brand_a.time_zone = "America/New_York"
    brand_a.save(update_fields=["time_zone"])
    # 3 December 02:00 UTC is 2 December 21:00 in New York: a closed day there.
    arrived = dt.datetime(2026, 12, 3, 2, tzinfo=dt.UTC)
    with tenant_scope(agency_a.pk):
        sla = brand_sla(brand_a, since=arrived.date())
    assert sla.due(Priority.NORMAL, arrived, FIRST_RESPONSE) == dt.datetime(
        2026, 12, 3, 6, tzinfo=dt.UTC
    )  # 01:00 on the 3rd in New York
