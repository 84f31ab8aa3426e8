"""Members: changing a member's role and brands, and removing a member. An agency always keeps
an owner, and only owners make or unmake owners."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from agency import permissions
from agency.brands import brand_ids_checked
from agency.models import BrandAccess, Membership, Role
from agency.services.audit import audit_record


def _owners_left(agency_id: int, excluding: Membership) -> int:
    return (
        Membership.objects.filter(agency_id=agency_id, role=Role.OWNER)
        .exclude(pk=excluding.pk)
        .count()
    )


@transaction.atomic
def membership_change_role(
    *, actor: Membership, membership: Membership, role: str, brand_ids: list[int] | None = None
) -> Membership:
    """Give a member a new role (and, for client roles, their brands).

    Guarantees: only owners grant or take away the owner role; an agency always keeps an owner;
    brand access exists only for client roles.
    """
    permissions.require(actor, permissions.MEMBERS_MANAGE)
    if role not in Role.values:
        raise ValidationError({"role": _("“%(role)s” is not a role.") % {"role": role}})
    if Role.OWNER in (role, membership.role) and actor.role != Role.OWNER:
        raise PermissionDenied(_("Only an owner can grant or remove the owner role."))
    losing_an_owner = membership.role == Role.OWNER and role != Role.OWNER
    if losing_an_owner and _owners_left(membership.agency_id, membership) == 0:
        raise ValidationError({"role": _("The agency must keep at least one owner.")})
    old_role = membership.role
    membership.role = role
    membership.save(update_fields=["role"])
    brand_access_set(membership, brand_ids if membership.is_client else [])
    audit_record(
        agency=membership.agency,
        actor=actor,
        verb="membership.role_changed",
        target=membership,
        data={"from": old_role, "to": role, "brand_ids": sorted(brand_ids or [])},
    )
    return membership


def brand_access_set(membership: Membership, brand_ids: list[int] | None) -> None:
    """Give a member exactly these brands (each checked to be the agency's). No permission
    check or audit event of its own: the role change and the invitation's acceptance call it
    inside theirs."""
    wanted = brand_ids_checked(agency_id=membership.agency_id, brand_ids=brand_ids)
    BrandAccess.objects.filter(membership=membership).exclude(brand_id__in=wanted).delete()
    existing = set(
        BrandAccess.objects.filter(membership=membership).values_list("brand_id", flat=True)
    )
    BrandAccess.objects.bulk_create(
        BrandAccess(agency_id=membership.agency_id, membership=membership, brand_id=brand_id)
        for brand_id in wanted
        if brand_id not in existing
    )


@transaction.atomic
def membership_remove(*, actor: Membership, membership: Membership) -> None:
    """Remove someone from the agency. The last owner cannot be removed."""
    permissions.require(actor, permissions.MEMBERS_MANAGE)
    if membership.role == Role.OWNER:
        if actor.role != Role.OWNER:
            raise PermissionDenied(_("Only an owner can remove an owner."))
        if _owners_left(membership.agency_id, membership) == 0:
            raise ValidationError(_("The agency must keep at least one owner."))
    audit_record(
        agency=membership.agency,
        actor=actor,
        verb="membership.removed",
        target=membership,
        data={"email": membership.user.email, "role": membership.role},
    )
    membership.delete()
