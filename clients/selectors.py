"""Reads of brands, narrowed to what the actor may see."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from agency.models import ApiKey, Membership, Role
from agency.visibility import get_visible_or_404
from clients.models import (
    AccountStatus,
    ApiDeprecationNotice,
    Brand,
    BrandGuidelines,
    ClientContact,
    Competitor,
    ConnectionLink,
    ConnectionLinkUse,
    DeprecationKind,
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


# --- The network rules watch (docs/networks.md) ---------------------------------------------


@dataclass(frozen=True)
class NetworkApiStatus:
    """A network's API version in use, and when it retires: the published date of that
    version, or earlier where the network's own answers said so (a ``Sunset`` date, a refused
    or replaced version: then ``from_answers``)."""

    network: str
    display_name: str
    api_version: str
    retires_on: date | None
    days_left: int | None
    from_answers: bool = False


# Signals that date the version's end: a sunset date, or "this version is already gone".
_RETIRING_KINDS = (DeprecationKind.SUNSET, DeprecationKind.VERSION_REFUSED)
_GONE_KINDS = (DeprecationKind.VERSION_UPGRADED, DeprecationKind.VERSION_REFUSED)


def network_api_statuses(*, today: date) -> list[NetworkApiStatus]:
    """Every network's version in use (as this deployment's adapters are built) and its
    retirement, the earliest of the published date and what the answers recorded for it."""
    from clients.adapters import api_version_in_use

    statuses = []
    for network, adapter_class in ADAPTERS.items():
        version, published = api_version_in_use(network.value)
        notices = ApiDeprecationNotice.objects.filter(network=network.value, api_version=version)
        dates: list[tuple[date, bool]] = [(published, False)] if published else []
        for sunset in notices.filter(kind__in=_RETIRING_KINDS, sunset__isnull=False).values_list(
            "sunset", flat=True
        ):
            if sunset is not None:
                dates.append((sunset, True))
        for first_seen in notices.filter(kind__in=_GONE_KINDS, sunset__isnull=True).values_list(
            "first_seen", flat=True
        ):
            dates.append((first_seen.date(), True))
        retires_on, from_answers = min(dates) if dates else (None, False)
        statuses.append(
            NetworkApiStatus(
                network=network.value,
                display_name=adapter_class.display_name,
                api_version=version,
                retires_on=retires_on,
                days_left=(retires_on - today).days if retires_on else None,
                from_answers=from_answers,
            )
        )
    return statuses


def deprecation_notices_latest(*, limit: int = 100) -> QuerySet[ApiDeprecationNotice]:
    """What the networks' answers said about their APIs going away, newest first."""
    return ApiDeprecationNotice.objects.order_by("-last_seen", "-pk")[:limit]
