"""What the reports API reads and writes."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from agency.api.fields import CalendarDateField, ModelSerializer, PersonEmailField
from analytics.periods import MAX_PERIOD_DAYS
from campaigns.api.scoping import VisibleBrandField
from reports.models import (
    ContactRecipients,
    Frequency,
    ReportRun,
    ReportSchedule,
    ReportTemplate,
)
from reports.models.templates import PeriodKind, ReportLanguage
from reports.section_keys import SectionKey


@extend_schema_field(OpenApiTypes.INT)  # an id; the schema cannot tell without a model
class AgencyTemplateField(serializers.PrimaryKeyRelatedField):
    """A report template of the caller's agency (another's is "does not exist")."""

    def get_queryset(self):
        return ReportTemplate.objects.all()


class ReportTemplateSerializer(ModelSerializer):
    sections = serializers.ListField(
        child=serializers.ChoiceField(choices=SectionKey.choices), allow_empty=False
    )
    period_kind = serializers.ChoiceField(choices=PeriodKind.choices, required=False)
    language = serializers.ChoiceField(choices=ReportLanguage.choices, required=False)

    class Meta:
        model = ReportTemplate
        fields = [
            "id",
            "name",
            "sections",
            "commentary",
            "period_kind",
            "period_days",
            "compare",
            "language",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "created_at", "updated_at"]


class ReportScheduleSerializer(ModelSerializer):
    brand = VisibleBrandField()
    template = AgencyTemplateField()
    frequency = serializers.ChoiceField(choices=Frequency.choices)
    contacts = serializers.ChoiceField(choices=ContactRecipients.choices, required=False)
    extra_recipients = serializers.ListField(
        child=serializers.CharField(max_length=254), required=False, max_length=50
    )

    class Meta:
        model = ReportSchedule
        fields = [
            "id",
            "brand",
            "template",
            "frequency",
            "weekday",
            "day_of_month",
            "hour",
            "contacts",
            "extra_recipients",
            "active",
            "next_run_at",
            "created_at",
        ]
        read_only_fields = ["id", "next_run_at", "created_at"]
        extra_kwargs = {
            "weekday": {"min_value": 0, "max_value": 6},
            "day_of_month": {"min_value": 1, "max_value": 31},
            "hour": {"min_value": 0, "max_value": 23},
        }


class ReportRunSerializer(ModelSerializer):
    brand = VisibleBrandField()
    template = AgencyTemplateField(allow_null=True)
    requested_by = PersonEmailField("requested_by")
    downloads = serializers.SerializerMethodField()

    class Meta:
        model = ReportRun
        fields = [
            "id",
            "brand",
            "template",
            "template_name",
            "schedule",
            "period_start",
            "period_end",
            "language",
            "state",
            "progress",
            "step",
            "error",
            "triggered_by",
            "requested_by",
            "recipients",
            "emailed_at",
            "created_at",
            "started_at",
            "finished_at",
            "downloads",
        ]
        read_only_fields = fields

    def get_downloads(self, run) -> dict[str, str]:
        """The addresses of the run's files, once it is done."""
        request = self.context.get("request")
        if run.state != "done" or request is None:
            return {}
        base = request.build_absolute_uri(f"/api/v1/report-runs/{run.pk}/")
        files = {"csv": base + "csv/", "xlsx": base + "xlsx/"} if run.template_id else {}
        if run.pdf:
            files["pdf"] = base + "pdf/"
        return files


class ReportRunCreateSerializer(serializers.Serializer):
    brand = VisibleBrandField()
    template = AgencyTemplateField()
    period_start = CalendarDateField(required=False)
    period_end = CalendarDateField(required=False)
    recipients = serializers.ListField(
        child=serializers.CharField(max_length=254), required=False, max_length=50
    )

    def validate(self, attrs):
        start, end = attrs.get("period_start"), attrs.get("period_end")
        if (start is None) != (end is None):
            missing = "period_end" if end is None else "period_start"
            raise serializers.ValidationError(
                {missing: serializers.ErrorDetail(self.error_messages["required"], "required")}
            )
        if start is not None and end is not None:
            if end < start:
                raise serializers.ValidationError(
                    {"period_end": _("The period must end on or after its first day.")}
                )
            if (end - start).days + 1 > MAX_PERIOD_DAYS:
                raise serializers.ValidationError(
                    {
                        "period_end": _("A period covers at most %(days)d days.")
                        % {"days": MAX_PERIOD_DAYS}
                    }
                )
        return attrs
