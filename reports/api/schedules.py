"""Report schedules of brands (a client: read, their brands only)."""

from __future__ import annotations

from rest_framework import mixins, status
from rest_framework.response import Response

from agency import permissions
from agency.api.base import TenantViewSet
from reports.api.serializers import ReportScheduleSerializer
from reports.models import ReportSchedule
from reports.services.schedules import schedule_create, schedule_delete, schedule_update


class ReportScheduleViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, TenantViewSet):
    """When each brand's report is made and e-mailed (an hour of the brand's clock), to whom."""

    model = ReportSchedule
    serializer_class = ReportScheduleSerializer
    filterset_fields = ["brand", "template", "active"]
    required_actions = {
        "list": permissions.REPORTS_VIEW,
        "retrieve": permissions.REPORTS_VIEW,
        "create": permissions.REPORTS_MANAGE,
        "update": permissions.REPORTS_MANAGE,
        "partial_update": permissions.REPORTS_MANAGE,
        "destroy": permissions.REPORTS_MANAGE,
    }

    def scope_queryset(self, queryset):
        return queryset.select_related("brand", "template").order_by("brand_id", "id")

    def create(self, request):
        data = self.get_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        schedule = schedule_create(actor=request.actor, **data.validated_data)
        return Response(self.get_serializer(schedule).data, status=status.HTTP_201_CREATED)

    def update(self, request, pk=None, partial=False):
        schedule = self.get_object()
        data = self.get_serializer(schedule, data=request.data, partial=partial)
        data.is_valid(raise_exception=True)
        changes = dict(data.validated_data)
        changes.pop("brand", None)  # a schedule stays with its brand
        schedule = schedule_update(actor=request.actor, schedule=schedule, **changes)
        return Response(self.get_serializer(schedule).data)

    def partial_update(self, request, pk=None):
        return self.update(request, pk=pk, partial=True)

    def destroy(self, request, pk=None):
        schedule_delete(actor=request.actor, schedule=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)
