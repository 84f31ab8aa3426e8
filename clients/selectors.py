"""Reads of brands, narrowed to what the actor may see."""

from django.db.models import QuerySet
from django.http import Http404

from agency.models import ApiKey, Membership
from clients.models import Brand


def brands_visible_to(
    actor: Membership | ApiKey, *, include_archived: bool = False
) -> QuerySet[Brand]:
    """Brands of the actor's agency; for client roles, only those their BrandAccess names."""
    queryset = Brand.objects.filter(agency_id=actor.agency_id)
    if isinstance(actor, Membership) and actor.is_client:
        queryset = queryset.filter(accesses__membership=actor)
    if not include_archived:
        queryset = queryset.filter(archived_at=None)
    return queryset.order_by("name", "id")


def brand_get_for(*, actor: Membership | ApiKey, brand_id) -> Brand:
    """One brand the actor may see, archived or not; 404 otherwise."""
    found = brands_visible_to(actor, include_archived=True).filter(pk=brand_id).first()
    if found is None:
        raise Http404
    return found
