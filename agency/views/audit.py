"""The audit log page: every recorded change, filtered by kind, person and days."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from agency import permissions, selectors
from agency.forms import AuditFilterForm
from agency.views.common import paginate, require_action


@require_action(permissions.AUDIT_VIEW)
def audit_log(request: HttpRequest) -> HttpResponse:
    agency = request.agency
    form = AuditFilterForm(request.GET or None, members=selectors.members_list(agency=agency))
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    events = selectors.audit_events_on_days(
        agency=agency,
        verb=filters.get("verb") or None,
        actor_id=filters.get("actor"),
        since_day=filters.get("since"),
        until_day=filters.get("until"),
    )
    context = {
        "form": form,
        "page": paginate(request, events),
        "verbs": selectors.audit_verbs(agency=agency),
        "filtered": bool(filters and any(filters.values())),
    }
    return render(request, "dashboard/settings/audit.html", context)
