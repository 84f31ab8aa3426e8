"""Signed approval links and ICS feeds of brands (revocable)."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from agency import permissions
from agency.api.base import TenantViewSet
from campaigns.api.serializers import ShareLinkSerializer
from campaigns.models import ShareLink
from campaigns.services.share_links import share_link_create, share_link_revoke


class ShareLinkViewSet(mixins.ListModelMixin, TenantViewSet):
    """Signed approval links and ICS feeds of brands (revocable)."""

    model = ShareLink
    serializer_class = ShareLinkSerializer
    filterset_fields = ["brand", "kind"]
    required_actions = {
        "list": permissions.SHARE_LINKS_MANAGE,
        "create": permissions.SHARE_LINKS_MANAGE,
        "revoke": permissions.SHARE_LINKS_MANAGE,
    }

    def scope_queryset(self, queryset):
        return queryset

    def create(self, request):
        data = self.get_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        link = share_link_create(actor=request.actor, **values)
        return Response(self.get_serializer(link).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=ShareLinkSerializer)
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        link = share_link_revoke(actor=request.actor, share_link=self.get_object())
        return Response(self.get_serializer(link).data)
