"""The agency's labels: created, renamed, recoloured, deleted (the conversations lose it).

A name is unique in the agency whatever its case ("Livraison" and "livraison" are one label),
as ``labels_ensure`` treats them when labels are set by name.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from agency import permissions
from agency.services.audit import audit_record
from engagement.models import Label
from engagement.services.conversations import MAX_LABEL_CHARS

COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


def _clean(actor, *, name: str, colour: str, label: Label | None = None) -> tuple[str, str]:
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": _("Name the label.")})
    if len(name) > MAX_LABEL_CHARS:
        raise ValidationError(
            {"name": _("A label has at most %(n)d characters.") % {"n": MAX_LABEL_CHARS}}
        )
    if not COLOUR.match(colour):
        raise ValidationError({"colour": _("Give a colour as #rrggbb.")})
    taken = Label.objects.filter(agency_id=actor.agency_id, name__iexact=name)
    if label is not None:
        taken = taken.exclude(pk=label.pk)
    if taken.exists():
        raise ValidationError({"name": _("The agency already has a label of that name.")})
    return name, colour.lower()


@transaction.atomic
def label_create(*, actor, name: str, colour: str = "#6c757d") -> Label:
    permissions.require(actor, permissions.INBOX_MANAGE)
    name, colour = _clean(actor, name=name, colour=colour)
    label = Label.objects.create(agency_id=actor.agency_id, name=name, colour=colour)
    audit_record(agency=actor.agency, actor=actor, verb="label.created", target=label)
    return label


@transaction.atomic
def label_update(*, actor, label: Label, name: str | None = None, colour: str | None = None):
    permissions.require(actor, permissions.INBOX_MANAGE)
    before = {"name": label.name, "colour": label.colour}
    label.name, label.colour = _clean(
        actor,
        name=label.name if name is None else name,
        colour=label.colour if colour is None else colour,
        label=label,
    )
    label.save(update_fields=["name", "colour"])
    audit_record(
        agency=actor.agency,
        actor=actor,
        verb="label.updated",
        target=label,
        data={"from": before, "to": {"name": label.name, "colour": label.colour}},
    )
    return label


@transaction.atomic
def label_delete(*, actor, label: Label) -> None:
    permissions.require(actor, permissions.INBOX_MANAGE)
    audit_record(
        agency=actor.agency,
        actor=actor,
        verb="label.deleted",
        target=label,
        data={"name": label.name},
    )
    label.delete()
