"""API of crisis incidents: list and read them; acknowledge, annotate and resolve them."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from agency import permissions
from agency.api.base import TenantViewSet
from agency.api.fields import PersonEmailField
from agency.api.pagination import CursorPagination
from reputation.models.crises import CrisisIncident, IncidentEvent
from reputation.selectors.crises import incident_timeline, incidents_visible_to
from reputation.services.crises import (
    crisis_incident_acknowledge,
    crisis_incident_note,
    crisis_incident_resolve,
)


class IncidentEventSerializer(serializers.ModelSerializer):
    actor = PersonEmailField("actor")

    class Meta:
        model = IncidentEvent
        fields = ["id", "kind", "actor", "text", "data", "created_at"]


class CrisisIncidentSerializer(serializers.ModelSerializer):
    brand_name = serializers.CharField(source="brand.name", read_only=True)
    owner = PersonEmailField("owner")

    class Meta:
        model = CrisisIncident
        fields = [
            "id",
            "brand",
            "brand_name",
            "cause",
            "severity",
            "state",
            "stats",
            "mention_count",
            "owner",
            "summary",
            "opened_at",
            "last_signal_at",
            "acknowledged_at",
            "resolved_at",
            "resolve_suggested_at",
        ]


class ResolveSerializer(serializers.Serializer):
    summary = serializers.CharField(max_length=5000)


class NoteSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=5000)


class CrisisIncidentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, TenantViewSet):
    """Crisis incidents of the agency's brands (client roles: their brands only)."""

    model = CrisisIncident
    serializer_class = CrisisIncidentSerializer
    filterset_fields = ["brand", "state", "cause", "severity"]
    pagination_class = type(
        "IncidentPagination", (CursorPagination,), {"ordering": ("-opened_at", "-id")}
    )
    required_actions = {
        "list": permissions.CRISES_VIEW,
        "retrieve": permissions.CRISES_VIEW,
        "events": permissions.CRISES_VIEW,
        "acknowledge": permissions.CRISES_MANAGE,
        "resolve": permissions.CRISES_MANAGE,
        "notes": permissions.CRISES_MANAGE,
    }

    def scope_queryset(self, queryset):
        return (
            queryset.filter(pk__in=incidents_visible_to(self.request.actor).values("pk"))
            .select_related("brand", "owner")
            .order_by("-opened_at", "-id")
        )

    @extend_schema(responses=IncidentEventSerializer(many=True))
    @action(detail=True, methods=["get"])
    def events(self, request, pk=None):
        incident = self.get_object()
        events = incident_timeline(actor=request.actor, incident=incident)
        return Response(IncidentEventSerializer(events, many=True).data)

    @extend_schema(request=None, responses=CrisisIncidentSerializer)
    @action(detail=True, methods=["post"])
    def acknowledge(self, request, pk=None):
        incident = crisis_incident_acknowledge(actor=request.actor, incident=self.get_object())
        return Response(CrisisIncidentSerializer(incident).data)

    @extend_schema(request=ResolveSerializer, responses=CrisisIncidentSerializer)
    @action(detail=True, methods=["post"])
    def resolve(self, request, pk=None):
        incident = self.get_object()  # 404 before any validation: nothing leaks
        data = ResolveSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        incident = crisis_incident_resolve(
            actor=request.actor, incident=incident, **data.validated_data
        )
        return Response(CrisisIncidentSerializer(incident).data)

    @extend_schema(request=NoteSerializer, responses={201: IncidentEventSerializer})
    @action(detail=True, methods=["post"])
    def notes(self, request, pk=None):
        incident = self.get_object()
        data = NoteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        event = crisis_incident_note(actor=request.actor, incident=incident, **data.validated_data)
        return Response(IncidentEventSerializer(event).data, status=status.HTTP_201_CREATED)
