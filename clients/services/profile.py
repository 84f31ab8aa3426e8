"""The brand's profile: guidelines, logo, audiences (personas), competitors, client contacts."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _lazy

from agency import permissions
from agency.models import Membership
from agency.services.audit import audit_record
from agency.tenancy import tenant_scope
from clients.models import (
    LOGO_MAX_BYTES,
    Brand,
    BrandGuidelines,
    ClientContact,
    Competitor,
    Persona,
    validate_logo_size,
)
from clients.services.brands import Actor
from core.uploads import LOGO_RULES, CheckedImage, check_image, random_name

GUIDELINE_FIELDS = ("tone_of_voice", "words_to_use", "words_to_avoid", "hashtag_sets", "signatures")


def _clean_words(values) -> list:
    """Trimmed, without empty entries or case-insensitive repeats, in the given order."""
    if not isinstance(values, list):
        return values  # the model's validator names the field
    seen, out = set(), []
    for value in values:
        if isinstance(value, str):
            value = " ".join(value.split())
            if not value or value.lower() in seen:
                continue
            seen.add(value.lower())
        out.append(value)
    return out


def _clean_hashtag_sets(sets) -> list:
    if not isinstance(sets, list):
        return sets
    out = []
    for entry in sets:
        if isinstance(entry, dict) and isinstance(entry.get("hashtags"), list):
            tags = [
                tag if not isinstance(tag, str) or tag.startswith("#") else f"#{tag}"
                for tag in _clean_words(entry["hashtags"])
            ]
            name = entry.get("name")
            entry = {"name": name.strip() if isinstance(name, str) else name, "hashtags": tags}
        out.append(entry)
    return out


@transaction.atomic
def brand_guidelines_update(*, actor: Actor, brand: Brand, **fields) -> BrandGuidelines:
    """Set the brand's guidelines (created on first use). Lists are trimmed and de-duplicated;
    hashtags get their #. Only the given fields change; all are validated before saving."""
    permissions.require(actor, permissions.BRANDS_EDIT_PROFILE)
    unknown = set(fields) - set(GUIDELINE_FIELDS)
    if unknown:
        raise ValueError(f"Not guideline fields: {sorted(unknown)}")
    guidelines = BrandGuidelines.objects.select_for_update().filter(
        brand=brand
    ).first() or BrandGuidelines(agency_id=brand.agency_id, brand=brand)
    for key, value in fields.items():
        if key == "hashtag_sets":
            value = _clean_hashtag_sets(value)
        elif key in {"words_to_use", "words_to_avoid", "signatures"}:
            value = _clean_words(value)
        elif key == "tone_of_voice":
            value = (value or "").strip()
        setattr(guidelines, key, value)
    guidelines.updated_by = actor.user if isinstance(actor, Membership) else None
    guidelines.full_clean(exclude=["agency", "brand", "updated_by"])
    guidelines.save()
    audit_record(
        agency=brand.agency,
        actor=actor,
        verb="brand.guidelines_updated",
        target=brand,
        data={"fields": sorted(fields)},
    )
    return guidelines


def _check_logo(upload) -> CheckedImage:
    """Size first (cheap, with the sizes in the message), then core.uploads' image check:
    pixel budget from the header, then a full decode (a truncated file is refused)."""
    if upload.size > LOGO_MAX_BYTES:
        validate_logo_size(upload)  # raises with the sizes in the message
    return check_image(upload, rules=LOGO_RULES)


@transaction.atomic
def brand_logo_set(*, actor: Actor, brand: Brand, logo) -> Brand:
    """Replace the brand's logo. Refuses non-images, damaged images, images over the pixel
    budget and files over the size cap, naming why; nothing is stored and the old logo stays
    when the new one is refused. The stored name is random (never the uploader's)."""
    permissions.require(actor, permissions.BRANDS_EDIT_PROFILE)
    try:
        checked = _check_logo(logo)
    except ValidationError as exc:
        raise ValidationError({"logo": exc.messages}) from None
    old_name = brand.logo.name if brand.logo else ""
    logo.seek(0)
    brand.logo.save(random_name(checked.extension), logo, save=False)
    new_name, storage = brand.logo.name, brand.logo.storage
    try:
        with transaction.atomic():
            brand.save(update_fields=["logo"])
            audit_record(agency=brand.agency, actor=actor, verb="brand.logo_changed", target=brand)
    except BaseException:
        storage.delete(new_name)
        raise
    if old_name:
        transaction.on_commit(lambda: storage.delete(old_name))
    return brand


@transaction.atomic
def brand_logo_remove(*, actor: Actor, brand: Brand) -> Brand:
    permissions.require(actor, permissions.BRANDS_EDIT_PROFILE)
    if brand.logo:
        old_name, storage = brand.logo.name, brand.logo.storage
        brand.logo = ""
        brand.save(update_fields=["logo"])
        transaction.on_commit(lambda: storage.delete(old_name))
        audit_record(agency=brand.agency, actor=actor, verb="brand.logo_removed", target=brand)
    return brand


# Profile children: personas, competitors, contacts share one pattern (create, update, delete).

PERSONA_FIELDS = ("name", "language", "age_min", "age_max", "interests", "description")
COMPETITOR_FIELDS = ("name", "website", "handles", "keywords")
CONTACT_FIELDS = ("name", "email", "phone", "role", "is_approver")

