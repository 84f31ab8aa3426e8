"""Outbound webhooks: the agency's endpoints and every delivery made to them.

The tables keep the names they had when these models lived in `agency` (migration
webhooks/0001 only moved them in Django's state).
"""

import json

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agency.tenancy import TenantModel
from core.crypto import decrypt, encrypted_property
from webhooks.states import WebhookDeliveryState


class WebhookEndpoint(TenantModel):
    """An address of the agency's systems that receives signed events it subscribed to.

    The signing secret must be usable to sign, so it cannot be hashed: it is encrypted at rest
    with core.crypto (Fernet, the keys of TOKEN_ENCRYPTION_KEYS) and shown once, on creation.
    """

    url = models.URLField(_("address"), max_length=1000)
    description = models.CharField(_("description"), max_length=200, blank=True)
    events = models.JSONField(_("events"), default=list)
    secret_encrypted = models.TextField(editable=False)
    # Set by a secret rotation: deliveries are signed with this one too until the time given,
    # so the receiver can switch secrets without refusing a delivery (docs/webhooks.md).
    previous_secret_encrypted = models.TextField(blank=True, editable=False)
    previous_secret_until = models.DateTimeField(null=True, blank=True, editable=False)
    active = models.BooleanField(_("active"), default=True)
    disabled_at = models.DateTimeField(_("disabled"), null=True, blank=True)
    disabled_reason = models.CharField(_("why disabled"), max_length=300, blank=True)
    consecutive_failures = models.PositiveIntegerField(default=0)
    failing_since = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    secret = encrypted_property("secret_encrypted", "The signing secret, in clear.")

    class Meta:
        db_table = "agency_webhookendpoint"
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")
        indexes = [models.Index(fields=["agency", "active"], name="webhook_endpoint_active")]

    def __str__(self) -> str:
        return self.url

    def previous_secret_at(self, when) -> str:
        """The secret replaced by the last rotation while it still signs, else ""."""
        if self.previous_secret_until and when < self.previous_secret_until:
            return decrypt(self.previous_secret_encrypted)
        return ""


class WebhookDelivery(TenantModel):
    """One event sent to one endpoint: the source of truth for sending it, and its log.

    A row is written in the transaction of the change it announces, so it is never lost; a
    periodic sweep sends the rows that are due whatever happened to the queued message. Its
    states and their moves are in webhooks/states.py.
    """

    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries"
    )
    event = models.CharField(_("event"), max_length=64)
    event_id = models.CharField(_("event id"), max_length=64)
    body = models.TextField(_("body"))
    state = models.CharField(
        _("state"),
        max_length=16,
        choices=WebhookDeliveryState.choices,
        default=WebhookDeliveryState.PENDING,
    )
    attempt = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    response_code = models.PositiveIntegerField(_("response code"), null=True, blank=True)
    response_body = models.TextField(_("response body"), blank=True)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), null=True, blank=True)
    error = models.CharField(_("error"), max_length=500, blank=True)
    redelivery_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "agency_webhookdelivery"
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        indexes = [
            models.Index(fields=["agency", "endpoint", "-created_at"], name="webhook_delivery_log"),
            models.Index(fields=["state", "next_attempt_at"], name="webhook_delivery_due"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state__in=WebhookDeliveryState.values),
                name="webhook_delivery_state_known",
            )
        ]

    def __str__(self) -> str:
        return f"{self.event} -> {self.endpoint_id} ({self.state})"

    @property
    def payload(self):
        return json.loads(self.body)
