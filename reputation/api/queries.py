"""Listening queries through the API."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.response import Response

from agency import permissions
from agency.api.base import TenantViewSet
from agency.api.fields import ObjectIdField
from reputation.api.common import pagination
from reputation.models.queries import QUERY_FIELDS, QUERY_LANGUAGES, ListeningQuery
from reputation.selectors.listening import listening_queries_visible_to
from reputation.services.queries import (
    listening_query_create,
    listening_query_delete,
    listening_query_update,
)


class ListeningQuerySerializer(serializers.ModelSerializer):
    brand = ObjectIdField(source="brand_id")
    excluded_words = serializers.ListField(
        child=serializers.CharField(max_length=100), required=False
    )
    languages = serializers.ListField(
        child=serializers.ChoiceField(choices=QUERY_LANGUAGES), required=False
    )

    class Meta:
        model = ListeningQuery
        fields = ["id", "brand", *QUERY_FIELDS, "created_at", "updated_at"]
        read_only_fields = ["id", "created_at", "updated_at"]
        validators = []


class ListeningQueryViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.DestroyModelMixin, TenantViewSet
):
    """What each brand listens for. Invalid expressions answer 400 with the character where
    the problem is."""

    model = ListeningQuery
    serializer_class = ListeningQuerySerializer
    pagination_class = pagination("-created_at", "-id")
    filterset_fields = ["brand", "active", "is_competitor"]
    required_actions = {
        "list": permissions.LISTENING_VIEW,
        "retrieve": permissions.LISTENING_VIEW,
        "create": permissions.LISTENING_MANAGE,
        "update": permissions.LISTENING_MANAGE,
        "partial_update": permissions.LISTENING_MANAGE,
        "destroy": permissions.LISTENING_MANAGE,
    }

    def scope_queryset(self, queryset):
        return listening_queries_visible_to(self.request.actor)

    @extend_schema(request=ListeningQuerySerializer, responses={201: ListeningQuerySerializer})
    def create(self, request):
        data = ListeningQuerySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        query = listening_query_create(
            actor=request.actor, brand_id=fields.pop("brand_id"), **fields
        )
        return Response(ListeningQuerySerializer(query).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ListeningQuerySerializer, responses=ListeningQuerySerializer)
    def update(self, request, pk=None):
        return self._update(request, partial=False)

    @extend_schema(request=ListeningQuerySerializer, responses=ListeningQuerySerializer)
    def partial_update(self, request, pk=None):
        return self._update(request, partial=True)

    def _update(self, request, *, partial):
        query = self.get_object()
        data = ListeningQuerySerializer(query, data=request.data, partial=partial)
        data.is_valid(raise_exception=True)
        query = listening_query_update(actor=request.actor, query=query, **data.validated_data)
        return Response(ListeningQuerySerializer(query).data)

    def perform_destroy(self, instance):
        listening_query_delete(actor=self.request.actor, query=instance)
