"""How a crisis is announced: an alert to the people who answer for crises, and a webhook."""

from django.conf import settings
from django.db.models import QuerySet
from django.urls import reverse

from agency import permissions
from agency.models import User
from notifications.models import AlertSeverity
from notifications.services import alert_send
from reputation.models.crises import CrisisIncident, CrisisSeverity
from webhooks.services.emit import webhook_emit

# Keyed by the stored value: the severity field reads back as a plain str, which a TextChoices
# member equals and hashes as.
ALERT_SEVERITY: dict[str, AlertSeverity] = {
    CrisisSeverity.MEDIUM: AlertSeverity.NORMAL,
    CrisisSeverity.HIGH: AlertSeverity.HIGH,
    CrisisSeverity.CRITICAL: AlertSeverity.CRITICAL,
}


def _recipients(brand) -> QuerySet[User]:
    roles = [
        role
        for role, actions in permissions.ROLE_ACTIONS.items()
        if permissions.CRISES_MANAGE in actions
    ]
    return User.objects.filter(
        memberships__agency_id=brand.agency_id, memberships__role__in=roles
    ).distinct()


def incident_url(incident: CrisisIncident) -> str:
    return reverse("dashboard:crisis_incident", kwargs={"crisis_incident_id": incident.pk})


def incident_payload(incident: CrisisIncident) -> dict:
    """The `data` of crisis.* webhook events (docs/webhooks.md)."""
    return {
        "id": incident.pk,
        "brand": {"id": incident.brand_id, "name": incident.brand.name},
        "cause": incident.cause,
        "severity": incident.severity,
        "state": incident.state,
        "opened_at": incident.opened_at.isoformat(),
        "resolved_at": incident.resolved_at.isoformat() if incident.resolved_at else None,
        "mention_count": incident.mention_count,
        "owner": incident.owner.email if incident.owner else None,
        "summary": incident.summary,
        "stats": incident.stats,
        "url": settings.SITE_URL.rstrip("/") + incident_url(incident),
    }


def incident_announce(incident: CrisisIncident, event: str, message: str) -> None:
    """Alert the people who answer for crises and emit the webhook, in this transaction."""
    alert_send(
        agency=incident.brand.agency,
        recipients=_recipients(incident.brand),
        kind=event,
        message=message,
        url=incident_url(incident),
        severity=ALERT_SEVERITY.get(incident.severity, AlertSeverity.NORMAL),
    )
    webhook_emit(agency=incident.agency_id, event=event, data=incident_payload(incident))
