"""A brand's VIP and blocked authors: added by network and handle, each on one list (adding a
VIP who was blocked moves them), removed; audited. Rules read the lists at ingest."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from agency.services.audit import audit_record
from engagement.models import AuthorList, BrandAuthor, handle_key
from engagement.services.moderation.rules import require_editor
from networks.registry import NETWORK_CHOICES

MAX_HANDLE_CHARS = 200
MAX_NOTE_CHARS = 300


@transaction.atomic
def author_list_add(
    *, actor, brand, list_: str, network: str, handle: str, note: str = ""
) -> BrandAuthor:
    require_editor(actor)
    if brand.agency_id != actor.agency_id:
        raise PermissionDenied("Not a brand of the actor's agency.")
    errors = {}
    if list_ not in AuthorList.values:
        errors["list"] = _("Choose VIP or blocked.")
    if network not in {n for n, _label in NETWORK_CHOICES}:
        errors["network"] = _("Choose a network.")
    key = handle_key(str(handle or ""))
    if not key or any(c.isspace() for c in key):
        errors["handle"] = _("Give the author's handle, without spaces.")
    elif len(key) > MAX_HANDLE_CHARS:
        errors["handle"] = _("At most %(n)d characters.") % {"n": MAX_HANDLE_CHARS}
    note = " ".join(str(note or "").split())
    if len(note) > MAX_NOTE_CHARS:
        errors["note"] = _("At most %(n)d characters.") % {"n": MAX_NOTE_CHARS}
    if errors:
        raise ValidationError(errors)
    entry, created = BrandAuthor.objects.select_for_update().get_or_create(
        brand=brand,
        network=network,
        handle=key,
        defaults={"agency_id": actor.agency_id, "list": list_, "note": note},
    )
    previous = None if created else entry.list
    if not created:
        entry.list, entry.note = list_, note or entry.note
        entry.save(update_fields=["list", "note"])
    audit_record(
        agency=actor.agency,
        actor=actor,
        verb="moderation.author_listed",
        target=entry,
        data={"brand": brand.pk, "list": list_, "from": previous},
    )
    return entry


@transaction.atomic
def author_list_remove(*, actor, entry: BrandAuthor) -> None:
    require_editor(actor)
    audit_record(
        agency=actor.agency,
        actor=actor,
        verb="moderation.author_unlisted",
        target=entry,
        data={"brand": entry.brand_id, "list": entry.list},
    )
    entry.delete()
