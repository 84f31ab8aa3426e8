"""Reads of brands, narrowed to what the actor may see."""

from datetime import timedelta

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from agency.models import ApiKey, Membership, Role
from agency.visibility import get_visible_or_404
from clients.models import (
    AccountStatus,
    Brand,
    BrandGuidelines,
    ClientContact,
    Competitor,
    ConnectionLink,
    ConnectionLinkUse,
    Persona,
    SocialAccount,
)
from networks.registry import ADAPTERS


def brands_visible_to(
    actor: Membership | ApiKey, *, include_archived: bool = False
) -> QuerySet[Brand]:
    """Brands of the actor's agency; for client roles, only those their BrandAccess names."""
    queryset = Brand.objects.visible_to(actor)
    if not include_archived:
        queryset = queryset.filter(archived_at=None)
    return queryset.order_by("name", "id")


def brand_get_for(*, actor: Membership | ApiKey, brand_id) -> Brand:
    """One brand the actor may see, archived or not; 404 otherwise."""
    return get_visible_or_404(
        brands_visible_to(actor, include_archived=True), brand_id, actor=actor
    )


# --- Brand profile ---------------------------------------------------------------------------


def _brand_children(model, actor: Membership | ApiKey, *, brand_id=None) -> QuerySet:
    """Rows of a brand's child model that the actor may see (client roles: their brands)."""
    queryset = model.objects.visible_to(actor)
    if brand_id is not None:
        queryset = queryset.filter(brand_id=brand_id)
    return queryset


def brand_guidelines_of(*, brand: Brand) -> BrandGuidelines:
    """The brand's guidelines, or an unsaved empty set when nobody wrote them yet."""
    found = BrandGuidelines.objects.filter(agency_id=brand.agency_id, brand=brand).first()
    return found or BrandGuidelines(agency_id=brand.agency_id, brand=brand)


def personas_visible_to(actor, *, brand_id=None) -> QuerySet[Persona]:
    return _brand_children(Persona, actor, brand_id=brand_id).order_by("name", "id")


def persona_get_for(*, actor, persona_id) -> Persona:
    return get_visible_or_404(
        personas_visible_to(actor).select_related("brand"), persona_id, actor=actor
    )


def competitors_visible_to(actor, *, brand_id=None) -> QuerySet[Competitor]:
    return _brand_children(Competitor, actor, brand_id=brand_id).order_by("name", "id")


def competitor_get_for(*, actor, competitor_id) -> Competitor:
    return get_visible_or_404(
        competitors_visible_to(actor).select_related("brand"), competitor_id, actor=actor
    )


def client_contacts_visible_to(actor, *, brand_id=None) -> QuerySet[ClientContact]:
    return _brand_children(ClientContact, actor, brand_id=brand_id).order_by("name", "id")


def client_contact_get_for(*, actor, client_contact_id) -> ClientContact:
    return get_visible_or_404(
        client_contacts_visible_to(actor).select_related("brand"), client_contact_id, actor=actor
    )


# --- Connected social accounts ---------------------------------------------------------------


def social_accounts_visible_to(actor, *, brand_id=None) -> QuerySet[SocialAccount]:
    return (
        _brand_children(SocialAccount, actor, brand_id=brand_id)
        .select_related("connected_by")
        .order_by("network", "handle", "id")
    )


def social_account_get_for(*, actor, social_account_id) -> SocialAccount:
    return get_visible_or_404(
        social_accounts_visible_to(actor).select_related("brand"), social_account_id, actor=actor
    )


def brand_manager_user_ids(*, brand: Brand) -> list[int]:
    """People to tell when something needs doing on a brand: owners, admins, account managers."""
    return list(
        Membership.objects.filter(
            agency_id=brand.agency_id, role__in=[Role.OWNER, Role.ADMIN, Role.MANAGER]
        ).values_list("user_id", flat=True)
    )


def social_accounts_due_for_refresh_across_agencies(
    *, within: timedelta
) -> QuerySet[SocialAccount]:
    """Connected accounts of EVERY agency whose token expires within `within` (the refresh
    dispatcher's list). Spans agencies on purpose; only (id, agency_id) are needed."""
    return (
        SocialAccount.unscoped.filter(
            status=AccountStatus.CONNECTED,
            expires_at__isnull=False,
            expires_at__lte=timezone.now() + within,
            network__in=REFRESHABLE_NETWORKS,
        )
        .order_by("expires_at")
        .values_list("pk", "agency_id")
    )


# Networks whose adapter can renew a token (Mastodon tokens do not expire).
REFRESHABLE_NETWORKS = tuple(
    network.value for network, adapter in ADAPTERS.items() if adapter.capabilities.token_refresh
)


# --- Connection links (clients/services/connection_links.py) --------------------------------


def connection_links_of_brand(*, actor: Membership, brand_id: int) -> QuerySet[ConnectionLink]:
    """The brand's connection links, newest first, with what each connected."""
    return (
        ConnectionLink.objects.visible_to(actor)
        .filter(brand_id=brand_id)
        .select_related("created_by")
        .prefetch_related(
            Prefetch(
                "uses",
                queryset=ConnectionLinkUse.objects.select_related("social_account").order_by(
                    "used_at"
                ),
            )
        )
        .order_by("-created_at", "-id")
    )


def connection_link_get_for(*, actor: Membership, connection_link_id) -> ConnectionLink:
    """One connection link the actor may see; 404 otherwise (another agency's too)."""
    return get_visible_or_404(
        ConnectionLink.objects.select_related("brand"), connection_link_id, actor=actor
    )
