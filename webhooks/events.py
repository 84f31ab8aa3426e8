"""The events an endpoint may subscribe to, and the envelope every delivery's body is.

Apps that emit an event import its name from here (``WebhookEvent.CRISIS_OPENED``) and call
``webhooks.services.emit.webhook_emit``. Nothing here touches the database.
"""

import json
from datetime import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _


class WebhookEvent(models.TextChoices):
    """The events an endpoint may subscribe to. Add new ones here, and to docs/webhooks.md."""

    CRISIS_OPENED = "crisis.opened", _("Crisis opened")
    CRISIS_UPDATED = "crisis.updated", _("Crisis updated")
    CRISIS_RESOLVED = "crisis.resolved", _("Crisis resolved")
    POST_PUBLISHED = "post.published", _("Post published")
    POST_FAILED = "post.failed", _("Post failed")
    POST_APPROVED = "post.approved", _("Post approved")
    POST_CHANGES_REQUESTED = "post.changes_requested", _("Changes requested on a post")
    POST_REJECTED = "post.rejected", _("Post rejected")
    POST_VARIANT_DECIDED = "post.variant_decided", _("Decision on one network of a post")
    INBOX_MESSAGE_RECEIVED = "inbox.message.received", _("Inbox: message received")
    INBOX_MESSAGE_REPLIED = "inbox.message.replied", _("Inbox: brand replied")
    INBOX_SLA_BREACHED = "inbox.sla_breached", _("Inbox: response time exceeded")
    MODERATION_ACTION_TAKEN = "moderation.action_taken", _("Moderation action taken")


# Sent only by the "send a test event" button, to one endpoint, whatever it subscribes to.
TEST_EVENT = "webhook.test"


def encode_body(
    *, event: str, event_id: str, agency_id: int, created: datetime, data: dict
) -> bytes:
    """The JSON body of a delivery: an envelope around the event's own data.

    Encoded once, compactly and with sorted keys, so that what is signed is exactly what is
    sent and a redelivery sends the same bytes.
    """
    envelope = {
        "id": event_id,
        "type": event,
        "created": created.isoformat().replace("+00:00", "Z"),
        "agency": agency_id,
        "data": data,
    }
    return json.dumps(envelope, separators=(",", ":"), sort_keys=True, ensure_ascii=False).encode()
