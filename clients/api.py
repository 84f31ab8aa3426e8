"""Brands through the API. Writes go through clients.services."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from agency import permissions
from agency.api.base import TenantViewSet
from agency.models import Membership
from clients import services
from clients.models import Brand, ContentLanguage


class BrandSerializer(serializers.ModelSerializer):
    languages = serializers.ListField(
        child=serializers.ChoiceField(choices=ContentLanguage.choices), required=False
    )
    slug = serializers.SlugField(max_length=60, required=False)

    class Meta:
        model = Brand
        fields = [
            "id",
            "name",
            "slug",
            "industry",
            "languages",
            "time_zone",
            "description",
            "created_at",
            "archived_at",
        ]
        read_only_fields = ["id", "created_at", "archived_at"]
        # Uniqueness is checked by the service, which knows the agency.
        validators = []


class BrandViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, TenantViewSet):
    model = Brand
    serializer_class = BrandSerializer
    ordering = ("name", "id")
    filterset_fields = ["industry"]
    required_actions = {
        "list": permissions.BRANDS_VIEW,
        "retrieve": permissions.BRANDS_VIEW,
        "create": permissions.BRANDS_MANAGE,
        "update": permissions.BRANDS_MANAGE,
        "partial_update": permissions.BRANDS_MANAGE,
        "archive": permissions.BRANDS_MANAGE,
        "restore": permissions.BRANDS_MANAGE,
    }

    def scope_queryset(self, queryset):
        actor = self.request.actor
        if isinstance(actor, Membership) and actor.is_client:
            queryset = queryset.filter(accesses__membership=actor)
        if self.action == "list" and self.request.query_params.get("archived") != "true":
            queryset = queryset.filter(archived_at=None)
        return queryset

    @extend_schema(request=BrandSerializer, responses={201: BrandSerializer})
    def create(self, request):
        data = BrandSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        brand = services.brand_create(actor=request.actor, **data.validated_data)
        return Response(BrandSerializer(brand).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=BrandSerializer, responses=BrandSerializer)
    def update(self, request, pk=None):
        return self._update(request, partial=False)

    @extend_schema(request=BrandSerializer, responses=BrandSerializer)
    def partial_update(self, request, pk=None):
        return self._update(request, partial=True)

    def _update(self, request, *, partial: bool):
        brand = self.get_object()
        data = BrandSerializer(brand, data=request.data, partial=partial)
        data.is_valid(raise_exception=True)
        brand = services.brand_update(actor=request.actor, brand=brand, **data.validated_data)
        return Response(BrandSerializer(brand).data)

    @extend_schema(request=None, responses=BrandSerializer)
    @action(detail=True, methods=["post"])
    def archive(self, request, pk=None):
        brand = services.brand_archive(actor=request.actor, brand=self.get_object())
        return Response(BrandSerializer(brand).data)

    @extend_schema(request=None, responses=BrandSerializer)
    @action(detail=True, methods=["post"])
    def restore(self, request, pk=None):
        brand = services.brand_restore(actor=request.actor, brand=self.get_object())
        return Response(BrandSerializer(brand).data)
