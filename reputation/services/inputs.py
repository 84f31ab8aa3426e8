"""What the listening services share: who may act, the brand they named, a list of words."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from agency.models import ApiKey, Membership
from clients.models import Brand
from clients.selectors import brands_visible_to

Actor = Membership | ApiKey


def brand_for(actor: Actor, brand_id) -> Brand:
    """One of the actor's brands (archived ones too), or a ValidationError on ``brand``."""
    brand = brands_visible_to(actor, include_archived=True).filter(pk=brand_id).first()
    if brand is None:
        raise ValidationError({"brand": _("Choose one of your brands.")})
    return brand


def words(value) -> list[str]:
    """Words from a list or a comma- or line-separated string: spaces collapsed, empty ones
    dropped, at most 100."""
    if isinstance(value, str):
        value = value.replace("\n", ",").split(",")
    return [" ".join(str(w).split()) for w in value or [] if str(w).strip()][:100]
