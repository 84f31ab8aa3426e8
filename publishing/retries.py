"""Trying again: after a temporary failure (backoff with jitter, then `failed`), and after a
send whose outcome is unknown (a 5xx, a timeout, a dropped connection), where the network is
asked first and a resend carries the same idempotency key, never a new one.
"""

from __future__ import annotations

import datetime as dt
import random

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.models import PostVariant, VariantState
from core.network_errors import network_error_words
from networks import NetworkError, PermanentError
from networks.registry import display_name
from publishing.lookup import existing_post_lookup
from publishing.outcomes import (
    record_failed,
    record_needs_attention,
    record_published,
    record_retry_later,
)

V = VariantState
TRANSIENT_BASE_SECONDS = 30
TRANSIENT_MAX_SECONDS = 30 * 60
JITTER = 0.2


def transient_delay(failures: int, *, rng: random.Random | None = None) -> dt.timedelta:
    """30 s doubling up to 30 min, ±20 % jitter so that variants failing together spread out."""
    base = min(TRANSIENT_BASE_SECONDS * 2 ** max(failures - 1, 0), TRANSIENT_MAX_SECONDS)
    return dt.timedelta(seconds=base * (1 + (rng or random).uniform(-JITTER, JITTER)))  # noqa: S311


def transient_retry(variant, attempt: int, explanation: str) -> str:
    """A temporary failure that did not reach the network: backoff, then `failed`."""
    network_name = display_name(variant.social_account.network)
    failures = variant.transient_failures + 1
    if failures >= settings.PUBLISH_MAX_TRANSIENT_FAILURES:
        record_failed(
            variant.pk,
            attempt,
            _("%(network)s kept failing (%(count)s tries, last: %(explanation)s).")
            % {"network": network_name, "count": failures, "explanation": explanation},
        )
        return "failed"
    at = timezone.now() + transient_delay(failures)
    record_retry_later(
        variant.pk,
        attempt,
        at=at,
        transient=True,
        reason=_("%(network)s failed for now (%(explanation)s); trying again at %(time)s UTC.")
        % {"network": network_name, "explanation": explanation, "time": at.strftime("%H:%M:%S")},
    )
    return "transient"


def _mark_unsettled(variant, attempt: int, key: str) -> None:
    """Remember that this send may have created the post: the next attempt asks first and
    resends with the same key."""
    since = variant.unsettled_since or variant.call_started_at or timezone.now()
    PostVariant.objects.filter(pk=variant.pk, state=V.PUBLISHING, attempt=attempt).update(
        sent_key=key[:80], unsettled_since=since
    )
    variant.sent_key, variant.unsettled_since = key[:80], since


def unsettled_retry(variant, attempt: int, reason: str, *, absent: bool = False) -> str:
    """Try again later, asking the network first. When the tries are spent: `failed` if the
    network said it does not have the post (`absent`); else the post may be live, so a person
    decides (needs attention)."""
    failures = variant.transient_failures + 1
    if failures >= settings.PUBLISH_MAX_TRANSIENT_FAILURES and absent:
        record_failed(
            variant.pk,
            attempt,
            _("%(reason)s: it kept failing (%(count)s tries).")
            % {"reason": reason, "count": failures},
        )
        return "failed"
    if failures >= settings.PUBLISH_MAX_TRANSIENT_FAILURES:
        record_needs_attention(
            variant.pk,
            attempt,
            _(
                "%(reason)s, %(count)s times: check the account, then mark it published or "
                "publish it again."
            )
            % {"reason": reason, "count": failures},
        )
        return "needs_attention"
    at = timezone.now() + transient_delay(failures)
    record_retry_later(
        variant.pk,
        attempt,
        at=at,
        transient=True,
        reason=_("%(reason)s; asking again at %(time)s UTC before any resend.")
        % {"reason": reason, "time": at.strftime("%H:%M:%S")},
    )
    return "transient"


def unsettled_send(adapter, creds, variant, attempt, content, exc: NetworkError) -> str:
    """The network may have applied the send (no answer, or a 5xx after it had the request):
    ask it, never resend blindly. Found -> published; not found -> resent later with the same
    idempotency key, after asking again; the network cannot tell -> needs attention."""
    network_name = display_name(variant.social_account.network)
    explanation = network_error_words(exc)
    _mark_unsettled(variant, attempt, content.idempotency_key)
    if not adapter.capabilities.find_existing_post:
        record_needs_attention(
            variant.pk,
            attempt,
            _(
                "%(network)s did not answer (%(explanation)s) and cannot tell whether the post "
                "went out: check the account, then mark it published or publish it again."
            )
            % {"network": network_name, "explanation": explanation},
        )
        return "needs_attention"
    answer = existing_post_lookup(
        adapter=adapter, creds=creds, content=content, variant=variant, since=None
    )
    if answer.found is not None:
        record_published(
            variant.pk,
            attempt,
            answer.found,
            note=_("%(network)s did not answer (%(explanation)s), but the post is there.")
            % {"network": network_name, "explanation": explanation},
        )
        return "published"
    if answer.error:
        return unsettled_retry(
            variant,
            attempt,
            _("%(network)s did not answer (%(explanation)s) and could not be asked (%(error)s)")
            % {"network": network_name, "explanation": explanation, "error": answer.error},
        )
    if isinstance(exc, PermanentError):  # refused as a duplicate, yet not found
        record_needs_attention(
            variant.pk,
            attempt,
            _(
                "%(network)s refused a resend (%(explanation)s) but does not list the post: "
                "check the account, then mark it published or publish it again."
            )
            % {"network": network_name, "explanation": explanation},
        )
        return "needs_attention"
    return unsettled_retry(
        variant,
        attempt,
        _("%(network)s did not answer (%(explanation)s) and does not have the post")
        % {"network": network_name, "explanation": explanation},
        absent=True,
    )
