"""The publish worker: publish one claimed variant, once, and record what happened.

The publish task (publishing.tasks.publish_variant) calls `variant_publish` in the variant's
tenant scope. The network is called only for a variant still ``publishing`` with the attempt it
was queued for, after marking ``call_started_at`` with another conditional update: two
deliveries of one message cannot both call the network. Every error kind of the adapter ends in
one recorded outcome (publishing.outcomes); a send whose outcome is unknown is never resent
before the network is asked (publishing.retries).
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.composer import variant_content
from campaigns.models import PostVariant, VariantState
from clients.adapters import shared_adapter
from clients.models import AccountStatus
from clients.services.accounts import credentials_of, social_account_mark_needs_reconnect
from clients.services.token_refresh import social_account_renewed_credentials
from core.network_errors import network_error_words
from networks import (
    AuthExpired,
    NetworkError,
    OutcomeUnknown,
    PermanentError,
    RateLimited,
    TransientError,
)
from networks.adapter import write_may_have_landed
from networks.registry import display_name
from publishing.backoff import account_backoff_set, account_backoff_until
from publishing.lookup import existing_post_lookup
from publishing.outcomes import (
    record_failed,
    record_needs_attention,
    record_published,
    record_retry_later,
)
from publishing.retries import transient_retry, unsettled_retry, unsettled_send

logger = logging.getLogger(__name__)

V = VariantState
DEFAULT_RATE_LIMIT_WAIT = 60.0


def call_lease() -> dt.timedelta:
    """Once the network is being called: longer than the task's hard time limit, so that the
    reaper never asks the network about a call still in flight."""
    return dt.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 60)


def adapter_for(network: str):
    """One adapter (and so one HTTP connection pool) per network per process, with the
    configured API versions: built by clients.adapters, the one adapter factory."""
    return shared_adapter(network)


def _post_first_comment(adapter, creds, variant: PostVariant, text: str) -> None:
    """After the post succeeded, once: a failure is recorded as a note, never retried (a
    second comment is worse than none)."""
    if not text or not adapter.capabilities.first_comment:
        return
    try:
        comment_id = adapter.publish_first_comment(creds, variant.external_id, text)
    except NetworkError as exc:
        PostVariant.objects.filter(pk=variant.pk).update(
            last_error=(
                _("Published, but the first comment failed: %(reason)s")
                % {"reason": network_error_words(exc)}
            )[:2000]
        )
        return
    PostVariant.objects.filter(pk=variant.pk).update(first_comment_id=str(comment_id)[:255])


def variant_publish(*, post_variant_id: int, attempt: int | None = None, adapter=None) -> str:
    """Publish one claimed variant (see `_variant_publish`). An error of ours while handling it
    (reading its content, checking its rules, recording an outcome) is contained to it: logged
    and recorded on the variant, which needs a person's check (re-queueing it would fail the
    same way), and the worker goes on."""
    try:
        return _variant_publish(post_variant_id=post_variant_id, attempt=attempt, adapter=adapter)
    except Exception as exc:  # noqa: BLE001 - contained to this variant, by design
        logger.exception("publishing variant %s failed", post_variant_id)
        current = PostVariant.objects.filter(pk=post_variant_id).values("attempt").first()
        if current is None or (attempt is not None and current["attempt"] != attempt):
            return "error"
        recorded = record_needs_attention(
            post_variant_id,
            current["attempt"],
            _(
                "An unexpected error stopped publishing (%(error)s): check the account, then mark "
                "it published or publish it again."
            )
            % {"error": exc.__class__.__name__},
        )
        return "needs_attention" if recorded else "error"


def _variant_publish(*, post_variant_id: int, attempt: int | None = None, adapter=None) -> str:
    """Publish one claimed variant. Runs in the variant's tenant scope (the publish task).

    Guarantees: the network is called at most once per claim (twice when an expired-token
    answer is followed by a token refresh), and only for a variant still `publishing` with the
    attempt it was claimed for; a send whose outcome is unknown (5xx, timeout, dropped
    connection) is never resent before the network is asked, and a resend carries the same
    idempotency key; an account waiting out a rate limit is not called; every error kind of the
    adapter ends in one recorded outcome (published, scheduled again, failed with a reason in
    plain words, or needs attention). Returns the outcome's name, for logs and tests.
    """
    variant = (
        PostVariant.objects.select_related(
            "post__brand__agency", "post__campaign", "social_account"
        )
        .filter(pk=post_variant_id)
        .first()
    )
    if variant is None:
        return "gone"  # deleted with its post after the claim: nothing to publish
    if variant.state != V.PUBLISHING or variant.call_started_at is not None:
        return "skipped"
    if attempt is not None and variant.attempt != attempt:
        return "skipped"  # a stale message of an earlier claim
    attempt = variant.attempt
    account = variant.social_account
    network_name = display_name(account.network)
    if account.status != AccountStatus.CONNECTED:
        # The account's own "needs reconnect" notification is the one people get (once per
        # account), not one per queued post.
        record_failed(
            variant.pk,
            attempt,
            _("%(account)s must be reconnected before anything can be published on it.")
            % {"account": account},
            notify=False,
        )
        return "failed"
    waits_until = account_backoff_until(social_account_id=account.pk, now=timezone.now())
    if waits_until is not None:
        # Claimed just before its account was rate-limited: wait with it, without a request.
        record_retry_later(
            variant.pk,
            attempt,
            at=waits_until,
            transient=False,
            reason=_("%(network)s asked us to slow down; trying again at %(time)s UTC.")
            % {"network": network_name, "time": waits_until.strftime("%H:%M:%S")},
        )
        return "rate_limited"
    content = variant_content(variant)
    adapter = adapter or adapter_for(account.network)
    violations = adapter.check(content)
    if violations:
        record_failed(
            variant.pk,
            attempt,
            _("The post breaks %(network)s's rules: %(problems)s")
            % {"network": network_name, "problems": " ".join(v.message for v in violations)},
        )
        return "failed"
    # The one conditional update that lets exactly one delivery of this claim call the network.
    now = timezone.now()
    if not PostVariant.objects.filter(
        pk=variant.pk, state=V.PUBLISHING, attempt=attempt, call_started_at__isnull=True
    ).update(call_started_at=now, lease_until=now + call_lease()):
        return "skipped"
    variant.call_started_at = now
    creds = credentials_of(account)
    if variant.unsettled_since is not None:
        # An earlier send may have created the post: ask before any resend.
        answer = existing_post_lookup(
            adapter=adapter, creds=creds, content=content, variant=variant, since=None
        )
        if answer.found is not None:
            record_published(
                variant.pk,
                attempt,
                answer.found,
                note=_("An earlier try had published it on %(network)s after all.")
                % {"network": network_name},
            )
            return "published"
        if answer.error:
            return unsettled_retry(
                variant,
                attempt,
                _("%(network)s could not be asked whether an earlier try went out (%(error)s)")
                % {"network": network_name, "error": answer.error},
            )
    try:
        result = _publish_with_fresh_token(adapter, account, creds, content)
    except RateLimited as exc:
        wait = exc.retry_after if exc.retry_after is not None else DEFAULT_RATE_LIMIT_WAIT
        at = timezone.now() + dt.timedelta(seconds=wait)
        reason = _("%(network)s asked us to slow down; trying again at %(time)s UTC.") % {
            "network": network_name,
            "time": at.strftime("%H:%M:%S"),
        }
        # The limit is the account's: its other due variants wait too, without a request.
        account_backoff_set(
            agency_id=variant.agency_id, social_account_id=account.pk, until=at, reason=reason
        )
        record_retry_later(variant.pk, attempt, at=at, transient=False, reason=reason)
        return "rate_limited"
    except AuthExpired as exc:
        # Refreshed once and refused again, or the refresh itself was refused.
        social_account_mark_needs_reconnect(
            social_account=account, error=exc.explanation or "token refused"
        )
        record_failed(
            variant.pk,
            attempt,
            _(
                "%(network)s refused the account's access (%(explanation)s): reconnect %(account)s"
                ", then retry."
            )
            % {
                "network": network_name,
                "explanation": network_error_words(exc),
                "account": account,
            },
            notify=False,  # the account's one "needs reconnect" notification says it
        )
        return "auth_expired"
    except (TransientError, OutcomeUnknown) as exc:
        if write_may_have_landed(exc):
            return unsettled_send(adapter, creds, variant, attempt, content, exc)
        return transient_retry(variant, attempt, network_error_words(exc))
    except NetworkError as exc:  # PermanentError, NotSupported
        code = getattr(exc, "code", None) if isinstance(exc, PermanentError) else None
        if variant.unsettled_since is not None and code == "duplicate":
            # X refuses a copy of a recent post: the earlier try did create it after all.
            return unsettled_send(adapter, creds, variant, attempt, content, exc)
        record_failed(
            variant.pk,
            attempt,
            _("%(network)s refused the post: %(explanation)s")
            % {"network": network_name, "explanation": network_error_words(exc)},
        )
        return "failed"
    except Exception as exc:  # a bug of ours or of the adapter: the call may have gone out
        logger.exception("publishing variant %s failed unexpectedly", variant.pk)
        record_needs_attention(
            variant.pk,
            attempt,
            _("An unexpected error stopped publishing (%(error)s): check %(network)s.")
            % {"error": exc.__class__.__name__, "network": network_name},
        )
        return "needs_attention"
    if record_published(variant.pk, attempt, result):
        variant.refresh_from_db()
        _post_first_comment(adapter, creds, variant, content.first_comment)
    return "published"


def _publish_with_fresh_token(adapter, account, creds, content):
    """Publish; an expired-token answer renews the token once (the clients refresh service,
    which also decides whether the account needs reconnecting) and publishes once more. A
    401 means the network did not create the post, so the second call is safe."""
    try:
        return adapter.publish(creds, content)
    except AuthExpired:
        renewed = social_account_renewed_credentials(account, creds)
        if renewed is None:
            raise
    return adapter.publish(renewed, content)
