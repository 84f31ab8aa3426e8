"""Reads of the notification centre. Fetch-by-id answers 404 for "missing" and "not yours"."""

from django.db.models import QuerySet
from django.http import Http404

from agency.models import Agency
from notifications.models import EmailState, Notification


def notifications_list(*, agency: Agency, user) -> QuerySet[Notification]:
    """One person's notifications in one agency, newest first."""
    return Notification.objects.filter(agency=agency, recipient=user).order_by("-created_at", "-id")


def notification_get_for(*, agency: Agency, user, notification_id) -> Notification:
    found = notifications_list(agency=agency, user=user).filter(pk=notification_id).first()
    if found is None:
        raise Http404
    return found


def notifications_unread_count(*, agency: Agency, user) -> int:
    return notifications_list(agency=agency, user=user).filter(read_at__isnull=True).count()


def digest_agency_ids_across_agencies() -> list[int]:
    """Agencies with alerts waiting for a digest: the hourly dispatcher's query, which spans
    agencies by design (each agency's digests are then sent in its own tenant scope)."""
    return sorted(
        set(
            Notification.unscoped.filter(email_state=EmailState.DIGEST).values_list(
                "agency_id", flat=True
            )
        )
    )
