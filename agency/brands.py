"""The brands agency hands out (brand access, invitations), as the clients app defines them.

agency is the leaf app: BrandAccess and invitations point at the brand model by name
("clients.Brand"), and agency imports no other app. What a brand *is* (archived or not, how
brands are ordered) belongs to clients, which registers its selector here in its
AppConfig.ready(); agency's views and services ask through this module.
"""

from collections.abc import Callable, Iterable

from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from agency.visibility import brand_model

_brands_visible_to: Callable[..., QuerySet] | None = None


def register_brand_selector(selector: Callable[..., QuerySet]) -> None:
    """Called once by the clients app: ``selector(actor)`` lists the brands an actor may pick."""
    global _brands_visible_to
    _brands_visible_to = selector


def brands_visible_to(actor) -> QuerySet:
    """The brands the actor may see and pick (the clients app decides which: not archived)."""
    if _brands_visible_to is None:
        raise ImproperlyConfigured("No brand selector registered (is clients installed?).")
    return _brands_visible_to(actor)


def brand_ids_checked(*, agency_id: int, brand_ids: Iterable[int] | None) -> list[int]:
    """The given brand ids, sorted, once each, if every one is a brand of the agency (archived
    or not); a ValidationError on ``brands`` otherwise."""
    wanted = set(brand_ids or [])
    found = set(
        brand_model()
        .objects.filter(agency_id=agency_id, pk__in=wanted)
        .values_list("pk", flat=True)
    )
    if wanted - found:
        raise ValidationError({"brands": _("Some of the chosen brands do not exist.")})
    return sorted(wanted)
