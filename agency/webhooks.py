"""Outbound webhooks: the event registry, the signature, the body and the retry schedule.

Every app that emits an event imports its name from here (``WebhookEvent.CRISIS_OPENED``) and
calls ``agency.services.webhook_emit``; the receiver-side contract (header format, verification
recipe, replay window, retry schedule) is written out in docs/webhooks.md, and a test runs the
recipe printed there against ``sign`` below.

Nothing here touches the database: these are pure helpers, shared by the services, the task
and the tests.
"""

import base64
import hashlib
import hmac
import json
import random
import re
import secrets
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from django.db import models
from django.utils.translation import gettext_lazy as _

SIGNATURE_HEADER = "X-Agency-Signature"
EVENT_HEADER = "X-Agency-Event"
DELIVERY_HEADER = "X-Agency-Delivery"
USER_AGENT = "AgencySocial-Webhooks/1"

# Receivers should refuse a signature whose timestamp is further than this from their clock.
REPLAY_WINDOW_SECONDS = 5 * 60
# Retries stop this long after the event was emitted; the delivery is then "dead".
RETRY_FOR = timedelta(hours=24)
FIRST_RETRY_SECONDS = 30
MAX_RETRY_SECONDS = 4 * 3600
JITTER = 0.2  # ±20 %, so that deliveries failing together do not retry together
RESPONSE_BODY_LIMIT = 2048


class WebhookEvent(models.TextChoices):
    """The events an endpoint may subscribe to. Add new ones here, and to docs/webhooks.md."""

    CRISIS_OPENED = "crisis.opened", _("Crisis opened")
    CRISIS_UPDATED = "crisis.updated", _("Crisis updated")
    CRISIS_RESOLVED = "crisis.resolved", _("Crisis resolved")
    POST_PUBLISHED = "post.published", _("Post published")
    POST_FAILED = "post.failed", _("Post failed")


# Sent only by the "send a test event" button, to one endpoint, whatever it subscribes to.
TEST_EVENT = "webhook.test"


# --- Signing --------------------------------------------------------------------------------
# Two schemes are sent side by side (docs/webhooks.md):
# - Standard Webhooks (https://www.standardwebhooks.com/, what Svix and the `standardwebhooks`
#   libraries verify): headers webhook-id / webhook-timestamp / webhook-signature, an
#   HMAC-SHA256 over ``id.timestamp.body`` keyed with the base64-decoded bytes after ``whsec_``.
# - The original X-Agency-Signature (Stripe's layout, keyed with the secret's text itself),
#   deprecated and kept so that receivers written against it keep working while they move.

SECRET_PREFIX = "whsec_"
SECRET_BYTES = 32
SECRET_MIN_BYTES, SECRET_MAX_BYTES = 24, 64  # what Standard Webhooks accepts
STANDARD_ID_HEADER = "webhook-id"
STANDARD_TIMESTAMP_HEADER = "webhook-timestamp"
STANDARD_SIGNATURE_HEADER = "webhook-signature"
# After a rotation, deliveries carry a signature with the previous secret too, this long.
PREVIOUS_SECRET_GRACE = timedelta(hours=24)

_STANDARD_B64 = re.compile(r"[A-Za-z0-9+/]+={0,2}")
_URLSAFE_B64 = re.compile(r"[A-Za-z0-9_-]+")


