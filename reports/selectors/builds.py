"""The report of a run, built again from its template, brand and period (reports.rendering),
as the person who asked for it (or an owner of the agency) sees the brand."""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext as _

from agency.models import CLIENT_ROLES, Membership, Role
from analytics.periods import Period
from reports.models import ReportRun
from reports.rendering import BuiltReport, report_build


class ReportFailure(Exception):
    """A run cannot be made; ``reason`` says why, in the agency's language."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def run_actor(run: ReportRun) -> Membership:
    """Whose view of the brand the report is made with: the member who asked for it while they
    are still in the agency, else one of its owners (a schedule's report is the team's, and
    a client's report holds all their brand's figures). A real membership, so that every
    selector narrows as it does for a person."""
    memberships = Membership.objects.filter(agency_id=run.agency_id).select_related("agency")
    if run.requested_by_id:
        asked = memberships.filter(user_id=run.requested_by_id).exclude(role__in=CLIENT_ROLES)
        found = asked.first()
        if found is not None:
            return found
    owner = memberships.filter(role=Role.OWNER).order_by("id").first()
    if owner is None:
        raise ReportFailure(_("The agency has no owner to make its reports as."))
    return owner


def run_report_build(run: ReportRun, *, actor=None) -> BuiltReport:
    """The run's report (reports.rendering): its template, brand and period, as ``actor``
    sees it (by default ``run_actor``). Raises ReportFailure when the template is gone."""
    if run.template is None:
        with translation.override(run.brand.agency.language):
            raise ReportFailure(
                _("The template of this report was deleted; start a run from another one.")
            )
    return report_build(
        actor=actor or run_actor(run),
        template=run.template,
        brand=run.brand,
        period=Period(run.period_start, run.period_end),
    )
