"""Where the campaigns endpoints look: the client's brands only."""

from rest_framework import serializers

from agency.models import Membership
from clients.models import Brand
from clients.selectors import brands_visible_to


def narrow_to_client_brands(queryset, actor):
    """A client role's rows of its own brands only (the viewset base already narrowed to the
    agency)."""
    if isinstance(actor, Membership) and actor.is_client:
        return queryset.filter(brand__accesses__membership=actor)
    return queryset


class VisibleBrandField(serializers.PrimaryKeyRelatedField):
    """A brand id, chosen among the brands the caller sees (another's is "does not exist")."""

    def get_queryset(self):
        request = self.context.get("request")
        if request is None or getattr(request, "actor", None) is None:
            return Brand.objects.none()
        return brands_visible_to(request.actor)
