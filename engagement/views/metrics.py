"""The inbox's response metrics page: per brand and per person over a date range."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from agency import permissions
from agency.views.common import require_action
from engagement.forms_metrics import MetricsRangeForm
from engagement.selectors.metrics import inbox_metrics


@require_action(permissions.INBOX_VIEW)
def inbox_metrics_page(request: HttpRequest) -> HttpResponse:
    form = MetricsRangeForm(request.GET, today=timezone.localdate())
    metrics = None
    if form.is_valid():
        metrics = inbox_metrics(
            actor=request.membership,
            start=form.cleaned_data["start"],
            end=form.cleaned_data["end"],
            brand_id=form.cleaned_data["brand"],
        )
    return render(
        request,
        "engagement/metrics.html",
        {"form": form, "metrics": metrics},
        status=200 if metrics is not None else 400,
    )