def generate_secret() -> str:
    """A Standard Webhooks secret: ``whsec_`` + standard (padded) base64 of 32 random bytes."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode("ascii")


def secret_key(secret: str) -> bytes:
    """The HMAC key of the Standard Webhooks signature: the bytes the secret encodes.

    Secrets made before the Standard Webhooks headers are ``whsec_`` + *URL-safe*, unpadded
    base64 (``secrets.token_urlsafe(32)``); a Standard Webhooks verifier would drop their ``-``
    and ``_`` and derive a shorter, wrong key. Their bytes are decoded as URL-safe base64
    instead, so that they keep working (their receivers convert them once with
    ``standard_secret``, docs/webhooks.md). Raises ValueError for anything else.
    """
    body = secret.removeprefix(SECRET_PREFIX)
    key = b""
    if _STANDARD_B64.fullmatch(body) and len(body) % 4 == 0:
        key = base64.b64decode(body, validate=True)
    elif _URLSAFE_B64.fullmatch(body):
        key = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    if not SECRET_MIN_BYTES <= len(key) <= SECRET_MAX_BYTES:
        raise ValueError("Not a webhook signing secret (whsec_ + base64 of 24 to 64 bytes).")
    return key


def standard_secret(secret: str) -> str:
    """The same key written the Standard Webhooks way (what a verifier library expects)."""
    return SECRET_PREFIX + base64.b64encode(secret_key(secret)).decode("ascii")


def is_standard_secret(secret: str) -> bool:
    """True when the secret is already written the way Standard Webhooks libraries read it."""
    try:
        return standard_secret(secret) == secret
    except ValueError:
        return False


def standard_signature(secret: str, msg_id: str, timestamp: int, body: bytes) -> str:
    """``v1,<base64 HMAC-SHA256 of f"{msg_id}.{timestamp}.{body}">`` (Standard Webhooks)."""
    message = f"{msg_id}.{timestamp}.".encode() + body
    digest = hmac.new(secret_key(secret), message, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode("ascii")


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """Deprecated scheme: hex HMAC-SHA256 of ``f"{timestamp}.{body}"`` keyed with the
    secret's text."""
    message = str(timestamp).encode() + b"." + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def signature_header(secret: str, timestamp: int, body: bytes) -> str:
    """The value of the deprecated X-Agency-Signature: ``t=<unix seconds>,v1=<hex>``."""
    return f"t={timestamp},v1={signature(secret, timestamp, body)}"


def signing_headers(
    *, secret: str, msg_id: str, timestamp: int, body: bytes, previous_secret: str = ""
) -> dict[str, str]:
    """Every signature header of one attempt.

    ``msg_id`` is the event id, the same for every attempt and every redelivery of the
    event, so that receivers de-duplicate on it. During a rotation (``previous_secret``), the
    webhook-signature header holds both signatures, new first, space-separated as the
    standard allows, so that a receiver still holding the old secret keeps verifying. The
    deprecated header is signed with the current secret only.
    """
    signatures = [standard_signature(secret, msg_id, timestamp, body)]
    if previous_secret:
        signatures.append(standard_signature(previous_secret, msg_id, timestamp, body))
    return {
        STANDARD_ID_HEADER: msg_id,
        STANDARD_TIMESTAMP_HEADER: str(timestamp),
        STANDARD_SIGNATURE_HEADER: " ".join(signatures),
        SIGNATURE_HEADER: signature_header(secret, timestamp, body),
    }


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


def retry_delay(failed_attempts: int, *, rng: random.Random | None = None) -> timedelta:
    """How long to wait after the n-th failed attempt: 30 s doubling to 4 h, ±20 % jitter."""
    base = min(FIRST_RETRY_SECONDS * 2 ** max(failed_attempts - 1, 0), MAX_RETRY_SECONDS)
    factor = 1 + (rng or random).uniform(-JITTER, JITTER)  # noqa: S311 - jitter, not crypto
    return timedelta(seconds=base * factor)


def retry_schedule() -> list[int]:
    """Seconds between attempts, without jitter, until RETRY_FOR is used up (for the docs)."""
    delays, total, n = [], 0, 1
    while True:
        delay = min(FIRST_RETRY_SECONDS * 2 ** (n - 1), MAX_RETRY_SECONDS)
        if total + delay > RETRY_FOR.total_seconds():
            return delays
        delays.append(delay)
        total += delay
        n += 1


def truncate_body(text: str) -> str:
    return text[:RESPONSE_BODY_LIMIT]


LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1"}


def url_problem(url: str, *, allow_insecure_localhost: bool) -> str | None:
    """Why `url` cannot be a webhook endpoint, or None. HTTPS only; plain HTTP to localhost
    only when allowed (development and tests). The address must pass the outbound guard:
    internal addresses in any spelling (``127.1``, ``0x7f000001``, ``localhost.``) and names
    resolving to them are refused, unless OUTBOUND_ALLOW_PRIVATE_ADDRESSES; the guard checks
    the address again at every delivery."""
    from agency.outbound import outbound_url_problem

    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        return str(_("Enter a valid address."))
    host = (parts.hostname or "").lower()
    if not host or parts.scheme not in {"http", "https"}:
        return str(_("Enter a full address starting with https://."))
    if parts.username or parts.password:
        return str(_("Put no user name or password in the address; the signature proves us."))
    is_local = host in LOCAL_HOSTS
    if parts.scheme == "http" and not (is_local and allow_insecure_localhost):
        return str(_("Use an https:// address: deliveries carry your data."))
    problem = outbound_url_problem(url)
    return str(problem) if problem else None
