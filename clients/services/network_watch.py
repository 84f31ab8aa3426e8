"""The network rules watch: deprecation signals recorded, retirement warnings sent once.

Every adapter the product builds (clients.adapters) hands the deprecation signals of the
networks' answers to :func:`deprecation_record`. Once a day (beat, clients.tasks) the owners
and admins of every agency with connected accounts of a network whose API version retires are
warned 60, 30 and 7 days before: :func:`api_retirements_warn_across_agencies`, once per
threshold (an ``ApiRetirementWarning`` row under a unique constraint, written in the same
transaction as the alert).
"""

from __future__ import annotations

import logging
from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.db.models import Count, F
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from agency.models import Agency, Role, User
from agency.tenancy import tenant_scope
from clients.models import AccountStatus, ApiDeprecationNotice, ApiRetirementWarning, SocialAccount
from clients.selectors import NetworkApiStatus, network_api_statuses
from networks.deprecation import DeprecationSignal
from notifications.models import AlertKind, AlertSeverity
from notifications.services import alert_send

logger = logging.getLogger(__name__)

# Days before the retirement at which the admins are warned, each once.
THRESHOLDS = (60, 30, 7)

# Where a deployment pins the version (named in the warning: what to change).
PINNED_BY = {
    "facebook": "META_GRAPH_API_VERSION",
    "instagram": "META_GRAPH_API_VERSION",
    "linkedin": "LINKEDIN_API_VERSION",
    "linkedin_profile": "LINKEDIN_API_VERSION",
}


def deprecation_record(signal: DeprecationSignal, *, now: datetime | None = None) -> None:
    """Count one signal: a new notice the first time, then ``count`` and ``last_seen``.

    Called from inside a network call, whatever transaction the caller holds: a savepoint
    keeps a failure here from breaking the caller's transaction (networks.deprecation logs it).
    """
    now = now or timezone.now()
    key = {
        "network": signal.network[:20],
        "api_version": signal.api_version[:30],
        "kind": signal.kind,
        "message": signal.message[:500],
    }
    changes: dict = {"count": F("count") + 1, "last_seen": now}
    if signal.sunset:
        changes["sunset"] = signal.sunset
    with transaction.atomic():
        if ApiDeprecationNotice.objects.filter(**key).update(**changes):
            return
        try:
            with transaction.atomic():
                ApiDeprecationNotice.objects.create(
                    **key, sunset=signal.sunset, first_seen=now, last_seen=now
                )
        except IntegrityError:  # another process recorded it first
            ApiDeprecationNotice.objects.filter(**key).update(**changes)


def threshold_for(days_left: int) -> int | None:
    """The warning due ``days_left`` days before the retirement (the nearest threshold not
    yet passed; past the date, still the last one), or None when none is due yet."""
    for threshold in sorted(THRESHOLDS):
        if days_left <= threshold:
            return threshold
    return None


def api_retirements_warn_across_agencies(*, today: date | None = None) -> int:
    """Warn, once per threshold, the admins of every agency with connected accounts of a
    network whose API version retires soon. Returns the number of agencies warned."""
    today = today or timezone.localdate()
    warned = 0
    for status in network_api_statuses(today=today):
        if status.days_left is None:
            continue
        threshold = threshold_for(status.days_left)
        if threshold is None:
            continue
        accounts = (
            SocialAccount.unscoped.filter(network=status.network, status=AccountStatus.CONNECTED)
            .values("agency_id")
            .annotate(accounts=Count("id"))
        )
        for row in accounts:
            agency = Agency.objects.get(pk=row["agency_id"])
            if _warn(agency, status, threshold, row["accounts"]):
                warned += 1
    return warned


def _warn(agency: Agency, status: NetworkApiStatus, threshold: int, accounts: int) -> bool:
    """One agency's warning for one threshold, in one transaction with its record."""
    assert status.retires_on is not None and status.days_left is not None
    with tenant_scope(agency), transaction.atomic():
        _, created = ApiRetirementWarning.objects.get_or_create(
            agency=agency,
            network=status.network,
            api_version=status.api_version[:30],
            threshold_days=threshold,
            defaults={"retires_on": status.retires_on},
        )
        if not created:
            return False
        admins = User.objects.filter(
            memberships__agency=agency, memberships__role__in=[Role.OWNER, Role.ADMIN]
        )
        with translation.override(agency.language):
            alert_send(
                agency=agency,
                recipients=admins,
                kind=AlertKind.NETWORK_API_RETIRING,
                message=_warning_text(status, accounts),
                url=reverse("publishing:network_status"),
                severity=AlertSeverity.CRITICAL if threshold <= 7 else AlertSeverity.HIGH,
            )
    logger.info(
        "warned agency %s: %s %s retires on %s (%s-day threshold)",
        agency.pk,
        status.network,
        status.api_version,
        status.retires_on,
        threshold,
    )
    return True


def _warning_text(status: NetworkApiStatus, accounts: int) -> str:
    params = {
        "network": status.display_name,
        "version": status.api_version,
        "date": status.retires_on.isoformat() if status.retires_on else "",
        "days": status.days_left,
        "accounts": accounts,
    }
    if status.days_left is not None and status.days_left < 0:
        text = _(
            "%(network)s retired API version %(version)s on %(date)s; %(accounts)s connected "
            "account(s) of the agency depend on it."
        )
    else:
        text = _(
            "%(network)s retires API version %(version)s on %(date)s, in %(days)s days; "
            "%(accounts)s connected account(s) of the agency depend on it."
        )
    setting = PINNED_BY.get(status.network)
    if setting:
        action = _("The platform's administrator must raise %(setting)s before then.") % {
            "setting": setting
        }
    else:
        action = _("The product must be updated before then.")
    return f"{text % params} {action}"
