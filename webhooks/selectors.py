"""Reads of webhook endpoints and deliveries. Fetch-by-id helpers answer 404 for "missing" and
"not yours" alike."""

from django.db.models import QuerySet
from django.http import Http404

from agency.models import Agency
from webhooks.models import WebhookDelivery, WebhookEndpoint


def webhook_endpoints_list(*, agency: Agency) -> QuerySet[WebhookEndpoint]:
    return WebhookEndpoint.objects.filter(agency=agency).order_by("-active", "url", "id")


def webhook_endpoint_get_for(*, agency: Agency, webhook_endpoint_id) -> WebhookEndpoint:
    found = webhook_endpoints_list(agency=agency).filter(pk=webhook_endpoint_id).first()
    if found is None:
        raise Http404
    return found


def webhook_deliveries_list(
    *, agency: Agency, endpoint: WebhookEndpoint | None = None
) -> QuerySet[WebhookDelivery]:
    deliveries = WebhookDelivery.objects.filter(agency=agency).select_related("endpoint")
    if endpoint is not None:
        deliveries = deliveries.filter(endpoint=endpoint)
    return deliveries.order_by("-created_at", "-id")


def webhook_delivery_get_for(*, agency: Agency, webhook_delivery_id) -> WebhookDelivery:
    found = webhook_deliveries_list(agency=agency).filter(pk=webhook_delivery_id).first()
    if found is None:
        raise Http404
    return found
