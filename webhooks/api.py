"""API endpoints of outbound webhooks: endpoints (CRUD, test event) and their delivery log."""

import django_filters
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from agency import permissions
from agency.api.base import TenantViewSet
from webhooks.events import WebhookEvent
from webhooks.models import WebhookDelivery, WebhookEndpoint
from webhooks.services import emit, endpoints
from webhooks.states import WebhookDeliveryState


class WebhookEndpointSerializer(serializers.ModelSerializer):
    events = serializers.ListField(child=serializers.ChoiceField(choices=WebhookEvent.choices))

    class Meta:
        model = WebhookEndpoint
        fields = [
            "id",
            "url",
            "description",
            "events",
            "active",
            "disabled_at",
            "disabled_reason",
            "consecutive_failures",
            "created_at",
        ]
        read_only_fields = [
            "id",
            "disabled_at",
            "disabled_reason",
            "consecutive_failures",
            "created_at",
        ]


class WebhookEndpointWriteSerializer(serializers.Serializer):
    # A plain CharField: the service checks the address and says what is wrong with it.
    url = serializers.CharField(max_length=1000)
    description = serializers.CharField(max_length=200, required=False, allow_blank=True)
    events = serializers.ListField(child=serializers.ChoiceField(choices=WebhookEvent.choices))
    active = serializers.BooleanField(required=False)


class WebhookEndpointCreatedSerializer(WebhookEndpointSerializer):
    secret = serializers.CharField(help_text="The signing secret. Shown once: store it now.")

    class Meta(WebhookEndpointSerializer.Meta):
        fields = [*WebhookEndpointSerializer.Meta.fields, "secret"]


class WebhookDeliverySerializer(serializers.ModelSerializer):
    payload = serializers.JSONField(read_only=True)

    class Meta:
        model = WebhookDelivery
        fields = [
            "id",
            "endpoint",
            "event",
            "event_id",
            "state",
            "attempt",
            "next_attempt_at",
            "last_attempt_at",
            "response_code",
            "response_body",
            "duration_ms",
            "error",
            "redelivery_of",
            "created_at",
            "payload",
        ]


class WebhookEndpointViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.DestroyModelMixin, TenantViewSet
):
    """The agency's webhook endpoints. The signing secret is returned only by `create`."""

    model = WebhookEndpoint
    serializer_class = WebhookEndpointSerializer
    required_actions = {
        action: permissions.WEBHOOKS_MANAGE
        for action in (
            "list",
            "retrieve",
            "create",
            "update",
            "partial_update",
            "destroy",
            "test",
            "rotate_secret",
        )
    }

    @extend_schema(
        request=WebhookEndpointWriteSerializer, responses={201: WebhookEndpointCreatedSerializer}
    )
    def create(self, request):
        data = WebhookEndpointWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        fields.pop("active", None)
        endpoint, secret = endpoints.webhook_endpoint_create(actor=request.actor, **fields)
        body = WebhookEndpointSerializer(endpoint).data | {"secret": secret}
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(request=WebhookEndpointWriteSerializer, responses=WebhookEndpointSerializer)
    def update(self, request, pk=None, partial=False):
        endpoint = self.get_object()
        data = WebhookEndpointWriteSerializer(data=request.data, partial=partial)
        data.is_valid(raise_exception=True)
        endpoint = endpoints.webhook_endpoint_update(
            actor=request.actor, endpoint=endpoint, **data.validated_data
        )
        return Response(WebhookEndpointSerializer(endpoint).data)

    @extend_schema(request=WebhookEndpointWriteSerializer, responses=WebhookEndpointSerializer)
    def partial_update(self, request, pk=None):
        return self.update(request, pk=pk, partial=True)

    def perform_destroy(self, instance):
        endpoints.webhook_endpoint_delete(actor=self.request.actor, endpoint=instance)

    @extend_schema(
        request=None,
        responses={200: WebhookEndpointCreatedSerializer},
        description=(
            "Give the endpoint a new signing secret, returned this once. The previous secret "
            "also signs deliveries for 24 hours (a second signature in `webhook-signature`)."
        ),
    )
    @action(detail=True, methods=["post"], url_path="rotate-secret")
    def rotate_secret(self, request, pk=None):
        endpoint = self.get_object()
        secret = endpoints.webhook_endpoint_rotate_secret(actor=request.actor, endpoint=endpoint)
        endpoint.refresh_from_db()
        return Response(WebhookEndpointSerializer(endpoint).data | {"secret": secret})

    @extend_schema(
        request=None,
        responses={202: WebhookDeliverySerializer},
        description="Send a `webhook.test` event to this endpoint now (tried once).",
    )
    @action(detail=True, methods=["post"])
    def test(self, request, pk=None):
        delivery = endpoints.webhook_endpoint_send_test(
            actor=request.actor, endpoint=self.get_object()
        )
        return Response(WebhookDeliverySerializer(delivery).data, status=status.HTTP_202_ACCEPTED)


class WebhookDeliveryFilter(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(choices=WebhookDeliveryState.choices)

    class Meta:
        model = WebhookDelivery
        fields = ["endpoint", "event", "event_id", "state"]


class WebhookDeliveryViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, TenantViewSet):
    """The delivery log: every attempt's outcome, response code and (truncated) body."""

    model = WebhookDelivery
    serializer_class = WebhookDeliverySerializer
    filterset_class = WebhookDeliveryFilter
    ordering = ("-created_at", "-id")
    required_actions = {
        "list": permissions.WEBHOOKS_MANAGE,
        "retrieve": permissions.WEBHOOKS_MANAGE,
        "redeliver": permissions.WEBHOOKS_MANAGE,
    }

    def scope_queryset(self, queryset):
        return queryset.select_related("endpoint").order_by("-created_at", "-id")

    @extend_schema(
        request=None,
        responses={202: WebhookDeliverySerializer},
        description="Send this delivery again: same event id and body, a new delivery id.",
    )
    @action(detail=True, methods=["post"])
    def redeliver(self, request, pk=None):
        delivery = emit.webhook_delivery_redeliver(actor=request.actor, delivery=self.get_object())
        return Response(WebhookDeliverySerializer(delivery).data, status=status.HTTP_202_ACCEPTED)
