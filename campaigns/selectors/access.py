"""What an actor may read of a brand's content, and fetch-by-id with one 404 for all misses.

Client roles (approvers, viewers) see only the brands their BrandAccess rows name; every list
of the campaigns selectors goes through `brand_content_visible_to()` (agency.visibility's
`visible_to`), and every fetch-by-id through `get_visible_or_404`.
"""

from django.db.models import QuerySet

from agency.models import ApiKey, Membership

Actor = Membership | ApiKey


def brand_content_visible_to(model, actor: Actor, *, brand_id=None) -> QuerySet:
    queryset = model.objects.visible_to(actor)
    if brand_id:
        queryset = queryset.filter(brand_id=brand_id)
    return queryset
