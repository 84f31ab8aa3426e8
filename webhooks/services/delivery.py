"""Sending deliveries: one attempt at a time, its outcome, and the sweep that finds what is due.

The attempt and its bookkeeping are tenant services (the delivery task runs them in the
delivery's agency); the two sweep queries span agencies and say so in their names.
"""

import time
import zoneinfo
from datetime import timedelta

from django.conf import settings
from django.db import models, transaction
from django.db.models import Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from agency.models import Role, User
from agency.outbound import outbound_policy
from agency.services.audit import audit_record
from agency.tenancy import tenant_scope
from networks.outbound import OutboundError, fetch
from notifications.models import AlertKind, AlertSeverity
from notifications.services import alert_send
from webhooks import signing
from webhooks.events import TEST_EVENT
from webhooks.models import WebhookDelivery, WebhookEndpoint
from webhooks.retries import RETRY_FOR, retry_delay
from webhooks.states import SENDABLE, State, check_move, delivery_move

# Longer than the delivery task's hard time limit (90 s): an expired lease never belongs to a
# live attempt.
WEBHOOK_LEASE = timedelta(minutes=2)
RESPONSE_BODY_LIMIT = 2048


def truncate_body(text: str) -> str:
    return text[:RESPONSE_BODY_LIMIT]


def _due(queryset, now):
    return queryset.filter(state__in=SENDABLE, next_attempt_at__lte=now).filter(
        models.Q(lease_until__isnull=True) | models.Q(lease_until__lt=now)
    )


def webhook_deliveries_due_across_agencies(*, now=None, limit: int = 500) -> list[tuple[int, int]]:
    """(agency_id, delivery_id) of deliveries due now and not leased, oldest due first: the
    sweep's dispatcher query, the one place that reads every agency's deliveries."""
    now = now or timezone.now()
    return list(
        _due(WebhookDelivery.unscoped.filter(endpoint__active=True), now)
        .order_by("next_attempt_at")
        .values_list("agency_id", "pk")[:limit]
    )


def webhook_deliveries_expire_across_agencies(*, now=None, limit: int = 500) -> int:
    """Record as failed every attempt whose lease ran out without an outcome: the worker died
    or the task hit its time limit. Each is recorded in its own agency's scope.

    Guarantees: such an attempt counts like any failed one (attempt number, backoff, the
    endpoint's failure count and turning off), so a receiver that always outlives the time
    limit is disabled instead of staying `pending` for ever.
    """
    now = now or timezone.now()
    stale = list(
        WebhookDelivery.unscoped.filter(state__in=SENDABLE, lease_until__lt=now).values_list(
            "agency_id", "pk"
        )[:limit]
    )
    recorded = 0
    for agency_id, delivery_id in stale:
        with tenant_scope(agency_id), transaction.atomic():
            delivery = (
                WebhookDelivery.objects.select_for_update()
                .filter(pk=delivery_id, lease_until__lt=now)
                .first()
            )
            if delivery is None:  # recorded or re-claimed meanwhile
                continue
            assert delivery.lease_until is not None  # the sweep selects expired leases only
            _record(
                delivery,
                code=None,
                text="",
                error="the attempt did not finish (time limit reached or worker stopped)",
                duration_ms=None,
                attempted_at=delivery.lease_until - WEBHOOK_LEASE,
            )
            recorded += 1
    return recorded


def _claim(delivery_id: int, now) -> bool:
    """Take the delivery for one attempt, with a conditional update: exactly one worker wins."""
    due = _due(WebhookDelivery.objects.filter(pk=delivery_id), now)
    return bool(due.update(lease_until=now + WEBHOOK_LEASE))


