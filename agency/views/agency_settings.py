"""The agency's settings page: name, time zone, language, two-factor rule, and its branding
(logo, colours, white label, report font, portal domain)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from agency import permissions
from agency.forms import AgencySettingsForm
from agency.services import agencies as services
from agency.views.common import attach_errors, require_action


@require_action(permissions.AGENCY_EDIT)
def settings_agency(request: HttpRequest) -> HttpResponse:
    agency = request.agency
    if request.method == "POST":
        form = AgencySettingsForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.agency_update(actor=request.membership, agency=agency, **form.changes())
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, _("The agency's settings are saved."))
                return redirect("dashboard:settings_agency")
    else:
        form = AgencySettingsForm(
            initial={
                "name": agency.name,
                "time_zone": agency.time_zone,
                "language": agency.language,
                "logo": agency.logo,
                "primary_colour": agency.primary_colour,
                "accent_colour": agency.accent_colour,
                "white_label": agency.white_label,
                "report_font": agency.report_font,
                "portal_domain": agency.portal_domain,
                "require_two_factor": agency.require_two_factor,
            }
        )
    return render(request, "dashboard/settings/agency.html", {"form": form})
