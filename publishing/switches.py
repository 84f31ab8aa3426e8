"""The kill switches: the agency's (AgencyPublishingPause) and each brand's
(campaigns' PublishingPolicy.publishing_paused). While either is on, the dispatcher claims
nothing of it; a variant already being sent finishes (it cannot be called back)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from agency import permissions
from agency.services.audit import audit_record
from campaigns.selectors.planning import policy_of
from publishing.models import AgencyPublishingPause


def paused_agency_ids_across_agencies() -> list[int]:
    """The agencies whose switch is on (the dispatcher's read, across agencies)."""
    return list(
        AgencyPublishingPause.unscoped.filter(paused=True).values_list("agency_id", flat=True)
    )


def agency_publishing_paused(*, agency_id: int) -> bool:
    return AgencyPublishingPause.objects.filter(agency_id=agency_id, paused=True).exists()


@transaction.atomic
def agency_publishing_pause_set(*, actor, paused: bool) -> AgencyPublishingPause:
    """The agency-wide kill switch. While paused, the dispatcher claims nothing of the agency;
    a variant already being sent finishes (it cannot be called back)."""
    if not permissions.can(actor, permissions.AGENCY_EDIT):
        raise PermissionDenied
    switch, _created = AgencyPublishingPause.objects.select_for_update().get_or_create(
        agency_id=actor.agency_id
    )
    switch.paused = paused
    switch.changed_at = timezone.now()
    switch.changed_by_label = str(getattr(actor, "user", actor))[:200]
    switch.save()
    audit_record(
        agency=actor.agency,
        actor=actor,
        verb="publishing.paused" if paused else "publishing.resumed",
        data={"scope": "agency"},
    )
    return switch


@transaction.atomic
def brand_publishing_pause_set(*, actor, brand, paused: bool):
    """The brand's kill switch (PublishingPolicy.publishing_paused)."""
    if not permissions.can(actor, permissions.CAMPAIGNS_MANAGE):
        raise PermissionDenied
    policy = policy_of(brand)
    policy.publishing_paused = paused
    policy.save()
    audit_record(
        agency=brand.agency,
        actor=actor,
        verb="publishing.paused" if paused else "publishing.resumed",
        target=brand,
        data={"scope": "brand"},
    )
    return policy
