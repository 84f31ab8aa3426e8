"""The dashboard's shell: creating an agency, switching between agencies, the overview, and the
sections that do not exist yet."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agency import permissions, selectors
from agency.brands import brands_visible_to
from agency.forms import AgencyCreateForm
from agency.services import agencies as services
from agency.views.common import attach_errors, enter_agency, member_required


def agency_create(request: HttpRequest) -> HttpResponse:
    """Create an agency: the way in for a person who belongs to none, and for a second one."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    form = AgencyCreateForm(request.POST or None)
    if form.is_valid():
        try:
            agency = services.agency_create(owner=request.user, **form.cleaned_data)
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            enter_agency(request, agency.pk)
            messages.success(request, _("%(agency)s is ready.") % {"agency": agency.name})
            return redirect("dashboard:overview")
    return render(request, "dashboard/no_agency.html", {"form": form})


@member_required
@require_POST
def agency_switch(request: HttpRequest, agency_id: int) -> HttpResponse:
    membership = get_object_or_404(
        selectors.memberships_of_user_across_agencies(request.user), agency_id=agency_id
    )
    enter_agency(request, membership.agency_id)
    messages.success(
        request, _("You are now working in %(agency)s.") % {"agency": membership.agency.name}
    )
    return redirect("dashboard:overview")


@member_required
def overview(request: HttpRequest) -> HttpResponse:
    membership, agency = request.membership, request.agency
    if membership.is_client:
        # Client approvers and viewers land on their portal (the dashboard's other pages
        # stay reachable by their links); the team keeps the overview.
        return redirect("portal:home")
    can_see_members = permissions.can(membership, permissions.MEMBERS_VIEW)
    can_see_audit = permissions.can(membership, permissions.AUDIT_VIEW)
    context = {
        "brand_count": brands_visible_to(membership).count(),
        "member_count": selectors.members_list(agency=agency).count() if can_see_members else None,
        "recent_events": (
            list(selectors.audit_events_list(agency=agency)[:8]) if can_see_audit else None
        ),
    }
    return render(request, "dashboard/overview.html", context)


# What each section will do, shown until it exists (none today: Reports is reports/).
SECTIONS: dict[str, tuple] = {}


@member_required
def section_not_ready(request: HttpRequest, section: str) -> HttpResponse:
    title, icon, description = SECTIONS[section]
    return render(
        request,
        "dashboard/section_not_ready.html",
        {"section": section, "title": title, "icon": icon, "description": description},
    )
