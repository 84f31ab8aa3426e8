"""People's work on crises: a brand's rule, and an incident's state changes (acknowledge,
resolve), owner and notes. Each service checks the actor's permission and runs in one
transaction; the allowed state changes are in reputation.states."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from agency import permissions
from agency.models import ApiKey, Membership, Role, User
from agency.services.audit import audit_record
from reputation.models.crises import (
    CrisisIncident,
    CrisisRule,
    CrisisState,
    IncidentEvent,
    IncidentEventKind,
)
from reputation.selectors.crises import crisis_rule_for
from reputation.services.crisis_alerts import incident_announce, incident_payload
from reputation.states import CRISIS_INCIDENT
from webhooks.events import WebhookEvent
from webhooks.services.emit import webhook_emit


@transaction.atomic
def crisis_rule_update(*, actor: Membership, brand, **fields) -> CrisisRule:
    """Save the brand's crisis rule with these fields (validated as the model says)."""
    permissions.require(actor, permissions.CRISES_MANAGE)
    rule = crisis_rule_for(brand=brand)
    for key, value in fields.items():
        setattr(rule, key, value)
    rule.full_clean(exclude=["agency", "brand"])
    rule.save()
    audit_record(
        agency=actor.agency,
        actor=actor,
        verb="crisis_rule.updated",
        target=brand,
        data={"fields": sorted(fields)},
    )
    return rule


def _require_manage(actor, incident) -> None:
    permissions.require(actor, permissions.CRISES_MANAGE)
    if actor.agency_id != incident.agency_id:
        raise Http404


@transaction.atomic
def crisis_incident_acknowledge(*, actor: Membership | ApiKey, incident) -> CrisisIncident:
    """open -> acknowledged; the actor becomes the owner if there is none."""
    _require_manage(actor, incident)
    incident = CrisisIncident.objects.select_for_update().get(pk=incident.pk)
    CRISIS_INCIDENT.require(incident.state, CrisisState.ACKNOWLEDGED)
    incident.state = CrisisState.ACKNOWLEDGED
    incident.acknowledged_at = timezone.now()
    user = getattr(actor, "user", None)
    if incident.owner_id is None and user is not None:
        incident.owner = user
    incident.save()
    IncidentEvent.objects.create(
        agency_id=incident.agency_id,
        incident=incident,
        kind=IncidentEventKind.ACKNOWLEDGED,
        actor=user,
    )
    webhook_emit(
        agency=incident.agency_id,
        event=WebhookEvent.CRISIS_UPDATED,
        data=incident_payload(incident),
    )
    return incident


@transaction.atomic
def crisis_incident_assign(*, actor: Membership, incident, owner: User | None) -> CrisisIncident:
    """Give the incident an owner from the agency's team (None: no owner)."""
    _require_manage(actor, incident)
    if (
        owner is not None
        and not Membership.objects.filter(user=owner)
        .exclude(role__in=[Role.CLIENT_APPROVER, Role.CLIENT_VIEWER])
        .exists()
    ):
        raise ValidationError({"owner": _("Choose a member of the agency's team.")})
    incident.owner = owner
    incident.save(update_fields=["owner"])
    IncidentEvent.objects.create(
        agency_id=incident.agency_id,
        incident=incident,
        kind=IncidentEventKind.ASSIGNED,
        actor=getattr(actor, "user", None),
        data={"owner": owner.email if owner else None},
    )
    return incident


@transaction.atomic
def crisis_incident_note(*, actor: Membership, incident, text: str) -> IncidentEvent:
    """Add a note to the incident's timeline (internal: client roles do not see notes)."""
    _require_manage(actor, incident)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write the note.")})
    return IncidentEvent.objects.create(
        agency_id=incident.agency_id,
        incident=incident,
        kind=IncidentEventKind.NOTE,
        actor=getattr(actor, "user", None),
        text=text[:5000],
    )


@transaction.atomic
def crisis_incident_resolve(
    *, actor: Membership | ApiKey, incident, summary: str
) -> CrisisIncident:
    """open | acknowledged -> resolved, with a closing summary (required)."""
    _require_manage(actor, incident)
    summary = (summary or "").strip()
    if not summary:
        raise ValidationError(
            {"summary": _("Write a closing summary: what happened, what was done.")}
        )
    incident = CrisisIncident.objects.select_for_update().get(pk=incident.pk)
    CRISIS_INCIDENT.require(incident.state, CrisisState.RESOLVED)
    incident.state = CrisisState.RESOLVED
    incident.resolved_at = timezone.now()
    incident.summary = summary[:5000]
    incident.save()
    user = getattr(actor, "user", None)
    IncidentEvent.objects.create(
        agency_id=incident.agency_id,
        incident=incident,
        kind=IncidentEventKind.RESOLVED,
        actor=user,
        text=incident.summary,
    )
    with translation.override(incident.brand.agency.language):
        message = _("The crisis of %(brand)s is resolved.") % {"brand": incident.brand.name}
    incident_announce(incident, WebhookEvent.CRISIS_RESOLVED, message)
    return incident
