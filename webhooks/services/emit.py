"""Announcing events: the one entry point other apps call (`webhook_emit`), and redelivery.

The delivery row is written in the caller's transaction and is the source of truth: the
queued task is only a prompt, and the sweep (webhooks.services.delivery) finds whatever a lost
message left behind. Receivers must therefore expect an event more than once and de-duplicate
on its id (docs/webhooks.md).
"""

import functools
import uuid

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agency import permissions
from agency.models import Agency, Membership
from agency.services.audit import audit_record
from agency.tenancy import current_agency_id_or_none, tenant_scope
from webhooks.events import WebhookEvent, encode_body
from webhooks.models import WebhookDelivery, WebhookEndpoint
from webhooks.tasks import deliver_webhook


def _enqueue_on_commit(deliveries) -> None:
    for delivery in deliveries:
        transaction.on_commit(
            functools.partial(
                deliver_webhook.delay, agency_id=delivery.agency_id, delivery_id=delivery.pk
            )
        )


def new_deliveries(
    *, agency_id: int, endpoints, event: str, data: dict, event_id: str = ""
) -> list[WebhookDelivery]:
    """One pending delivery of one event per endpoint, due now, queued once committed."""
    now = timezone.now()
    event_id = event_id or f"evt_{uuid.uuid4().hex}"
    body = encode_body(
        event=event, event_id=event_id, agency_id=agency_id, created=now, data=data
    ).decode()
    deliveries = WebhookDelivery.objects.bulk_create(
        WebhookDelivery(
            agency_id=agency_id,
            endpoint=endpoint,
            event=event,
            event_id=event_id,
            body=body,
            next_attempt_at=now,
            created_at=now,
        )
        for endpoint in endpoints
    )
    _enqueue_on_commit(deliveries)
    return deliveries


def webhook_emit(*, agency: Agency | int, event: str, data: dict) -> list[WebhookDelivery]:
    """Announce `event` to every active endpoint of the agency subscribed to it.

    Writes one delivery row per endpoint *in the caller's transaction* (so the event exists
    exactly when the change it announces does) and queues the sending on commit. `data` must be
    JSON-serialisable; it becomes the body's ``data``. Runs in the scope of the agency given;
    refuses to emit for another agency than the current one, when one is set.
    """
    if event not in WebhookEvent.values:
        raise ValueError(f"Unknown webhook event {event!r}: add it to webhooks.events first.")
    agency_id = agency.pk if isinstance(agency, Agency) else agency
    current = current_agency_id_or_none()
    if current is not None and current != agency_id:
        # Entering the given agency's scope must never hide a caller working for another one.
        raise RuntimeError(f"Emitting for agency {agency_id} inside agency {current}'s scope.")
    with tenant_scope(agency_id):
        endpoints = [
            endpoint
            for endpoint in WebhookEndpoint.objects.filter(agency_id=agency_id, active=True)
            if event in endpoint.events
        ]
        if not endpoints:
            return []
        return new_deliveries(agency_id=agency_id, endpoints=endpoints, event=event, data=data)


@transaction.atomic
def webhook_delivery_redeliver(*, actor: Membership, delivery: WebhookDelivery) -> WebhookDelivery:
    """Send a delivery again as a new delivery: same event id and same body, new delivery id,
    retried like any other. The endpoint must be on."""
    permissions.require(actor, permissions.WEBHOOKS_MANAGE)
    endpoint = delivery.endpoint
    if not endpoint.active:
        raise ValidationError(_("Turn the endpoint on before redelivering to it."))
    now = timezone.now()
    copy = WebhookDelivery.objects.create(
        agency_id=delivery.agency_id,
        endpoint=endpoint,
        event=delivery.event,
        event_id=delivery.event_id,
        body=delivery.body,
        next_attempt_at=now,
        created_at=now,
        redelivery_of=delivery,
    )
    audit_record(
        agency=actor.agency,
        actor=actor,
        verb="webhook.redelivered",
        target=endpoint,
        data={"delivery": delivery.pk, "event_id": delivery.event_id},
    )
    _enqueue_on_commit([copy])
    return copy