def webhook_delivery_attempt(*, delivery_id: int) -> WebhookDelivery | None:
    """Make one attempt at a due delivery of the current agency and record its outcome.

    Guarantees: never two attempts of one delivery at once (lease taken by a conditional
    update); no database transaction is open during the HTTP call; the request goes through
    the outbound guard (the receiver's address is checked again at every attempt, redirects
    are not followed, the whole attempt has one deadline of WEBHOOK_TIMEOUT_SECONDS and at
    most 2 KiB of the answer is read); the error kept in the log is plain (it never tells a
    refused connection from a bad certificate); a failure is retried with
    exponential backoff and jitter until 24 hours after the event, then the delivery is dead;
    an endpoint failing for 24 hours or WEBHOOK_DISABLE_AFTER_FAILURES attempts in a row is
    turned off, and the agency's owners and admins are told once. Returns the delivery, or
    None when it was not due (already sent, leased by another worker, or gone).
    """
    now = timezone.now()
    if not _claim(delivery_id, now):
        return None
    delivery = WebhookDelivery.objects.select_related("endpoint").get(pk=delivery_id)
    endpoint = delivery.endpoint
    if not endpoint.active:
        check_move(delivery.state, State.DEAD)
        WebhookDelivery.objects.filter(pk=delivery.pk).update(
            state=State.DEAD, lease_until=None, next_attempt_at=None, error="endpoint turned off"
        )
        return delivery

    body = delivery.body.encode()
    timestamp = int(time.time())
    headers = {
        "Content-Type": "application/json",
        "User-Agent": signing.USER_AGENT,
        # webhook-id is the event id: stable across retries and redeliveries of the event.
        **signing.signing_headers(
            secret=endpoint.secret,
            previous_secret=endpoint.previous_secret_at(now),
            msg_id=delivery.event_id,
            timestamp=timestamp,
            body=body,
        ),
        signing.EVENT_HEADER: delivery.event,
        signing.DELIVERY_HEADER: str(delivery.pk),
    }
    # Well inside the task's soft time limit (60 s), so the outcome is always recorded here.
    deadline = min(settings.WEBHOOK_TIMEOUT_SECONDS, 50)
    code, text, error = None, "", ""
    started = time.monotonic()
    try:
        response = fetch(
            "POST",
            endpoint.url,
            policy=outbound_policy(),
            headers=headers,
            content=body,
            deadline_seconds=deadline,
            max_bytes=RESPONSE_BODY_LIMIT,
            truncate=True,  # the rest of a 200 MB answer is never read
            max_redirects=0,
        )
        code = response.status_code
        text = truncate_body(response.content.decode("utf-8", "replace"))
        if not 200 <= code < 300:
            error = f"HTTP {code}"
    except OutboundError as exc:
        # Plain on purpose (no map of what answers behind an address); detail is in the log.
        error = str(exc)[:500]
    duration_ms = int((time.monotonic() - started) * 1000)
    return _record(
        delivery, code=code, text=text, error=error, duration_ms=duration_ms, attempted_at=now
    )


@transaction.atomic
def _record(delivery, *, code, text, error, duration_ms, attempted_at):
    now = timezone.now()
    delivery.attempt += 1
    delivery.last_attempt_at = attempted_at
    delivery.response_code = code
    delivery.response_body = text
    delivery.duration_ms = duration_ms
    delivery.error = error
    delivery.lease_until = None
    endpoints = WebhookEndpoint.objects.filter(pk=delivery.endpoint_id)
    is_test = delivery.event == TEST_EVENT
    if not error:
        delivery_move(delivery, State.SUCCEEDED)
        delivery.next_attempt_at = None
        endpoints.update(consecutive_failures=0, failing_since=None)
    elif is_test or now - delivery.created_at >= RETRY_FOR:
        delivery_move(delivery, State.DEAD)
        delivery.next_attempt_at = None
    else:
        delivery_move(delivery, State.FAILED)
        delivery.next_attempt_at = now + retry_delay(delivery.attempt)
    delivery.save()
    if error and not is_test:
        endpoints.update(
            consecutive_failures=models.F("consecutive_failures") + 1,
            failing_since=Coalesce("failing_since", Value(now)),
        )
        _disable_if_failing(delivery.endpoint_id, now)
    return delivery


def _disable_if_failing(endpoint_id: int, now) -> None:
    endpoint = WebhookEndpoint.objects.select_related("agency").get(pk=endpoint_id)
    too_many = endpoint.consecutive_failures >= settings.WEBHOOK_DISABLE_AFTER_FAILURES
    too_long = endpoint.failing_since and now - endpoint.failing_since >= RETRY_FOR
    if not endpoint.active or not (too_many or too_long):
        return
    agency = endpoint.agency
    with translation.override(agency.language):
        reason = _(
            "Turned off automatically after %(count)s failed attempts in a row since %(since)s."
        ) % {
            "count": endpoint.consecutive_failures,
            "since": timezone.localtime(
                endpoint.failing_since, zoneinfo.ZoneInfo(agency.time_zone)
            ).strftime("%Y-%m-%d %H:%M"),
        }
        message = _(
            "The webhook endpoint %(url)s kept failing and was turned off. Fix the receiver, "
            "then turn it back on."
        ) % {"url": endpoint.url}
    # Conditional update: only the attempt that actually turns it off tells people.
    if not WebhookEndpoint.objects.filter(pk=endpoint.pk, active=True).update(
        active=False, disabled_at=now, disabled_reason=reason[:300]
    ):
        return
    admins = User.objects.filter(
        memberships__agency=agency, memberships__role__in=[Role.OWNER, Role.ADMIN]
    )
    alert_send(
        agency=agency,
        recipients=admins,
        kind=AlertKind.WEBHOOK_DISABLED,
        message=message,
        url=reverse("dashboard:webhook_endpoint", args=[endpoint.pk]),
        severity=AlertSeverity.HIGH,
    )
    audit_record(
        agency=agency, actor=None, verb="webhook.disabled", target=endpoint, data={"why": reason}
    )
