"""Factories for webhook endpoints and deliveries: any object in one call, in the agency you
give."""

import json

import factory
from django.utils import timezone

from agency.tests.factories import AgencyFactory, TenantFactory
from core.crypto import encrypt
from webhooks.models import WebhookDelivery, WebhookEndpoint
from webhooks.signing import generate_secret


class WebhookEndpointFactory(TenantFactory):
    class Meta:
        model = WebhookEndpoint

    agency = factory.SubFactory(AgencyFactory)
    url = factory.Sequence(lambda n: f"https://crm{n}.example.test/hooks")
    events = factory.LazyFunction(lambda: ["crisis.opened", "crisis.updated", "crisis.resolved"])
    secret = factory.LazyFunction(generate_secret)

    @classmethod
    def _create(cls, model_class, *args, secret=None, **kwargs):
        kwargs["secret_encrypted"] = encrypt(secret)
        return super()._create(model_class, *args, **kwargs)


class WebhookDeliveryFactory(TenantFactory):
    class Meta:
        model = WebhookDelivery

    agency = factory.SubFactory(AgencyFactory)
    endpoint = factory.SubFactory(WebhookEndpointFactory, agency=factory.SelfAttribute("..agency"))
    event = "crisis.opened"
    event_id = factory.Sequence(lambda n: f"evt_{n:032x}")
    body = factory.LazyAttribute(
        lambda o: json.dumps({"data": {}, "id": o.event_id, "type": o.event})
    )
    next_attempt_at = factory.LazyFunction(timezone.now)
