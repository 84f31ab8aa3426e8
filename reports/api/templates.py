"""The agency's report templates: everyone reads them, the team writes them."""

from __future__ import annotations

from rest_framework import mixins, status
from rest_framework.response import Response

from agency import permissions
from agency.api.base import TenantViewSet
from reports.api.serializers import ReportTemplateSerializer
from reports.models import ReportTemplate
from reports.services.templates import (
    report_template_create,
    report_template_delete,
    report_template_update,
)


class ReportTemplateViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, TenantViewSet):
    """Report templates: the sections of a report, its period and comparison, its language."""

    model = ReportTemplate
    serializer_class = ReportTemplateSerializer
    required_actions = {
        "list": permissions.REPORTS_VIEW,
        "retrieve": permissions.REPORTS_VIEW,
        "create": permissions.REPORTS_MANAGE,
        "update": permissions.REPORTS_MANAGE,
        "partial_update": permissions.REPORTS_MANAGE,
        "destroy": permissions.REPORTS_MANAGE,
    }

    def scope_queryset(self, queryset):
        return queryset.order_by("name", "id")

    def create(self, request):
        data = self.get_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        template = report_template_create(
            actor=request.actor, agency=request.actor.agency, **data.validated_data
        )
        return Response(self.get_serializer(template).data, status=status.HTTP_201_CREATED)

    def update(self, request, pk=None, partial=False):
        template = self.get_object()
        data = self.get_serializer(template, data=request.data, partial=partial)
        data.is_valid(raise_exception=True)
        template = report_template_update(
            actor=request.actor, template=template, **data.validated_data
        )
        return Response(self.get_serializer(template).data)

    def partial_update(self, request, pk=None):
        return self.update(request, pk=pk, partial=True)

    def destroy(self, request, pk=None):
        report_template_delete(actor=request.actor, template=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)
