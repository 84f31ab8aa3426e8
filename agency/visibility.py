"""What an actor may see of a tenant model: the one client-brand narrowing of the product.

Every actor sees only its agency's rows. A client approver or viewer sees, moreover, only the
rows of the brands its BrandAccess rows name. ``TenantQuerySet.visible_to(actor)`` applies
both; this module knows how each model reaches its brand, without importing the apps that own
the models (agency is the leaf: it reads the model graph instead).

How a model reaches its brand (its *brand path*), first rule that applies:

1. the brand model itself (the model ``BrandAccess.brand`` points at): its primary key;
2. a ``brand_path`` attribute on the model, e.g. ``brand_path = "post__brand"``;
3. a field named ``brand``;
4. the first non-null foreign key to a tenant model that has a brand path, followed
   (``PostVariant.post`` -> ``post__brand``; ``MentionMatch.mention`` -> ``mention__brand``).

A model with no brand path is agency-wide (memberships, API keys, audit events, authors …):
client roles see its rows as the rest of the agency does, and permissions and the view decide.
A test lists these models, so that a new one is agency-wide by decision, not by accident.
"""

from functools import cache

from django.apps import apps
from django.db.models import QuerySet
from django.http import Http404

from agency.tenancy import TenantModel

# How far rule 4 follows foreign keys (PostMetricDay -> variant -> post -> brand).
_MAX_DEPTH = 4


def narrow_to_actor(queryset: QuerySet, actor) -> QuerySet:
    if actor is None:
        return queryset.none()
    queryset = queryset.filter(agency_id=actor.agency_id)
    membership_model = apps.get_model("agency", "Membership")
    if not (isinstance(actor, membership_model) and actor.is_client):
        return queryset
    path = brand_path(queryset.model)
    if path is None:
        return queryset
    brand_ids = (
        apps.get_model("agency", "BrandAccess")
        .objects.filter(agency_id=actor.agency_id, membership_id=actor.pk)
        .values("brand_id")
    )
    return queryset.filter(**{f"{path}__in": brand_ids})


def brand_model():
    return apps.get_model("agency", "BrandAccess")._meta.get_field("brand").related_model


@cache
def brand_path(model, depth: int = 0) -> str | None:
    """The lookup from ``model`` to its brand's id ("pk", "brand", "post__brand"), or None."""
    if model is brand_model():
        return "pk"
    declared = getattr(model, "brand_path", None)
    if isinstance(declared, str):
        return declared
    fields = [f for f in model._meta.concrete_fields if f.is_relation and f.name != "agency"]
    if any(field.name == "brand" for field in fields):
        return "brand"
    if depth >= _MAX_DEPTH:
        return None
    for field in fields:
        parent = field.related_model
        if field.null or parent is model or not issubclass(parent, TenantModel):
            continue
        parent_path = brand_path(parent, depth + 1)
        if parent_path is not None:
            return field.name if parent_path == "pk" else f"{field.name}__{parent_path}"
    return None


def get_visible_or_404(queryset: QuerySet, pk, *, actor):
    """The row ``pk`` of ``queryset`` if ``actor`` may see it; 404 for "missing" and "not
    yours" alike (and for an id that is not a number). Every ``*_get_for`` helper ends here."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    found = queryset.visible_to(actor).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found
