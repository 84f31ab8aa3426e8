"""The reaper: decide about variants whose lease ran out (their worker died, or their message
was lost), across agencies, each in its agency's tenant scope.

Never sent (``call_started_at`` empty): claimed again, safely. Sent: the network is asked
(``find_existing_post``); found -> published, not found -> published again with the same
idempotency key; the network cannot tell -> "needs attention" for a person. An irreversible
call is never retried blindly.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agency.tenancy import tenant_scope
from campaigns import states
from campaigns.composer import variant_content
from campaigns.models import PostVariant, VariantState
from clients.services.accounts import credentials_of
from networks.registry import display_name
from publishing.lookup import existing_post_lookup, unsettled_since
from publishing.outcomes import (
    post_state_refresh,
    record_needs_attention,
    record_published,
    variant_for_update,
)
from publishing.worker import adapter_for

logger = logging.getLogger(__name__)

V = VariantState


def expired_leases_across_agencies(*, now: dt.datetime):
    """Variants of EVERY agency still `publishing` after their lease ran out."""
    return PostVariant.unscoped.filter(state=V.PUBLISHING, lease_until__lt=now).order_by(
        "lease_until"
    )


def variant_reap(*, post_variant_id: int, now: dt.datetime, adapter=None) -> str:
    """Decide about one variant whose lease ran out (its worker died, or its message was lost).
    Runs in the variant's tenant scope.

    Never sent -> claimed again (scheduled). Sent -> the network is asked: found -> published;
    not found -> published again (a new attempt); cannot tell -> needs attention. Every
    decision is written in `last_error`, shown on the queue page.
    """
    variant = (
        PostVariant.objects.select_related("post__brand", "post__campaign", "social_account")
        .filter(pk=post_variant_id, state=V.PUBLISHING, lease_until__lt=now)
        .first()
    )
    if variant is None:
        return "gone"
    attempt = variant.attempt
    network_name = display_name(variant.social_account.network)
    states.variant_move_check([V.PUBLISHING], V.SCHEDULED)
    if variant.call_started_at is None:
        with transaction.atomic():
            post, _v = variant_for_update(variant.pk)
            changed = PostVariant.objects.filter(
                pk=variant.pk,
                state=V.PUBLISHING,
                attempt=attempt,
                call_started_at__isnull=True,
                lease_until__lt=now,
            ).update(
                state=V.SCHEDULED,
                lease_until=None,
                last_error=_("Not sent before its claim ran out; queued again."),
            )
            if changed:
                post_state_refresh(post)
        return "requeued" if changed else "gone"
    adapter = adapter or adapter_for(variant.social_account.network)
    if adapter.capabilities.find_existing_post:
        content = variant_content(variant)
        answer = existing_post_lookup(
            adapter=adapter,
            creds=credentials_of(variant.social_account),
            content=content,
            variant=variant,
            since=unsettled_since(variant),
        )
        if answer.error:
            return _reaper_needs_attention(
                variant,
                attempt,
                _(
                    "The worker stopped while publishing and %(network)s could not be asked "
                    "(%(explanation)s): check the account."
                )
                % {"network": network_name, "explanation": answer.error},
            )
        if answer.found is not None:
            # _record_published accepts `publishing` with this attempt; the lease condition
            # is re-checked by reading above, and a late worker would only find it published.
            record_published(
                variant.pk,
                attempt,
                answer.found,
                note=_("The worker stopped while publishing; %(network)s has the post.")
                % {"network": network_name},
            )
            return "published"
        with transaction.atomic():
            post, _v = variant_for_update(variant.pk)
            # Published again with the SAME key, and the next attempt asks the network first:
            # the dead worker's request may still land late.
            changed = PostVariant.objects.filter(
                pk=variant.pk, state=V.PUBLISHING, attempt=attempt, lease_until__lt=now
            ).update(
                state=V.SCHEDULED,
                lease_until=None,
                call_started_at=None,
                sent_key=content.idempotency_key[:80],
                unsettled_since=unsettled_since(variant),
                last_error=_(
                    "The worker stopped while publishing; %(network)s does not have the post, so "
                    "it is published again."
                )
                % {"network": network_name},
            )
            if changed:
                post_state_refresh(post)
        return "republished" if changed else "gone"
    return _reaper_needs_attention(
        variant,
        attempt,
        _(
            "The worker stopped while publishing and %(network)s cannot tell whether the post "
            "went out: check the account, then mark it published or publish it again."
        )
        % {"network": network_name},
    )


def _reaper_needs_attention(variant, attempt, reason: str) -> str:
    return "needs_attention" if record_needs_attention(variant.pk, attempt, reason) else "gone"


def expired_publications_reap_across_agencies(*, now: dt.datetime | None = None, limit: int = 200):
    """The reaper's sweep (beat): every expired lease, each decided in its agency's scope.

    An error while deciding about one variant is contained to it: recorded on the variant
    (needs attention, with a note a person can read) and logged; the sweep goes on with the
    others, of every agency."""
    now = now or timezone.now()
    decisions = {}
    for variant_id, agency_id in expired_leases_across_agencies(now=now).values_list(
        "id", "agency_id"
    )[:limit]:
        with tenant_scope(agency_id):
            try:
                decisions[variant_id] = variant_reap(post_variant_id=variant_id, now=now)
            except Exception as exc:  # noqa: BLE001 - one variant must not stop the sweep
                logger.exception("reaping variant %s failed", variant_id)
                decisions[variant_id] = _reap_failed(variant_id, exc)
    return decisions


def _reap_failed(variant_id: int, exc: Exception) -> str:
    try:
        attempt = (
            PostVariant.objects.filter(pk=variant_id).values_list("attempt", flat=True).first()
        )
        recorded = record_needs_attention(
            variant_id,
            attempt,
            _(
                "The worker stopped while publishing, and checking the network failed "
                "(%(error)s): check the account, then mark it published or publish it again."
            )
            % {"error": exc.__class__.__name__},
        )
    except Exception:  # noqa: BLE001 - still contained: the next sweep tries again
        logger.exception("could not record the reaper's failure on variant %s", variant_id)
        return "error"
    return "needs_attention" if recorded else "error"
