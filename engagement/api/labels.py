"""The agency's conversation labels through the API (everyone of the inbox reads them; the
team manages them)."""

from rest_framework import mixins, status
from rest_framework.response import Response

from agency import permissions
from agency.api.base import TenantViewSet
from agency.api.pagination import CursorPagination
from engagement.api.serializers import LabelSerializer
from engagement.models import Label
from engagement.services.labels import label_create, label_delete, label_update


class LabelPagination(CursorPagination):
    ordering = ("name", "id")


class LabelViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, TenantViewSet):
    model = Label
    serializer_class = LabelSerializer
    pagination_class = LabelPagination
    filter_backends: list = []
    required_actions = {
        "list": permissions.INBOX_VIEW,
        "retrieve": permissions.INBOX_VIEW,
        "create": permissions.INBOX_MANAGE,
        "partial_update": permissions.INBOX_MANAGE,
        "destroy": permissions.INBOX_MANAGE,
    }

    def create(self, request):
        data = self.get_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        label = label_create(actor=request.actor, **data.validated_data)
        return Response(self.get_serializer(label).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        label = self.get_object()
        data = self.get_serializer(label, data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        label = label_update(actor=request.actor, label=label, **data.validated_data)
        return Response(self.get_serializer(label).data)

    def destroy(self, request, pk=None):
        label_delete(actor=request.actor, label=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)
