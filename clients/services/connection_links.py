"""Connection links: the agency sends a client a link with which they connect the brand's own
social accounts, through the network's OAuth (or an app password), without an agency account.

Guarantees: a link belongs to one brand of one agency, and whatever is connected through it
lands on that brand (the brand is read from the link, never from the request); it connects
each network once (`ConnectionLinkUse`, unique per link and network, written in the same
transaction as the account, under a lock on the link), stops working at `expires_at`
(`CONNECTION_LINK_TTL_DAYS`) or when revoked; only a SHA-256 of its token is stored. Creating,
revoking and each connection are audited; the brand's managers and the link's author are
alerted of each connection (`alert_send`).
"""

import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables

from agency import permissions
from agency.hashing import secret_hash
from agency.models import Membership
from agency.services.audit import audit_record
from agency.tenancy import tenant_scope
from clients import selectors
from clients.models import Brand, ConnectionLink, ConnectionLinkUse, SocialAccount
from clients.services.accounts import social_account_store
from networks.registry import display_name
from notifications.models import AlertKind
from notifications.services import alert_send


@transaction.atomic
def connection_link_create(
    *, actor: Membership, brand: Brand, label: str = ""
) -> tuple[ConnectionLink, str]:
    """A new link for `brand`. Returns it and its token (shown once, never stored in clear)."""
    permissions.require(actor, permissions.SOCIAL_ACCOUNTS_MANAGE)
    if brand.agency_id != actor.agency_id:
        raise PermissionDenied
    if brand.archived_at is not None:
        raise ValidationError(_("An archived brand cannot get a connection link."))
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    link = ConnectionLink.objects.create(
        agency_id=brand.agency_id,
        brand=brand,
        token_hash=secret_hash(token),
        label=label.strip()[:120],
        created_by=actor.user,
        created_at=now,
        expires_at=now + timedelta(days=settings.CONNECTION_LINK_TTL_DAYS),
    )
    audit_record(
        agency=brand.agency,
        actor=actor,
        verb="connection_link.created",
        target=link,
        data={"brand_id": brand.pk, "label": link.label},
    )
    return link, token


@transaction.atomic
def connection_link_revoke(*, actor: Membership, link: ConnectionLink) -> ConnectionLink:
    """Stop the link working (what it connected stays connected). Revoking twice is a no-op."""
    permissions.require(actor, permissions.SOCIAL_ACCOUNTS_MANAGE)
    if link.agency_id != actor.agency_id:
        raise PermissionDenied
    if link.revoked_at is None:
        link.revoked_at = timezone.now()
        link.save(update_fields=["revoked_at"])
        audit_record(
            agency=link.agency,
            actor=actor,
            verb="connection_link.revoked",
            target=link,
            data={"brand_id": link.brand_id},
        )
    return link


def connection_link_get_by_token_across_agencies(token: str) -> ConnectionLink | None:
    """The link a token opens, whatever its state (a credential look-up, by hash)."""
    if not token or len(token) > 200:
        return None
    return (
        ConnectionLink.unscoped.select_related("brand", "agency", "created_by")
        .filter(token_hash=secret_hash(token))
        .first()
    )


def connection_link_get_across_agencies(connection_link_id: int) -> ConnectionLink | None:
    """The link a pending connection in the person's session was started from (the id was
    put there by us, with the session's other server-side state)."""
    if not connection_link_id:
        return None
    return (
        ConnectionLink.unscoped.select_related("brand", "agency", "created_by")
        .filter(pk=connection_link_id)
        .first()
    )


def connection_link_problem(link: ConnectionLink | None) -> str:
    """Why the link cannot be used, in the person's words, or "" when it can."""
    if link is None:
        return _("This connection link is not valid. Ask the agency for a new one.")
    if link.revoked_at is not None:
        return _("This connection link was withdrawn by the agency. Ask them for a new one.")
    if link.expires_at <= timezone.now():
        return _("This connection link expired. Ask the agency for a new one.")
    if link.brand.archived_at is not None:
        return _("This connection link can no longer be used. Ask the agency for a new one.")
    return ""


def connection_link_networks_used(link: ConnectionLink) -> set[str]:
    """The networks already connected through this link."""
    with tenant_scope(link.agency_id):
        return set(ConnectionLinkUse.objects.filter(link=link).values_list("network", flat=True))


def connection_link_check_network(link: ConnectionLink, network: str) -> None:
    """Refuse (ValidationError, the person's words) a network this link cannot connect now."""
    problem = connection_link_problem(link)
    if problem:
        raise ValidationError(problem)
    if network in connection_link_networks_used(link):
        raise ValidationError(
            _(
                "A %(network)s account was already connected with this link. Ask the agency "
                "for a new link to connect another one."
            )
            % {"network": display_name(network)}
        )


@sensitive_variables("profile")
def social_account_connect_through_link(*, link: ConnectionLink, profile) -> SocialAccount:
    """Store the account a client connected through `link` on the link's brand, once per
    network, and alert the brand's managers and the link's author."""
    with tenant_scope(link.agency_id), transaction.atomic():
        locked = ConnectionLink.objects.select_for_update().get(pk=link.pk)
        locked.brand = link.brand  # the same row, already read
        connection_link_check_network(locked, profile.network)
        account = social_account_store(
            brand=locked.brand,
            profile=profile,
            actor=None,
            connected_by=locked.created_by,
            audit_data={"through_connection_link": locked.pk},
        )
        ConnectionLinkUse.objects.create(
            agency_id=locked.agency_id, link=locked, network=profile.network, social_account=account
        )
        brand = locked.brand
        recipients = set(selectors.brand_manager_user_ids(brand=brand))
        recipients.add(locked.created_by_id)
        alert_send(
            agency=brand.agency,
            recipients=recipients,
            kind=AlertKind.SOCIAL_ACCOUNT_CONNECTED_BY_CLIENT,
            message=_("%(account)s was connected to %(brand)s by the client, with a link.")
            % {"account": str(account), "brand": brand.name},
            url=reverse("brands:detail", kwargs={"brand_id": brand.pk}) + "?tab=accounts",
        )
    return account


def connection_link_refusal_record(*, link: ConnectionLink, network: str, reason: str) -> None:
    """Audit an attempt refused on a known link (expired, revoked, network already used)."""
    with tenant_scope(link.agency_id), transaction.atomic():
        audit_record(
            agency=link.agency,
            actor=None,
            verb="connection_link.refused",
            target=link,
            data={"network": network, "reason": reason[:300]},
        )
