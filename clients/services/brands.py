"""Brands: create, edit, archive, restore. One transaction each, permission-checked, audited."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from agency import permissions
from agency.models import ApiKey, Membership
from agency.services.audit import audit_record
from agency.tenancy import tenant_scope
from clients.models import Brand

Actor = Membership | ApiKey

BRAND_FIELDS = ("name", "slug", "industry", "languages", "time_zone", "description")


def _check_unique(brand: Brand) -> None:
    # Read in the brand's own agency, whoever calls: a request, or seed_demo outside any scope.
    with tenant_scope(brand.agency_id):
        others = Brand.objects.filter(agency_id=brand.agency_id).exclude(pk=brand.pk)
        name_taken = others.filter(name__iexact=brand.name).exists()
        slug_taken = others.filter(slug=brand.slug).exists()
    errors = {}
    if name_taken:
        errors["name"] = _("This agency already has a brand named “%(name)s”.") % {
            "name": brand.name
        }
    if slug_taken:
        errors["slug"] = _("The slug “%(slug)s” is already used by another brand.") % {
            "slug": brand.slug
        }
    if errors:
        raise ValidationError(errors)


def _save(brand: Brand) -> None:
    brand.full_clean(exclude=["agency"])
    _check_unique(brand)
    try:
        # A savepoint, so that losing a race to a concurrent create leaves the outer
        # transaction usable and the caller gets the same field error.
        with transaction.atomic():
            brand.save()
    except IntegrityError:
        _check_unique(brand)
        raise


@transaction.atomic
def brand_create(*, actor: Actor, **fields) -> Brand:
    """Create a brand in the actor's agency. Name and slug are unique within the agency."""
    permissions.require(actor, permissions.BRANDS_MANAGE)
    data = {key: value for key, value in fields.items() if key in BRAND_FIELDS}
    data["name"] = (data.get("name") or "").strip()
    if not data.get("slug"):
        data["slug"] = slugify(data["name"])[:60]
    if not data.get("time_zone"):
        data["time_zone"] = actor.agency.time_zone
    brand = Brand(agency_id=actor.agency_id, **data)
    _save(brand)
    audit_record(agency=actor.agency, actor=actor, verb="brand.created", target=brand)
    return brand


@transaction.atomic
def brand_update(*, actor: Actor, brand: Brand, **fields) -> Brand:
    permissions.require(actor, permissions.BRANDS_MANAGE)
    changed = sorted(
        key for key, value in fields.items() if key in BRAND_FIELDS and getattr(brand, key) != value
    )
    for key in changed:
        setattr(brand, key, fields[key])
    if "name" in changed:
        brand.name = brand.name.strip()
    _save(brand)
    if changed:
        audit_record(
            agency=actor.agency,
            actor=actor,
            verb="brand.updated",
            target=brand,
            data={"fields": changed},
        )
    return brand


@transaction.atomic
def brand_archive(*, actor: Actor, brand: Brand) -> Brand:
    """Hide a brand from lists and pickers; its history stays."""
    permissions.require(actor, permissions.BRANDS_MANAGE)
    if brand.archived_at is None:
        brand.archived_at = timezone.now()
        brand.save(update_fields=["archived_at"])
        audit_record(agency=actor.agency, actor=actor, verb="brand.archived", target=brand)
    return brand


@transaction.atomic
def brand_restore(*, actor: Actor, brand: Brand) -> Brand:
    permissions.require(actor, permissions.BRANDS_MANAGE)
    if brand.archived_at is not None:
        brand.archived_at = None
        brand.save(update_fields=["archived_at"])
        audit_record(agency=actor.agency, actor=actor, verb="brand.restored", target=brand)
    return brand
