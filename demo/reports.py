"""The demo's client reports: the agency's monthly template, a schedule for Café Zellige on
the first of each month, and one report of last month asked for now, so the first `make run`
has a report in the history as soon as the worker has made it (a minute or so)."""

from __future__ import annotations

from agency.tenancy import tenant_scope
from reports.models import ReportTemplate
from reports.services.runs import run_request
from reports.services.schedules import schedule_create
from reports.services.templates import report_template_create

TEMPLATE_NAME = "Rapport mensuel client"
COMMENTARY = (
    "Ce mois-ci, la nouvelle carte d'automne a porté l'engagement sur Instagram. "
    "Nous proposons de poursuivre les jeux en commentaire et de préparer l'ouverture de Tanger."
)


def reports_seed(agency, owner_membership, brands: dict) -> int:
    """The template, the schedule and a first run, the first time only."""
    with tenant_scope(agency):
        if ReportTemplate.objects.filter(name=TEMPLATE_NAME).exists():
            return 0
        template = report_template_create(
            actor=owner_membership, agency=agency, name=TEMPLATE_NAME, commentary=COMMENTARY
        )
        brand = brands["cafe-zellige"]
        schedule_create(
            actor=owner_membership, brand=brand, template=template, day_of_month=1, hour=9
        )
        run_request(actor=owner_membership, brand=brand, template=template)
    return 3
