"""The agency's report templates: listed for everyone with ``reports.view`` (each opens the
report of the brands the reader sees), written by the team (``reports.manage``)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agency import permissions
from agency.views.common import attach_errors, require_action
from reports.forms import ReportTemplateForm
from reports.models import ReportTemplate
from reports.selectors import templates as selectors
from reports.services.templates import (
    report_template_create,
    report_template_delete,
    report_template_update,
)


@require_action(permissions.REPORTS_VIEW)
def template_list(request: HttpRequest) -> HttpResponse:
    actor = request.membership
    return render(
        request,
        "reports/template_list.html",
        {
            "templates": list(selectors.templates_visible_to(actor)[:200]),
            "brands": list(selectors.report_brands(actor)[:500]),
            "can_manage": permissions.can(actor, permissions.REPORTS_MANAGE),
        },
    )


def _template_form(request: HttpRequest, instance: ReportTemplate | None) -> HttpResponse:
    actor = request.membership
    form = ReportTemplateForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        try:
            if instance is None:
                report_template_create(actor=actor, agency=request.agency, **form.template_fields())
            else:
                report_template_update(actor=actor, template=instance, **form.template_fields())
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("Report template saved."))
            return redirect("reports:template_list")
    return render(request, "reports/template_form.html", {"form": form, "instance": instance})


@require_action(permissions.REPORTS_MANAGE)
def template_create(request: HttpRequest) -> HttpResponse:
    return _template_form(request, None)


@require_action(permissions.REPORTS_MANAGE)
def template_edit(request: HttpRequest, report_template_id: int) -> HttpResponse:
    template = selectors.template_get_for(
        actor=request.membership, report_template_id=report_template_id
    )
    return _template_form(request, template)


@require_action(permissions.REPORTS_MANAGE)
@require_POST
def template_delete(request: HttpRequest, report_template_id: int) -> HttpResponse:
    actor = request.membership
    template = selectors.template_get_for(actor=actor, report_template_id=report_template_id)
    report_template_delete(actor=actor, template=template)
    messages.success(request, _("Report template deleted."))
    return redirect("reports:template_list")
