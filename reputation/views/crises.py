"""Dashboard pages of crises: the incident list, an incident (chart, mentions, timeline,
state changes) and a brand's crisis rule. Each view calls one service or selector."""

import zoneinfo

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agency import permissions
from agency.views.common import (
    attach_errors,
    current_brand_id,
    paginate,
    refusal_messages,
    require_action,
)
from reputation.charts import incident_chart
from reputation.forms import CrisisRuleForm, NoteForm, ResolveForm
from reputation.selectors.crises import (
    crisis_rule_for,
    incident_get_for,
    incident_mentions,
    incident_series,
    incident_timeline,
    incidents_list,
)
from reputation.selectors.listening import agency_team, agency_user
from reputation.services.crises import (
    crisis_incident_acknowledge,
    crisis_incident_assign,
    crisis_incident_note,
    crisis_incident_resolve,
    crisis_rule_update,
)

view_required = require_action(permissions.CRISES_VIEW)
manage_required = require_action(permissions.CRISES_MANAGE)


@view_required
def incidents(request: HttpRequest) -> HttpResponse:
    state = request.GET.get("state", "active")
    items = incidents_list(request.membership, state=state, brand_id=current_brand_id(request))
    return render(request, "crises/list.html", {"page": paginate(request, items), "state": state})


@view_required
def incident(request: HttpRequest, crisis_incident_id: int) -> HttpResponse:
    found = incident_get_for(actor=request.membership, crisis_incident_id=crisis_incident_id)
    tz = zoneinfo.ZoneInfo(request.agency.time_zone)
    return render(
        request,
        "crises/incident.html",
        {
            "incident": found,
            "chart": incident_chart(incident_series(incident=found, tz=tz), found),
            "mentions": paginate(request, incident_mentions(found)),
            "events": incident_timeline(actor=request.membership, incident=found),
            "resolve_form": ResolveForm(),
            "note_form": NoteForm(),
            "team": agency_team(request.membership),
            "can_manage": permissions.can(request.membership, permissions.CRISES_MANAGE),
        },
    )


def _act(request, crisis_incident_id, action):
    found = incident_get_for(actor=request.membership, crisis_incident_id=crisis_incident_id)
    try:
        action(found)
    except ValidationError as exc:
        for message in refusal_messages(exc):
            messages.error(request, message)
    return redirect("dashboard:crisis_incident", crisis_incident_id=found.pk)


@manage_required
@require_POST
def incident_acknowledge(request: HttpRequest, crisis_incident_id: int) -> HttpResponse:
    return _act(
        request,
        crisis_incident_id,
        lambda found: crisis_incident_acknowledge(actor=request.membership, incident=found),
    )


@manage_required
@require_POST
def incident_resolve(request: HttpRequest, crisis_incident_id: int) -> HttpResponse:
    form = ResolveForm(request.POST)
    summary = form.data.get("summary", "")
    return _act(
        request,
        crisis_incident_id,
        lambda found: crisis_incident_resolve(
            actor=request.membership, incident=found, summary=summary
        ),
    )


@manage_required
@require_POST
def incident_note(request: HttpRequest, crisis_incident_id: int) -> HttpResponse:
    text = request.POST.get("text", "")
    return _act(
        request,
        crisis_incident_id,
        lambda found: crisis_incident_note(actor=request.membership, incident=found, text=text),
    )


@manage_required
@require_POST
def incident_assign(request: HttpRequest, crisis_incident_id: int) -> HttpResponse:
    owner = None
    if request.POST.get("owner"):
        owner = agency_user(request.membership, user_id=request.POST["owner"])

    def assign(found):
        if request.POST.get("owner") and owner is None:
            raise ValidationError(_("Choose a member of the agency's team."))
        crisis_incident_assign(actor=request.membership, incident=found, owner=owner)

    return _act(request, crisis_incident_id, assign)


@manage_required
def rule(request: HttpRequest, brand_id: int) -> HttpResponse:
    from clients.selectors import brand_get_for

    brand = brand_get_for(actor=request.membership, brand_id=brand_id)
    current = crisis_rule_for(brand=brand)
    initial = {"extra_trigger_words": ", ".join(current.extra_trigger_words or [])}
    form = CrisisRuleForm(request.POST or None, instance=current, initial=initial)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.fields}
        try:
            crisis_rule_update(actor=request.membership, brand=brand, **fields)
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(
                request, _("The crisis rule of %(brand)s is saved.") % {"brand": brand.name}
            )
            return redirect("dashboard:crisis_rule", brand_id=brand.pk)
    return render(request, "crises/rule.html", {"form": form, "brand": brand})
