"""API of the notification centre: the calling person's notifications in the agency."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from agency import permissions
from agency.api.base import TenantViewSet
from agency.models import ApiKey
from notifications import services
from notifications.models import Notification


class NotificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Notification
        fields = ["id", "verb", "message", "url", "severity", "created_at", "read_at"]


class NotificationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, TenantViewSet):
    """Your notifications (a person's own; an API key has none)."""

    model = Notification
    serializer_class = NotificationSerializer
    ordering = ("-created_at", "-id")
    filterset_fields = ["verb"]
    # Every member may read their own notifications; brands.view is the action all roles hold.
    required_actions = {
        "list": permissions.BRANDS_VIEW,
        "retrieve": permissions.BRANDS_VIEW,
        "read": permissions.BRANDS_VIEW,
        "read_all": permissions.BRANDS_VIEW,
    }

    def scope_queryset(self, queryset):
        if isinstance(self.request.actor, ApiKey):
            return queryset.none()
        return queryset.filter(recipient=self.request.user).order_by("-created_at", "-id")

    @extend_schema(request=None, responses=NotificationSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        notification = services.notification_mark_read(
            user=request.user, notification=self.get_object()
        )
        return Response(NotificationSerializer(notification).data)

    @extend_schema(
        request=None, responses=inline_serializer("ReadAll", {"marked": serializers.IntegerField()})
    )
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request):
        if isinstance(request.actor, ApiKey):
            # A key has no notifications, and a read key changes nothing: say so, not "done".
            raise PermissionDenied(_("An API key has no notifications; sign in as a person."))
        count = services.notifications_mark_all_read(agency=self.agency, user=request.user)
        return Response({"marked": count})
