"""What an actor may read of a brand's content, and fetch-by-id with one 404 for all misses.

Client roles (approvers, viewers) see only the brands their BrandAccess rows name; every list
of the campaigns selectors goes through `brand_content_visible_to()`.
"""

from django.db.models import QuerySet
from django.http import Http404

from agency.models import ApiKey, Membership

Actor = Membership | ApiKey


def brand_content_visible_to(model, actor: Actor, *, brand_id=None) -> QuerySet:
    queryset = model.objects.filter(agency_id=actor.agency_id)
    if isinstance(actor, Membership) and actor.is_client:
        queryset = queryset.filter(brand__accesses__membership=actor)
    if brand_id:
        queryset = queryset.filter(brand_id=brand_id)
    return queryset


def get_or_404(queryset, pk):
    try:
        found = queryset.filter(pk=int(pk)).first()
    except (TypeError, ValueError):
        found = None
    if found is None:
        raise Http404
    return found
