"""Who may act: the permission matrix, and the client's brands as the last check."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from agency import permissions
from agency.models import ApiKey, Membership, User
from clients.models import Brand

Actor = Membership | ApiKey


def require(actor, action: str) -> None:
    """The permission matrix's answer (agency.permissions), as PermissionDenied when no."""
    permissions.require(actor, action)


def require_brand(actor, brand: Brand) -> None:
    """Client roles act only on their brands (selectors already narrow; this is the backstop)."""
    if brand.agency_id != actor.agency_id:
        raise PermissionDenied(_("This brand belongs to another agency."))
    is_client = isinstance(actor, Membership) and actor.is_client
    if is_client and not Brand.objects.visible_to(actor).filter(pk=brand.pk).exists():
        raise PermissionDenied(_("You were not given this brand."))


def user_of(actor) -> User | None:
    """The person behind the actor (an API key has none)."""
    return actor.user if isinstance(actor, Membership) else None
