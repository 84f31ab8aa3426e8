"""The agency's report templates: create, change, delete (the API's writes; every rule of
the model, its constraints included, is checked before anything is saved)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from agency import permissions
from agency.models import Agency
from agency.services.audit import audit_record
from campaigns.services.access import Actor, require, user_of
from reports.models import ReportTemplate

TEMPLATE_FIELDS = (
    "name",
    "sections",
    "commentary",
    "period_kind",
    "period_days",
    "compare",
    "language",
)


def _save(template: ReportTemplate) -> None:
    template.name = (template.name or "").strip()
    if not template.name:
        raise ValidationError({"name": _("Give the template a name.")})
    template.full_clean()  # fields, sections, the period's days and the unique name
    template.save()


@transaction.atomic
def report_template_create(*, actor: Actor, agency: Agency, **fields) -> ReportTemplate:
    require(actor, permissions.REPORTS_MANAGE)
    unknown = set(fields) - set(TEMPLATE_FIELDS)
    if unknown:
        raise ValidationError({sorted(unknown)[0]: _("This field cannot be set.")})
    template = ReportTemplate(agency=agency, created_by=user_of(actor), **fields)
    _save(template)
    audit_record(agency=agency, actor=actor, verb="report_template.created", target=template)
    return template


@transaction.atomic
def report_template_update(*, actor: Actor, template: ReportTemplate, **changes) -> ReportTemplate:
    require(actor, permissions.REPORTS_MANAGE)
    unknown = set(changes) - set(TEMPLATE_FIELDS)
    if unknown:
        raise ValidationError({sorted(unknown)[0]: _("This field cannot be changed.")})
    for field, value in changes.items():
        setattr(template, field, value)
    _save(template)
    audit_record(
        agency=template.agency,
        actor=actor,
        verb="report_template.changed",
        target=template,
        data={"fields": sorted(changes)},
    )
    return template


@transaction.atomic
def report_template_delete(*, actor: Actor, template: ReportTemplate) -> None:
    """Delete a template and its schedules; the runs made from it stay (with its name)."""
    require(actor, permissions.REPORTS_MANAGE)
    audit_record(
        agency=template.agency, actor=actor, verb="report_template.deleted", target=template
    )
    template.delete()
