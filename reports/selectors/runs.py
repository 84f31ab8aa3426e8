"""Reads of report schedules and runs: what an actor sees (a client: their brands), fetch by id
with one 404 for "missing" and "not yours", the recipients of a schedule, and the web version's
signed token."""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from agency.models import ApiKey, Membership
from agency.tenancy import tenant_scope
from agency.visibility import get_visible_or_404
from clients.models import ClientContact
from reports.models import ContactRecipients, ReportRun, ReportSchedule
from reports.states import RunState

Actor = Membership | ApiKey

RUN_LINK_SALT = "reports.run-web"


def schedules_of(actor: Actor, *, brand_id=None) -> QuerySet[ReportSchedule]:
    queryset = ReportSchedule.objects.visible_to(actor).select_related("brand", "template")
    if brand_id:
        queryset = queryset.filter(brand_id=brand_id)
    return queryset.order_by("brand__name", "id")


def schedule_get_for(*, actor: Actor, schedule_id) -> ReportSchedule:
    return get_visible_or_404(schedules_of(actor), schedule_id, actor=actor)


def runs_of(actor: Actor, *, brand_id=None) -> QuerySet[ReportRun]:
    queryset = ReportRun.objects.visible_to(actor).select_related("brand", "requested_by")
    if brand_id:
        queryset = queryset.filter(brand_id=brand_id)
    return queryset.order_by("-created_at", "-id")


def run_get_for(*, actor: Actor, run_id) -> ReportRun:
    return get_visible_or_404(
        runs_of(actor).select_related("template", "schedule", "brand__agency"), run_id, actor=actor
    )


def schedule_recipients(schedule: ReportSchedule) -> list[str]:
    """Who a schedule's report goes to: the brand's client contacts it names (all, or the
    approvers) and its other addresses, each once, lower-cased, in that order."""
    emails: list[str] = []
    if schedule.contacts != ContactRecipients.NONE:
        contacts = ClientContact.objects.filter(brand_id=schedule.brand_id)
        if schedule.contacts == ContactRecipients.APPROVERS:
            contacts = contacts.filter(is_approver=True)
        emails.extend(email.lower() for email in contacts.values_list("email", flat=True))
    emails.extend(schedule.extra_recipients or [])
    return list(dict.fromkeys(emails))


# --- The web version's signed link ----------------------------------------------------------


def run_token(run: ReportRun) -> str:
    """The signed token of the run's web version (names the run and its agency)."""
    return signing.dumps({"r": run.pk, "a": run.agency_id}, salt=RUN_LINK_SALT)


def run_web_url(run: ReportRun) -> str:
    path = reverse("reports:run_web", kwargs={"token": run_token(run)})
    return settings.SITE_URL.rstrip("/") + path


class RunLinkUnusable(Exception):
    """The token is tampered with or names no finished run (404), or its time is over (410)."""

    def __init__(self, reason: str, status: int = 404):
        super().__init__(reason)
        self.reason = reason
        self.status = status


def run_from_token(token: str) -> ReportRun:
    """The finished run behind a web-version token, read in the agency the token names."""
    try:
        payload = signing.loads(token, salt=RUN_LINK_SALT)
    except signing.BadSignature:
        raise RunLinkUnusable(_("This link is not valid.")) from None
    agency_id = payload.get("a") if isinstance(payload, dict) else None
    run_id = payload.get("r") if isinstance(payload, dict) else None
    if not isinstance(agency_id, int) or not isinstance(run_id, int):
        raise RunLinkUnusable(_("This link is not valid."))
    with tenant_scope(agency_id):
        run = (
            ReportRun.objects.select_related("brand", "agency", "template")
            .filter(pk=run_id, state=RunState.DONE)
            .first()
        )
    if run is None:
        raise RunLinkUnusable(_("This link is not valid."))
    if run.link_expires_at is None or run.link_expires_at <= timezone.now():
        raise RunLinkUnusable(
            _("This link has expired. Ask your agency for the report again."), status=410
        )
    return run
