"""Signed links a client uses without an account: the approval page and the ICS feed."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agency import permissions
from agency.services.audit import audit_record
from campaigns.models import ShareLink, ShareLinkKind
from campaigns.services.access import Actor, require, require_brand, user_of
from clients.models import Brand


@transaction.atomic
def share_link_create(
    *, actor: Actor, brand: Brand, kind: str, label: str = "", valid_days: int | None = 30
) -> ShareLink:
    """A signed link to the brand's approval page (expiring) or ICS feed (until revoked)."""
    require(actor, permissions.SHARE_LINKS_MANAGE)
    require_brand(actor, brand)
    if kind not in ShareLinkKind.values:
        raise ValidationError({"kind": _("Unknown link kind.")})
    expires_at = None
    if kind == ShareLinkKind.APPROVAL:
        days = valid_days or 30
        if not 1 <= days <= 365:
            raise ValidationError({"valid_days": _("A link is valid for 1 to 365 days.")})
        expires_at = timezone.now() + dt.timedelta(days=days)
    link = ShareLink.objects.create(
        agency_id=brand.agency_id,
        brand=brand,
        kind=kind,
        label=label.strip()[:120],
        expires_at=expires_at,
        created_by=user_of(actor),
    )
    audit_record(
        agency=brand.agency,
        actor=actor,
        verb="share_link.created",
        target=link,
        data={"kind": kind, "brand_id": brand.pk},
    )
    return link


@transaction.atomic
def share_link_revoke(*, actor: Actor, share_link: ShareLink) -> ShareLink:
    """Stop the link working, at once and for good (revoking twice changes nothing)."""
    require(actor, permissions.SHARE_LINKS_MANAGE)
    require_brand(actor, share_link.brand)
    if share_link.revoked_at is None:
        share_link.revoked_at = timezone.now()
        share_link.save(update_fields=["revoked_at"])
        audit_record(
            agency=share_link.brand.agency,
            actor=actor,
            verb="share_link.revoked",
            target=share_link,
        )
    return share_link
