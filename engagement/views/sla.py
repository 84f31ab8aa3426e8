"""A brand's SLA settings page: its business hours, closed days and targets per priority, for
the people who manage the inbox (inbox.manage)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from agency import permissions
from agency.views.common import require_action
from clients.selectors import brand_get_for
from engagement.forms_sla import SlaSettingsForm
from engagement.models import ClosedDay
from engagement.selectors.sla import brand_schedule, brand_sla_targets
from engagement.services.sla_settings import brand_sla_save


@require_action(permissions.INBOX_MANAGE)
def brand_sla(request: HttpRequest, brand_id: int) -> HttpResponse:
    brand = brand_get_for(actor=request.membership, brand_id=brand_id)
    if request.method == "POST":
        form = SlaSettingsForm(request.POST)
        if form.is_valid():
            brand_sla_save(
                actor=request.membership,
                brand=brand,
                weekly=form.cleaned_data["weekly"],
                closed=form.cleaned_data["closed_days"],
                targets=form.cleaned_data["targets"],
            )
            messages.success(request, _("Response-time settings saved."))
            return redirect("dashboard:brand_sla", brand_id=brand.pk)
        status = 400
    else:
        schedule = brand_schedule(brand=brand)
        closed = ClosedDay.objects.filter(brand=brand).values_list("date", "name")
        form = SlaSettingsForm(
            initial=SlaSettingsForm.initial_from(
                weekly=schedule.weekly, closed=list(closed), targets=brand_sla_targets(brand=brand)
            )
        )
        status = 200
    return render(
        request, "engagement/brand_sla.html", {"brand": brand, "form": form}, status=status
    )
