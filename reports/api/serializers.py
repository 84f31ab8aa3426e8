"""What the reports API reads and writes."""

from __future__ import annotations

from rest_framework import serializers

from agency.api.fields import ModelSerializer
from reports.models import ReportTemplate
from reports.models.templates import PeriodKind, ReportLanguage
from reports.section_keys import SectionKey


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
