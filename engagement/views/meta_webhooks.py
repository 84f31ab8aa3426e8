"""Meta's webhook receiver (``/hooks/meta/``): outside the dashboard, no session, no CSRF.

GET is the subscription check: Meta sends ``hub.mode=subscribe``, our verify token and a
challenge to echo. POST is a delivery, signed with ``X-Hub-Signature-256`` (the HMAC-SHA256
of the raw body with the app secret): unsigned or wrongly signed is 403, a body that is not
a delivery 400, anything else 200 quickly (Meta retries what is not answered 200 and
disables an app that keeps failing), the work is queued. A replayed delivery (same body) is
not queued twice; it would be stored once anyway (docs/security.md).
"""

from __future__ import annotations

import hashlib
import hmac
import logging

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from engagement.services.webhooks_in import meta_delivery_route_across_agencies
from networks.meta_webhooks import (
    MAX_BODY_BYTES,
    MalformedDelivery,
    delivery_parse,
    signature_valid,
)

logger = logging.getLogger(__name__)
REPLAY_WINDOW_SECONDS = 24 * 3600  # Meta retries a failed delivery for up to 36 hours, rarely
MAX_CHALLENGE_CHARS = 200


@csrf_exempt
@require_http_methods(["GET", "POST"])
def meta_webhook(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return _verify(request)
    return _deliver(request)


def _verify(request: HttpRequest) -> HttpResponse:
    expected = settings.META_WEBHOOK_VERIFY_TOKEN
    token = request.GET.get("hub.verify_token", "")
    challenge = request.GET.get("hub.challenge", "")
    if (
        not expected
        or request.GET.get("hub.mode") != "subscribe"
        or not hmac.compare_digest(token.encode(), expected.encode())
    ):
        return HttpResponse("Verification refused.", status=403, content_type="text/plain")
    if not challenge or len(challenge) > MAX_CHALLENGE_CHARS:
        return HttpResponse("A challenge is required.", status=400, content_type="text/plain")
    return HttpResponse(challenge, content_type="text/plain")


def _deliver(request: HttpRequest) -> HttpResponse:
    length = request.META.get("CONTENT_LENGTH") or "0"
    if not length.isdigit() or int(length) > MAX_BODY_BYTES:
        return HttpResponse("Body too large.", status=413, content_type="text/plain")
    body = request.body
    secrets = settings.META_WEBHOOK_APP_SECRETS
    if not signature_valid(body, request.headers.get("X-Hub-Signature-256"), secrets):
        logger.warning("meta webhook: delivery refused (missing or wrong signature)")
        return HttpResponse("Bad signature.", status=403, content_type="text/plain")
    try:
        events = delivery_parse(body)
    except MalformedDelivery as exc:
        return HttpResponse(str(exc), status=400, content_type="text/plain")
    digest = hashlib.sha256(body).hexdigest()
    if not cache.add(f"meta-webhook:{digest}", 1, REPLAY_WINDOW_SECONDS):
        logger.info("meta webhook: delivery %s already received", digest[:12])
        return HttpResponse("ok", content_type="text/plain")
    try:
        with transaction.atomic():
            meta_delivery_route_across_agencies(events)
    except Exception:
        # Nothing queued (broker or database down): forget the delivery so that Meta's
        # retry is taken, and ask for that retry with a 503 rather than a bare 500.
        cache.delete(f"meta-webhook:{digest}")
        logger.exception("meta webhook: delivery %s could not be queued", digest[:12])
        return HttpResponse("Try again later.", status=503, content_type="text/plain")
    return HttpResponse("ok", content_type="text/plain")


meta_webhook.public = True  # Meta is the caller: the signature is the credential
