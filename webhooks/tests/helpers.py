"""Helpers of the webhook tests: the recipes printed in docs/webhooks.md, and attempts made the
way the delivery task makes them (inside the delivery's agency)."""

import re
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from agency.tenancy import tenant_scope
from webhooks.models import WebhookDelivery
from webhooks.services.delivery import webhook_delivery_attempt

DOC = Path(settings.BASE_DIR) / "docs" / "webhooks.md"


def documented(marker: str, name: str):
    """A function exactly as docs/webhooks.md prints it between `<!-- marker:start/end -->`."""
    block = DOC.read_text().split(f"<!-- {marker}:start -->")[1].split(f"<!-- {marker}:end -->")[0]
    code = re.search(r"```python\n(.*?)```", block, re.S).group(1)
    namespace: dict = {}
    exec(compile(code, str(DOC), "exec"), namespace)  # noqa: S102 - our own documentation
    return namespace[name]


def documented_verify():
    """The verification function of the deprecated header, exactly as docs/webhooks.md prints
    it."""
    return documented("recipe", "verify_agency_signature")


def attempt(delivery: WebhookDelivery):
    """One attempt at `delivery`, in its agency's scope, as the delivery task makes it."""
    with tenant_scope(delivery.agency_id):
        return webhook_delivery_attempt(delivery_id=delivery.pk)


def deliver_all(agency):
    """Attempt every due delivery of the agency once, as the worker would."""
    due = (
        WebhookDelivery.unscoped.filter(agency=agency, next_attempt_at__lte=timezone.now())
        .exclude(state__in=["succeeded", "dead"])
        .order_by("pk")
    )
    return [attempt(delivery) for delivery in due]


def make_due(delivery):
    WebhookDelivery.unscoped.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
