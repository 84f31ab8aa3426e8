"""The brand field of the campaigns endpoints: the brands the caller sees (the viewset base
narrows every queryset with `visible_to`)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from clients.models import Brand
from clients.selectors import brands_visible_to


@extend_schema_field(OpenApiTypes.INT)  # an id; the schema cannot tell without a model
class VisibleBrandField(serializers.PrimaryKeyRelatedField):
    """A brand id, chosen among the brands the caller sees (another's is "does not exist")."""

    def get_queryset(self):
        request = self.context.get("request")
        if request is None or getattr(request, "actor", None) is None:
            return Brand.objects.none()
        return brands_visible_to(request.actor)