# model -> (field that must be unique within the brand, case-insensitively; its error message)
_UNIQUE_WITHIN_BRAND = {
    Persona: ("name", _lazy("This brand already has an audience named “%(value)s”.")),
    Competitor: ("name", _lazy("This brand already has a competitor named “%(value)s”.")),
    ClientContact: ("email", _lazy("This brand already has a contact with the address %(value)s.")),
}


def _check_unique_in_brand(instance) -> None:
    field, message = _UNIQUE_WITHIN_BRAND[type(instance)]
    value = getattr(instance, field)
    with tenant_scope(instance.agency_id):  # the row's own agency, whoever calls
        clash = (
            type(instance)
            .objects.filter(agency_id=instance.agency_id, brand_id=instance.brand_id)
            .filter(**{f"{field}__iexact": value})
            .exclude(pk=instance.pk)
            .exists()
        )
    if clash:
        raise ValidationError({field: message % {"value": value}})


def _normalise_child(instance) -> None:
    for name in ("name", "role", "phone"):
        if isinstance(getattr(instance, name, None), str):
            setattr(instance, name, " ".join(getattr(instance, name).split()))
    if isinstance(instance, ClientContact):
        instance.email = (instance.email or "").strip().lower()
    if isinstance(instance, Persona | Competitor):
        field = "interests" if isinstance(instance, Persona) else "keywords"
        setattr(instance, field, _clean_words(getattr(instance, field)))
    if isinstance(instance, Competitor) and isinstance(instance.handles, dict):
        instance.handles = {
            network: handle.strip() if isinstance(handle, str) else handle
            for network, handle in instance.handles.items()
            if handle not in ("", None)
        }


def _save_child(instance) -> None:
    _normalise_child(instance)
    instance.full_clean(exclude=["agency", "brand"])
    _check_unique_in_brand(instance)
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError:
        _check_unique_in_brand(instance)
        raise


def _child_create(model, allowed, verb, *, actor: Actor, brand: Brand, fields: dict):
    permissions.require(actor, permissions.BRANDS_EDIT_PROFILE)
    data = {key: value for key, value in fields.items() if key in allowed}
    instance = model(agency_id=brand.agency_id, brand=brand, **data)
    _save_child(instance)
    audit_record(agency=brand.agency, actor=actor, verb=verb, target=instance)
    return instance


def _child_update(allowed, verb, *, actor: Actor, instance, fields: dict):
    permissions.require(actor, permissions.BRANDS_EDIT_PROFILE)
    changed = sorted(
        key for key, value in fields.items() if key in allowed and getattr(instance, key) != value
    )
    for key in changed:
        setattr(instance, key, fields[key])
    _save_child(instance)
    if changed:
        audit_record(
            agency=instance.agency,
            actor=actor,
            verb=verb,
            target=instance,
            data={"fields": changed},
        )
    return instance


def _child_delete(verb, *, actor: Actor, instance) -> None:
    permissions.require(actor, permissions.BRANDS_EDIT_PROFILE)
    audit_record(agency=instance.agency, actor=actor, verb=verb, target=instance)
    instance.delete()


@transaction.atomic
def persona_create(*, actor: Actor, brand: Brand, **fields) -> Persona:
    """Add a target audience. Name unique within the brand; age range 13-100, min <= max."""
    return _child_create(
        Persona, PERSONA_FIELDS, "persona.created", actor=actor, brand=brand, fields=fields
    )


@transaction.atomic
def persona_update(*, actor: Actor, persona: Persona, **fields) -> Persona:
    return _child_update(
        PERSONA_FIELDS, "persona.updated", actor=actor, instance=persona, fields=fields
    )


@transaction.atomic
def persona_delete(*, actor: Actor, persona: Persona) -> None:
    _child_delete("persona.deleted", actor=actor, instance=persona)


@transaction.atomic
def competitor_create(*, actor: Actor, brand: Brand, **fields) -> Competitor:
    """Add a competitor. Name unique within the brand; handles only for known networks."""
    return _child_create(
        Competitor,
        COMPETITOR_FIELDS,
        "competitor.created",
        actor=actor,
        brand=brand,
        fields=fields,
    )


@transaction.atomic
def competitor_update(*, actor: Actor, competitor: Competitor, **fields) -> Competitor:
    return _child_update(
        COMPETITOR_FIELDS, "competitor.updated", actor=actor, instance=competitor, fields=fields
    )


@transaction.atomic
def competitor_delete(*, actor: Actor, competitor: Competitor) -> None:
    _child_delete("competitor.deleted", actor=actor, instance=competitor)


@transaction.atomic
def client_contact_create(*, actor: Actor, brand: Brand, **fields) -> ClientContact:
    """Add a person at the client. Email unique within the brand (case-insensitive)."""
    return _child_create(
        ClientContact,
        CONTACT_FIELDS,
        "client_contact.created",
        actor=actor,
        brand=brand,
        fields=fields,
    )


@transaction.atomic
def client_contact_update(*, actor: Actor, client_contact: ClientContact, **fields):
    return _child_update(
        CONTACT_FIELDS,
        "client_contact.updated",
        actor=actor,
        instance=client_contact,
        fields=fields,
    )


@transaction.atomic
def client_contact_delete(*, actor: Actor, client_contact: ClientContact) -> None:
    _child_delete("client_contact.deleted", actor=actor, instance=client_contact)
