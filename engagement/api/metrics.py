"""Response metrics of the inbox through the API (engagement.selectors.metrics)."""

from __future__ import annotations

import datetime as dt

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from agency import permissions
from agency.api.base import TenantAPIView
from engagement.forms_metrics import MetricsRangeForm
from engagement.models import Conversation
from engagement.selectors.metrics import inbox_metrics


class InboxMetricsView(TenantAPIView):
    """Volume, share answered, first-response and resolution times (median, p90) per brand and
    per person, for conversations whose first message fell in [start, end] (agency time
    zone; default: the last 30 days). Client roles get their brands and no per-person rows."""

    model = Conversation
    required_actions = {"get": permissions.INBOX_VIEW}

    @extend_schema(
        parameters=[
            OpenApiParameter("start", OpenApiTypes.DATE),
            OpenApiParameter("end", OpenApiTypes.DATE),
            OpenApiParameter("brand", int),
        ],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request):
        form = MetricsRangeForm(request.query_params, today=dt.date.today())
        if not form.is_valid():
            # A range refused as a whole (end before start, too long) is named "range".
            raise ValidationError(
                {
                    ("range" if name == "__all__" else name): [str(m) for m in errors]
                    for name, errors in form.errors.items()
                }
            )
        return Response(
            inbox_metrics(
                actor=request.actor,
                start=form.cleaned_data["start"],
                end=form.cleaned_data["end"],
                brand_id=form.cleaned_data["brand"],
            )
        )
