"""Every write to webhook endpoints: register, change, rotate the secret, delete, send a test.

Each function is one transaction, checks the actor's permission and records an audit event;
it runs inside the actor's tenant scope (the dashboard middleware or the API sets it).
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agency import permissions
from agency.models import Membership
from agency.outbound import outbound_url_problem
from agency.services.audit import actor_label, audit_record
from webhooks.events import TEST_EVENT, WebhookEvent
from webhooks.models import WebhookDelivery, WebhookEndpoint
from webhooks.services.emit import new_deliveries
from webhooks.signing import PREVIOUS_SECRET_GRACE, generate_secret

LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1"}


def url_problem(url: str, *, allow_insecure_localhost: bool) -> str | None:
    """Why `url` cannot be a webhook endpoint, or None. HTTPS only; plain HTTP to localhost
    only when allowed (development and tests). The address must pass the outbound guard:
    internal addresses in any spelling (``127.1``, ``0x7f000001``, ``localhost.``) and names
    resolving to them are refused, unless OUTBOUND_ALLOW_PRIVATE_ADDRESSES; the guard checks
    the address again at every delivery."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        return _("Enter a valid address.")
    host = (parts.hostname or "").lower()
    if not host or parts.scheme not in {"http", "https"}:
        return _("Enter a full address starting with https://.")
    if parts.username or parts.password:
        return _("Put no user name or password in the address; the signature proves us.")
    is_local = host in LOCAL_HOSTS
    if parts.scheme == "http" and not (is_local and allow_insecure_localhost):
        return _("Use an https:// address: deliveries carry your data.")
    problem = outbound_url_problem(url)
    return str(problem) if problem else None


def _url_checked(url: str) -> str:
    url = (url or "").strip()
    problem = url_problem(url, allow_insecure_localhost=settings.WEBHOOK_ALLOW_INSECURE_LOCALHOST)
    if problem:
        raise ValidationError({"url": problem})
    return url


def _events_checked(events) -> list[str]:
    events = sorted(set(events or []))
    if not events:
        raise ValidationError({"events": _("Choose at least one event.")})
    unknown = [event for event in events if event not in WebhookEvent.values]
    if unknown:
        raise ValidationError(
            {"events": _("Unknown events: %(events)s.") % {"events": ", ".join(unknown)}}
        )
    return events


@transaction.atomic
def webhook_endpoint_create(
    *, actor: Membership, url: str, events, description: str = ""
) -> tuple[WebhookEndpoint, str]:
    """Register an endpoint. Returns it and its signing secret, which is shown only this once
    (it is stored encrypted, never displayed again)."""
    permissions.require(actor, permissions.WEBHOOKS_MANAGE)
    errors = {}
    try:
        url = _url_checked(url)
    except ValidationError as exc:
        errors.update(exc.error_dict)
    try:
        events = _events_checked(events)
    except ValidationError as exc:
        errors.update(exc.error_dict)
    if errors:
        raise ValidationError(errors)
    secret = generate_secret()
    endpoint = WebhookEndpoint(
        agency_id=actor.agency_id,
        url=url,
        events=events,
        description=description.strip()[:200],
        created_by=actor.user,
    )
    endpoint.secret = secret
    endpoint.save()
    audit_record(
        agency=actor.agency,
        actor=actor,
        verb="webhook.created",
        target=endpoint,
        data={"events": events},
    )
    return endpoint, secret


@transaction.atomic
def webhook_endpoint_update(*, actor: Membership, endpoint: WebhookEndpoint, **fields):
    """Change an endpoint's address, description, events or active flag.

    Turning an endpoint back on clears its failure count, so it gets a fresh 24 hours.
    """
    permissions.require(actor, permissions.WEBHOOKS_MANAGE)
    allowed = {"url", "description", "events", "active"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValueError(f"Not endpoint fields: {sorted(unknown)}")
    if "url" in fields:
        fields["url"] = _url_checked(fields["url"])
    if "events" in fields:
        fields["events"] = _events_checked(fields["events"])
    if "description" in fields:
        fields["description"] = (fields["description"] or "").strip()[:200]
    changed = sorted(k for k, v in fields.items() if getattr(endpoint, k) != v)
    for key in changed:
        setattr(endpoint, key, fields[key])
    if "active" in changed:
        if endpoint.active:
            endpoint.disabled_at = None
            endpoint.disabled_reason = ""
            endpoint.consecutive_failures = 0
            endpoint.failing_since = None
        else:
            endpoint.disabled_at = timezone.now()
            endpoint.disabled_reason = _("Turned off by %(who)s.") % {"who": actor_label(actor)}
    endpoint.save()
    if changed:
        audit_record(
            agency=actor.agency,
            actor=actor,
            verb="webhook.updated",
            target=endpoint,
            data={"fields": changed},
        )
    return endpoint


@transaction.atomic
def webhook_endpoint_rotate_secret(*, actor: Membership, endpoint: WebhookEndpoint) -> str:
    """Give the endpoint a new signing secret and return it (shown this once).

    The secret it replaces keeps signing deliveries, beside the new one, for
    PREVIOUS_SECRET_GRACE (24 h), so the receiver switches without refusing a delivery; a
    second rotation within that time ends the older secret's grace at once.
    """
    permissions.require(actor, permissions.WEBHOOKS_MANAGE)
    endpoint = WebhookEndpoint.objects.select_for_update().get(
        pk=endpoint.pk, agency_id=actor.agency_id
    )
    secret = generate_secret()
    # Ciphertext to ciphertext: the previous secret is never decrypted here.
    endpoint.previous_secret_encrypted = endpoint.secret_encrypted
    endpoint.previous_secret_until = timezone.now() + PREVIOUS_SECRET_GRACE
    endpoint.secret = secret
    endpoint.save(
        update_fields=["secret_encrypted", "previous_secret_encrypted", "previous_secret_until"]
    )
    audit_record(agency=actor.agency, actor=actor, verb="webhook.secret_rotated", target=endpoint)
    return secret


@transaction.atomic
def webhook_endpoint_delete(*, actor: Membership, endpoint: WebhookEndpoint) -> None:
    """Delete an endpoint and its delivery log."""
    permissions.require(actor, permissions.WEBHOOKS_MANAGE)
    audit_record(agency=actor.agency, actor=actor, verb="webhook.deleted", target=endpoint)
    endpoint.delete()


@transaction.atomic
def webhook_endpoint_send_test(*, actor: Membership, endpoint: WebhookEndpoint) -> WebhookDelivery:
    """Send a `webhook.test` event to this one endpoint (tried once, never retried)."""
    permissions.require(actor, permissions.WEBHOOKS_MANAGE)
    if not endpoint.active:
        raise ValidationError(_("Turn the endpoint on before sending it a test event."))
    data = {"message": "Hello from Agency Social", "endpoint": endpoint.pk}
    [delivery] = new_deliveries(
        agency_id=endpoint.agency_id, endpoints=[endpoint], event=TEST_EVENT, data=data
    )
    return delivery
