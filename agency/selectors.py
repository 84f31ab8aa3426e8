"""Reads of tenancy data. Fetch-by-id helpers answer 404 for "missing" and "not yours" alike."""

import datetime as dt
import hmac
import zoneinfo

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from agency.hashing import secret_hash
from agency.models import (
    Agency,
    ApiKey,
    AuditEvent,
    BrandAccess,
    Invitation,
    Membership,
)


def memberships_of_user_across_agencies(user) -> QuerySet[Membership]:
    """Every agency a person belongs to. Spans agencies by design: it is the switcher's list."""
    return Membership.unscoped.filter(user=user).select_related("agency").order_by("agency__name")


def membership_for(user, agency_id: int | None) -> Membership | None:
    """The person's membership in the given agency, or their first agency when none is given."""
    memberships = memberships_of_user_across_agencies(user)
    if agency_id is not None:
        found = memberships.filter(agency_id=agency_id).first()
        if found is not None:
            return found
    return memberships.first()


def portal_membership_for(user, agency_id: int) -> Membership | None:
    """The person's membership in exactly this agency (its portal domain), or None: never
    another of their agencies instead."""
    return memberships_of_user_across_agencies(user).filter(agency_id=agency_id).first()


def members_list(*, agency: Agency) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(agency=agency)
        .select_related("user")
        .prefetch_related(
            Prefetch(
                "brand_accesses",
                queryset=BrandAccess.objects.filter(agency=agency).select_related("brand"),
            )
        )
        .order_by("user__email")
    )


def membership_get_for(*, agency: Agency, membership_id) -> Membership:
    found = members_list(agency=agency).filter(pk=membership_id).first()
    if found is None:
        raise Http404
    return found


def invitations_list(*, agency: Agency) -> QuerySet[Invitation]:
    return (
        Invitation.objects.filter(agency=agency)
        .select_related("invited_by")
        .prefetch_related("brands")
        .order_by("-created_at", "-id")
    )


def invitation_get_for(*, agency: Agency, invitation_id) -> Invitation:
    found = invitations_list(agency=agency).filter(pk=invitation_id).first()
    if found is None:
        raise Http404
    return found


def invitation_get_by_token_across_agencies(
    token: str, *, for_update: bool = False
) -> Invitation | None:
    """Find an invitation from the token in its link. Spans agencies: the guest has none yet."""
    token_hash = secret_hash(token)
    queryset = Invitation.unscoped.select_related("agency")
    if for_update:
        queryset = queryset.select_for_update(of=("self",))
    return queryset.filter(token_hash=token_hash).first()


def api_keys_list(*, agency: Agency) -> QuerySet[ApiKey]:
    return (
        ApiKey.objects.filter(agency=agency)
        .select_related("created_by")
        .order_by("-created_at", "-id")
    )


def api_key_get_for(*, agency: Agency, api_key_id) -> ApiKey:
    found = api_keys_list(agency=agency).filter(pk=api_key_id).first()
    if found is None:
        raise Http404
    return found


def api_key_get_by_secret_across_agencies(secret: str) -> ApiKey | None:
    """Authentication look-up: spans agencies, since the key is what names the agency."""
    parts = secret.split("_")
    if len(parts) < 3 or parts[0] != "ak":
        return None
    key = ApiKey.unscoped.select_related("agency").filter(prefix=parts[1]).first()
    if key is None:
        return None
    if not hmac.compare_digest(key.key_hash, secret_hash(secret)):
        return None
    return key


def audit_events_list(
    *,
    agency: Agency,
    verb: str | None = None,
    actor_id: int | None = None,
    since=None,
    until=None,
) -> QuerySet[AuditEvent]:
    queryset = AuditEvent.objects.filter(agency=agency).select_related("actor")
    if verb:
        queryset = queryset.filter(verb__startswith=verb)
    if actor_id:
        queryset = queryset.filter(actor_id=actor_id)
    if since:
        queryset = queryset.filter(created_at__gte=since)
    if until:
        queryset = queryset.filter(created_at__lt=until)
    return queryset.order_by("-created_at", "-id")


def audit_events_on_days(
    *,
    agency: Agency,
    verb: str | None = None,
    actor_id: int | None = None,
    since_day: dt.date | None = None,
    until_day: dt.date | None = None,
) -> QuerySet[AuditEvent]:
    """The audit log from the start of `since_day` to the end of `until_day` (both included),
    days being the agency's: what a person means by "from the 3rd to the 5th"."""
    tz = zoneinfo.ZoneInfo(agency.time_zone)

    def start_of(day: dt.date | None) -> dt.datetime | None:
        return None if day is None else dt.datetime.combine(day, dt.time.min, tzinfo=tz)

    return audit_events_list(
        agency=agency,
        verb=verb,
        actor_id=actor_id,
        since=start_of(since_day),
        # The end date is included: up to the start of the next day.
        until=start_of(until_day + dt.timedelta(days=1)) if until_day else None,
    )


def audit_verbs(*, agency: Agency) -> list[str]:
    return list(
        AuditEvent.objects.filter(agency=agency)
        .values_list("verb", flat=True)
        .distinct()
        .order_by("verb")
    )
