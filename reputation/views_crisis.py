"""Dashboard pages of crises: the incident list, an incident (chart, mentions, timeline,
state changes) and a brand's crisis rule. Each view calls one service or selector."""

import zoneinfo

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from agency import permissions
from agency.models import CLIENT_ROLES, Membership
from agency.views import _attach, _messages_of, _page, require_action
from reputation import crisis
from reputation.models import CrisisRule, CrisisState, Mention

view_required = require_action(permissions.CRISES_VIEW)
manage_required = require_action(permissions.CRISES_MANAGE)


@view_required
def incidents(request: HttpRequest) -> HttpResponse:
    items = crisis.incidents_visible_to(request.membership)
    state = request.GET.get("state", "active")
    if state == "active":
        items = items.exclude(state=CrisisState.RESOLVED)
    elif state in CrisisState.values:
        items = items.filter(state=state)
    brand_id = request.session.get("current_brand_id")
    if brand_id:
        items = items.filter(brand_id=brand_id)
    return render(request, "crises/list.html", {"page": _page(request, items), "state": state})


def _chart(series, incident) -> dict:
    """An inline SVG chart: hourly volume and negative mentions, the opening marked."""
    width, height, pad = 720, 180, 24
    peak = max([volume for _, volume, _ in series] + [1])
    step = (width - 2 * pad) / max(len(series) - 1, 1)

    def points(index):
        return " ".join(
            f"{pad + i * step:.1f},{height - pad - (row[index] / peak) * (height - 2 * pad):.1f}"
            for i, row in enumerate(series)
        )

    opened_x = None
    for i, (hour, _v, _n) in enumerate(series):
        if hour <= incident.opened_at < hour.replace(minute=59, second=59):
            opened_x = pad + i * step
    return {
        "width": width,
        "height": height,
        "volume": points(1),
        "negative": points(2),
        "opened_x": opened_x,
        "peak": peak,
        "first": series[0][0] if series else None,
        "last": series[-1][0] if series else None,
    }


class ResolveForm(forms.Form):
    summary = forms.CharField(
        label=gettext_lazy("Closing summary"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("What happened, what was done, what to watch."),
    )


class NoteForm(forms.Form):
    text = forms.CharField(label=gettext_lazy("Note"), widget=forms.Textarea(attrs={"rows": 2}))


@view_required
def incident(request: HttpRequest, crisis_incident_id: int) -> HttpResponse:
    found = crisis.incident_get_for(actor=request.membership, crisis_incident_id=crisis_incident_id)
    tz = zoneinfo.ZoneInfo(request.agency.time_zone)
    series = crisis.incident_series(incident=found, tz=tz)
    mention_ids = found.incident_mentions.values("mention_id")
    mentions = (
        Mention.objects.filter(pk__in=mention_ids)
        .select_related("author", "source")
        .order_by("-published_at")
    )
    team = (
        Membership.objects.filter(agency=request.agency)
        .exclude(role__in=CLIENT_ROLES)
        .select_related("user")
        .order_by("user__email")
    )
    return render(
        request,
        "crises/incident.html",
        {
            "incident": found,
            "chart": _chart(series, found),
            "mentions": _page(request, mentions),
            "events": crisis.incident_timeline(actor=request.membership, incident=found),
            "resolve_form": ResolveForm(),
            "note_form": NoteForm(),
            "team": team,
            "can_manage": permissions.can(request.membership, permissions.CRISES_MANAGE),
        },
    )


def _act(request, crisis_incident_id, action):
    found = crisis.incident_get_for(actor=request.membership, crisis_incident_id=crisis_incident_id)
    try:
        action(found)
    except ValidationError as exc:
        for message in _messages_of(exc):
            messages.error(request, message)
    return redirect("dashboard:crisis_incident", crisis_incident_id=found.pk)


@manage_required
@require_POST
def incident_acknowledge(request: HttpRequest, crisis_incident_id: int) -> HttpResponse:
    return _act(
        request,
        crisis_incident_id,
        lambda found: crisis.crisis_incident_acknowledge(actor=request.membership, incident=found),
    )


@manage_required
@require_POST
def incident_resolve(request: HttpRequest, crisis_incident_id: int) -> HttpResponse:
    form = ResolveForm(request.POST)
    summary = form.data.get("summary", "")
    return _act(
        request,
        crisis_incident_id,
        lambda found: crisis.crisis_incident_resolve(
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
        lambda found: crisis.crisis_incident_note(
            actor=request.membership, incident=found, text=text
        ),
    )


@manage_required
@require_POST
def incident_assign(request: HttpRequest, crisis_incident_id: int) -> HttpResponse:
    owner = None
    if request.POST.get("owner"):
        member = (
            Membership.objects.filter(agency=request.agency, user_id=request.POST["owner"])
            .select_related("user")
            .first()
        )
        owner = member.user if member else None

    def assign(found):
        if request.POST.get("owner") and owner is None:
            raise ValidationError(_("Choose a member of the agency's team."))
        crisis.crisis_incident_assign(actor=request.membership, incident=found, owner=owner)

    return _act(request, crisis_incident_id, assign)


class CrisisRuleForm(forms.ModelForm):
    extra_trigger_words = forms.CharField(
        label=gettext_lazy("Extra trigger words"),
        required=False,
        help_text=gettext_lazy("Comma-separated, in any language."),
    )

    class Meta:
        model = CrisisRule
        fields = [
            "active",
            "volume_enabled",
            "negative_volume_enabled",
            "negative_share_enabled",
            "trigger_words_enabled",
            "high_reach_enabled",
            "p_value",
            "min_volume_short",
            "share_floor",
            "share_jump",
            "trigger_min_mentions",
            "high_reach_followers",
            "cooldown_hours",
        ]

    def clean_extra_trigger_words(self):
        raw = self.cleaned_data.get("extra_trigger_words") or ""
        return [word.strip() for word in raw.split(",") if word.strip()]


@manage_required
def rule(request: HttpRequest, brand_id: int) -> HttpResponse:
    from clients.selectors import brand_get_for

    brand = brand_get_for(actor=request.membership, brand_id=brand_id)
    current = crisis.crisis_rule_for(brand=brand)
    initial = {"extra_trigger_words": ", ".join(current.extra_trigger_words or [])}
    form = CrisisRuleForm(request.POST or None, instance=current, initial=initial)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.fields}
        try:
            crisis.crisis_rule_update(actor=request.membership, brand=brand, **fields)
        except ValidationError as exc:
            _attach(form, exc)
        else:
            messages.success(
                request, _("The crisis rule of %(brand)s is saved.") % {"brand": brand.name}
            )
            return redirect("dashboard:crisis_rule", brand_id=brand.pk)
    return render(request, "crises/rule.html", {"form": form, "brand": brand})
