"""The API's filter backend: every filter that names an object offers only what the caller sees.

django-filter builds the choices of `?brand=`, `?author=`, `?campaign=`, `?endpoint=` … from
each model's default manager: every user of the platform for an author, every brand of the
agency for a client who was given one. So the browsable API listed them, and a foreign id
answered 200 (an empty list) where a missing one answered 400. Here each such filter's queryset
is narrowed, once for every FilterSet, to the rows the caller may see; an id outside them is
"not a valid choice", exactly like an id that does not exist.
"""

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django_filters import filters
from django_filters.rest_framework import DjangoFilterBackend

from agency.models import Membership


def visible_to(actor, model) -> QuerySet:
    """The rows of ``model`` that ``actor`` may name in a filter; nothing for an unknown kind.

    Tenant rows: what ``visible_to`` lets the actor see (its agency; a client's brands and
    their rows); people: the members of the agency.
    """
    if actor is None:
        return model._default_manager.none()
    if model is get_user_model():
        members = Membership.objects.filter(agency_id=actor.agency_id).values("user_id")
        return model._default_manager.filter(pk__in=members)
    if not hasattr(model._default_manager, "visible_to"):
        return model._default_manager.none()  # fail closed: a kind nobody taught us
    return model._default_manager.visible_to(actor)


_OBJECT_FILTERS = (filters.ModelChoiceFilter, filters.ModelMultipleChoiceFilter)


class TenantFilterBackend(DjangoFilterBackend):
    """DjangoFilterBackend whose object filters are narrowed to what the caller may see."""

    def get_filterset(self, request, queryset, view):
        filterset = super().get_filterset(request, queryset, view)
        if filterset is not None:
            actor = getattr(request, "actor", None)
            for name, filter_ in filterset.filters.items():
                if isinstance(filter_, _OBJECT_FILTERS):
                    model = _filter_model(filterset, name, filter_)
                    if model is not None:
                        filter_.queryset = visible_to(actor, model)
        return filterset


def _filter_model(filterset, name, filter_):
    queryset = filter_.queryset
    if isinstance(queryset, QuerySet):
        return queryset.model
    try:
        field = filterset._meta.model._meta.get_field(filter_.field_name or name)
    except Exception:  # a lookup path (brand__agency): the filter keeps its own queryset
        return None
    return field.related_model
