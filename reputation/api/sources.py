"""Sources through the API; ``last_error`` says why the last poll failed."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.response import Response

from agency import permissions
from agency.api.base import TenantViewSet
from agency.api.fields import ObjectIdField
from reputation.api.common import pagination
from reputation.models.sources import SOURCE_EDITABLE_FIELDS, Source, SourceKind
from reputation.selectors.listening import sources_visible_to
from reputation.services.sources import source_create, source_delete, source_update

# What polling keeps up to date: shown, never written through the API.
_POLLING_STATE = [
    "next_poll_at",
    "last_polled_at",
    "last_success_at",
    "consecutive_failures",
    "last_error",
    "last_error_at",
    "mentions_found",
    "created_at",
]


class SourceSerializer(serializers.ModelSerializer):
    brand = ObjectIdField(source="brand_id", required=False, allow_null=True)
    kind = serializers.ChoiceField(choices=SourceKind.choices)
    discovered_from = serializers.CharField(
        read_only=True,
        default="",
        help_text="In the answer to a create or a change of address: the page the feed was "
        "found on when `url` was a site's page (then `url` is the feed found), else empty.",
    )

    class Meta:
        model = Source
        fields = [
            "id",
            "kind",
            "name",
            "url",
            "brand",
            "network",
            "search_terms",
            "poll_interval_minutes",
            "active",
            "discovered_from",
            *_POLLING_STATE,
        ]
        read_only_fields = ["id", *_POLLING_STATE]
        validators = []
        extra_kwargs = {"name": {"required": False}, "url": {"required": False}}


class SourceViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.DestroyModelMixin, TenantViewSet
):
    """Where mentions come from; ``last_error`` says why the last poll failed."""

    model = Source
    serializer_class = SourceSerializer
    pagination_class = pagination("-created_at", "-id")
    filterset_fields = ["kind", "brand", "active"]
    required_actions = {
        "list": permissions.LISTENING_VIEW,
        "retrieve": permissions.LISTENING_VIEW,
        "create": permissions.LISTENING_MANAGE,
        "partial_update": permissions.LISTENING_MANAGE,
        "destroy": permissions.LISTENING_MANAGE,
    }

    def scope_queryset(self, queryset):
        return sources_visible_to(self.request.actor)

    @extend_schema(request=SourceSerializer, responses={201: SourceSerializer})
    def create(self, request):
        data = SourceSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        source = source_create(actor=request.actor, brand_id=fields.pop("brand_id", None), **fields)
        return Response(SourceSerializer(source).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=SourceSerializer, responses=SourceSerializer)
    def partial_update(self, request, pk=None):
        source = self.get_object()
        data = SourceSerializer(source, data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        fields = {k: v for k, v in data.validated_data.items() if k in SOURCE_EDITABLE_FIELDS}
        source = source_update(actor=request.actor, source=source, **fields)
        return Response(SourceSerializer(source).data)

    def perform_destroy(self, instance):
        source_delete(actor=self.request.actor, source=instance)
