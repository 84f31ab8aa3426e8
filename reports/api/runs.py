"""Report runs: the history, "run now", a run's progress, its retry and its downloads."""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from agency import permissions
from agency.api.base import TenantViewSet
from analytics.periods import Period
from reports.api.serializers import ReportRunCreateSerializer, ReportRunSerializer
from reports.models import ReportRun
from reports.selectors.downloads import run_export, run_pdf_open
from reports.services.runs import run_request, run_retry


def _attachment(response: HttpResponse, filename: str) -> HttpResponse:
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


class ReportRunViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, TenantViewSet):
    """Report runs, newest first: state, step and progress (0–100), and once done the
    addresses of the PDF and of the data as CSV and XLSX."""

    model = ReportRun
    serializer_class = ReportRunSerializer
    filterset_fields = ["brand", "template", "schedule", "state"]
    required_actions = {
        "list": permissions.REPORTS_VIEW,
        "retrieve": permissions.REPORTS_VIEW,
        "create": permissions.REPORTS_MANAGE,
        "retry": permissions.REPORTS_MANAGE,
        "pdf": permissions.REPORTS_VIEW,
        "csv": permissions.REPORTS_VIEW,
        "xlsx": permissions.REPORTS_VIEW,
    }

    def scope_queryset(self, queryset):
        return queryset.select_related("brand", "template", "requested_by").order_by(
            "-created_at", "-id"
        )

    @extend_schema(request=ReportRunCreateSerializer, responses={201: ReportRunSerializer})
    def create(self, request):
        """Run now: the template's report for the brand, over the template's period (or the
        dates given), e-mailed to the recipients given, if any."""
        data = ReportRunCreateSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        values = data.validated_data
        period = None
        if values.get("period_start"):
            period = Period(values["period_start"], values["period_end"])
        run = run_request(
            actor=request.actor,
            brand=values["brand"],
            template=values["template"],
            period=period,
            recipients=values.get("recipients", []),
        )
        return Response(self.get_serializer(run).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=ReportRunSerializer)
    @action(detail=True, methods=["post"])
    def retry(self, request, pk=None):
        run = run_retry(actor=request.actor, run=self.get_object())
        return Response(self.get_serializer(run).data)

    @extend_schema(responses={(200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY)})
    @action(detail=True, methods=["get"])
    def pdf(self, request, pk=None):
        opened = run_pdf_open(self.get_object())
        if opened is None:
            raise Http404
        handle, filename = opened
        return _attachment(FileResponse(handle, content_type="application/pdf"), filename)

    @extend_schema(responses={(200, "text/csv"): OpenApiResponse(OpenApiTypes.BINARY)})
    @action(detail=True, methods=["get"])
    def csv(self, request, pk=None):
        return self._export(request, "csv")

    @extend_schema(
        responses={
            (
                200,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ): OpenApiResponse(OpenApiTypes.BINARY)
        }
    )
    @action(detail=True, methods=["get"])
    def xlsx(self, request, pk=None):
        return self._export(request, "xlsx")

    def _export(self, request, fmt: str) -> HttpResponse:
        export = run_export(self.get_object(), fmt=fmt, actor=request.actor)
        if export is None:
            raise Http404
        return _attachment(
            HttpResponse(export.content, content_type=export.content_type), export.filename
        )
