"""How a delivery is signed and what headers it carries: the receiver-side contract.

The header format, verification recipe, replay window and secret rotation are written out in
docs/webhooks.md, and a test runs the recipe printed there against the functions below.
Nothing here touches the database.
"""

import base64
import hashlib
import hmac
import re
import secrets
from datetime import timedelta

SIGNATURE_HEADER = "X-Agency-Signature"
EVENT_HEADER = "X-Agency-Event"
DELIVERY_HEADER = "X-Agency-Delivery"
USER_AGENT = "AgencySocial-Webhooks/1"

# Receivers should refuse a signature whose timestamp is further than this from their clock.
REPLAY_WINDOW_SECONDS = 5 * 60

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
