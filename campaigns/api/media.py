"""The brands' media libraries (multipart uploads)."""

from rest_framework import mixins, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from agency import permissions
from agency.api.base import TenantViewSet
from campaigns.api.serializers import MediaAssetSerializer
from campaigns.models import MediaAsset
from campaigns.services.media import media_asset_delete, media_asset_upload


class MediaAssetViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, TenantViewSet):
    model = MediaAsset
    serializer_class = MediaAssetSerializer
    parser_classes = [MultiPartParser, FormParser, JSONParser]
    filterset_fields = ["brand", "kind"]
    required_actions = {
        "list": permissions.CAMPAIGNS_VIEW,
        "retrieve": permissions.CAMPAIGNS_VIEW,
        "create": permissions.POSTS_WRITE,
        "destroy": permissions.POSTS_WRITE,
    }

    def scope_queryset(self, queryset):
        return queryset

    def create(self, request):
        data = self.get_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        asset = media_asset_upload(
            actor=request.actor,
            brand=data.validated_data["brand"],
            upload=data.validated_data["file"],
            alt_text=data.validated_data.get("alt_text", ""),
        )
        return Response(self.get_serializer(asset).data, status=status.HTTP_201_CREATED)

    def destroy(self, request, pk=None):
        media_asset_delete(actor=request.actor, media_asset=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)
