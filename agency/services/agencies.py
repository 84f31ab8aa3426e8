"""Agencies: creating one (its creator becomes its first owner) and changing its settings."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http.request import validate_host
from django.utils.text import slugify
from django.utils.translation import gettext as _

from agency import permissions
from agency.models import Agency, Membership, Role, User, validate_portal_domain
from agency.services.audit import audit_record
from agency.tenancy import tenant_scope
from core.uploads import LOGO_RULES, check_image, random_name


def _unique_agency_slug(name: str) -> str:
    base = slugify(name)[:50] or "agency"
    slug, n = base, 2
    while Agency.objects.filter(slug=slug).exists():
        slug = f"{base}-{n}"
        n += 1
    return slug


@transaction.atomic
def agency_create(
    *, owner: User, name: str, time_zone: str = "Africa/Casablanca", language: str = "fr"
) -> Agency:
    """Create an agency with `owner` as its first owner. The slug is derived and unique."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give the agency a name.")})
    agency = Agency(
        name=name, slug=_unique_agency_slug(name), time_zone=time_zone, language=language
    )
    agency.full_clean()
    agency.save()
    # The creator may be working in another agency: the new one's rows are written in its scope.
    with tenant_scope(agency):
        membership = Membership.objects.create(agency=agency, user=owner, role=Role.OWNER)
        audit_record(agency=agency, actor=membership, verb="agency.created", target=agency)
    return agency


def _checked_logo(upload):
    """The uploaded logo after core.uploads' image check (pixel budget from the header, full
    decode), renamed to a random storage name; a ValidationError on `logo` otherwise."""
    try:
        checked = check_image(upload, rules=LOGO_RULES)
    except ValidationError as exc:
        raise ValidationError({"logo": exc.messages}) from None
    upload.name = random_name(checked.extension)
    return upload


SETTINGS_FIELDS = frozenset({"name", "time_zone", "language", "require_two_factor"})
BRANDING_FIELDS = frozenset(
    {"logo", "primary_colour", "accent_colour", "white_label", "report_font", "portal_domain"}
)


def _checked_portal_domain(agency: Agency, value: str) -> str:
    """The portal domain in its stored form (lower case, no trailing dot), refused when it is
    the product's own address or another agency's: either would hand that address's visitors
    to this agency's portal."""
    value = (value or "").strip().lower().removesuffix(".")
    if not value:
        return ""
    try:
        validate_portal_domain(value)  # the shape first: its reason is the one to give
    except ValidationError as exc:
        raise ValidationError({"portal_domain": exc.messages}) from None
    if validate_host(value, settings.PRODUCT_HOSTS):
        raise ValidationError(
            {"portal_domain": _("This is the product's own address; choose one of yours.")}
        )
    if Agency.objects.filter(portal_domain=value).exclude(pk=agency.pk).exists():
        raise ValidationError(
            {"portal_domain": _("Another agency already uses this portal domain.")}
        )
    return value


@transaction.atomic
def agency_update(*, actor: Membership, agency: Agency, **fields) -> Agency:
    """Change the agency's settings and branding (owners and admins). Only the fields given
    change; all are validated first (colours legible under white text, the portal domain a
    host name no one else has). A new logo is checked before anything is stored, stored under
    a random name, and the replaced file is removed once the change is committed."""
    permissions.require(actor, permissions.AGENCY_EDIT)
    unknown = set(fields) - SETTINGS_FIELDS - BRANDING_FIELDS
    if unknown:
        raise ValueError(f"Not agency settings: {sorted(unknown)}")
    if "portal_domain" in fields:
        fields["portal_domain"] = _checked_portal_domain(agency, fields["portal_domain"])
    if fields.get("logo") and not isinstance(fields["logo"], str):
        fields["logo"] = _checked_logo(fields["logo"])
    old_logo = agency.logo.name if agency.logo else ""
    changed = {k: v for k, v in fields.items() if getattr(agency, k) != v}
    for key, value in changed.items():
        setattr(agency, key, value)
    agency.full_clean()
    try:
        with transaction.atomic():
            agency.save()
    except BaseException:
        if "logo" in changed and agency.logo and agency.logo.name != old_logo:
            agency.logo.storage.delete(agency.logo.name)
        raise
    if "logo" in changed and old_logo:
        storage = agency.logo.storage
        transaction.on_commit(lambda: storage.delete(old_logo))
    if changed:
        audit_record(
            agency=agency,
            actor=actor,
            verb="agency.updated",
            target=agency,
            data={"fields": sorted(changed)},
        )
    return agency
