"""Sending the outbox: one claimed action, once, with the publishing engine's guarantees.

``action_send`` (the send task, in the action's tenant scope) claims a ``queued`` row under a
row lock (select_for_update), then marks ``call_started_at`` by one conditional update just
before the network call: two deliveries of one message cannot both call the network, and a row
found ``sending`` without ``call_started_at`` was never sent. An answer that may have landed
(a timeout, a dropped connection, a 5xx, a worker killed during the call) makes the row
``unknown``: the network is asked whether our reply exists (``find_existing_reply``) before
anything is resent, and a resend carries the click's key (Mastodon honours it).
``actions_reap_across_agencies`` (beat) decides about rows whose lease ran out.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agency.tenancy import tenant_scope
from clients.adapters import shared_adapter
from clients.models import AccountStatus
from clients.services.accounts import credentials_of, social_account_mark_needs_reconnect
from clients.services.token_refresh import social_account_renewed_credentials
from core.network_errors import network_error_words
from engagement.models import ActionKind, ActionState, ConversationKind, OutboundAction
from engagement.services.outcomes import record_done, record_failed, record_later
from networks import AuthExpired, NetworkError, NotSupported, PermanentError, RateLimited
from networks.adapter import write_may_have_landed
from networks.registry import display_name

logger = logging.getLogger(__name__)

S = ActionState
K = ActionKind
CLAIM_LEASE = dt.timedelta(seconds=60)  # claim -> call: a few reads; a dead worker shows fast
LOOKUP_SKEW = dt.timedelta(seconds=60)  # the network's clock may be a little behind ours


def call_lease() -> dt.timedelta:
    """Once the network is being called: longer than the task's hard limit, so that the
    reaper never asks the network about a call still in flight (as publishing does)."""
    return dt.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 60)


def _claim(action_id: int) -> OutboundAction | None:
    with transaction.atomic():
        action = (
            OutboundAction.objects.select_for_update(skip_locked=True)
            .filter(pk=action_id, state=S.QUEUED)
            .first()
        )
        if action is None:
            return None
        action.state = S.SENDING
        action.attempts += 1
        action.call_started_at = None
        action.lease_until = timezone.now() + CLAIM_LEASE
        action.save(
            update_fields=["state", "attempts", "call_started_at", "lease_until", "updated_at"]
        )
    return action


def action_send(*, action_id: int, adapter=None) -> str:
    """Claim and send one queued action; returns the outcome's name (logs, tests)."""
    action = _claim(action_id)
    if action is None:
        return "skipped"  # claimed by another delivery, or already settled
    try:
        return _send_claimed(action, adapter)
    except Exception as exc:  # noqa: BLE001 - contained to this action, by design
        logger.exception("outbound action %s failed", action_id)
        # A bug of ours: the call may have gone out, so a person checks before any resend.
        record_failed(
            action,
            _(
                "An unexpected error stopped the sending (%(error)s): check the network, then "
                "send again."
            )
            % {"error": exc.__class__.__name__},
        )
        return "failed"


def _send_claimed(action: OutboundAction, adapter) -> str:
    conversation = action.conversation
    account = conversation.social_account
    network = display_name(account.network)
    if account.status != AccountStatus.CONNECTED:
        record_failed(
            action,
            _("%(account)s must be reconnected before anything can be sent on it.")
            % {"account": account},
        )
        return "failed"
    adapter = adapter or shared_adapter(account.network)
    creds = credentials_of(account)
    if action.first_sent_at is not None and action.kind == K.REPLY:
        # An earlier send may have landed: ask before any resend.
        settled = _ask_network(action, adapter, creds)
        if settled != "not_found":
            return settled
    now = timezone.now()
    if not OutboundAction.objects.filter(
        pk=action.pk, state=S.SENDING, attempts=action.attempts, call_started_at__isnull=True
    ).update(call_started_at=now, lease_until=now + call_lease()):
        return "skipped"
    action.call_started_at = now
    try:
        external_id = _call_with_fresh_token(adapter, account, creds, action)
    except RateLimited as exc:
        wait = exc.retry_after if exc.retry_after is not None else 60.0
        record_later(action, wait, _("%(network)s asked us to slow down.") % {"network": network})
        return "rate_limited"
    except AuthExpired as exc:
        social_account_mark_needs_reconnect(
            social_account=account, error=exc.explanation or "token refused"
        )
        record_failed(
            action,
            _("%(network)s refused the account's access: reconnect %(account)s, then retry.")
            % {"network": network, "account": account},
        )
        return "auth_expired"
    except NetworkError as exc:
        if write_may_have_landed(exc):
            return _unknown(action, adapter, creds, exc)
        if isinstance(exc, PermanentError | NotSupported) or action.attempts >= 5:
            if action.kind == K.DELETE and action.first_sent_at is not None:
                # A delete sent before without an answer: the comment is gone, as asked.
                record_done(action, "", note=_("Deleted by an earlier try."))
                return "done"
            record_failed(
                action,
                _("%(network)s refused it: %(explanation)s")
                % {"network": network, "explanation": network_error_words(exc)},
            )
            return "failed"
        record_later(action, 30.0 * action.attempts, network_error_words(exc))
        return "retry"
    record_done(action, external_id or "")
    return "done"


def _call_with_fresh_token(adapter, account, creds, action: OutboundAction) -> str | None:
    """The network call; an expired-token answer renews the token once and calls again (a
    401 means nothing was done, so the second call is safe), as publishing does."""
    try:
        return _call(adapter, creds, action)
    except AuthExpired:
        renewed = social_account_renewed_credentials(account, creds)
        if renewed is None:
            raise
    return _call(adapter, renewed, action)


def _call(adapter, creds, action: OutboundAction) -> str | None:
    target = action.target
    if target is None:
        raise PermanentError("the message it acted on is gone", code="no_target")
    if action.kind == K.REPLY and _in_direct_thread(adapter, action):
        thread_id, recipient_id = _direct_address(action)
        return adapter.send_direct_message(
            creds,
            thread_id,
            recipient_id,
            action.text,
            idempotency_key=f"reply-{action.idempotency_key}",
        )
    if action.kind == K.REPLY:
        return adapter.send_reply(
            creds,
            target.external_id,
            action.text,
            idempotency_key=f"reply-{action.idempotency_key}",
        )
    if action.kind == K.PRIVATE_REPLY:
        return adapter.send_private_reply(creds, target.external_id, action.text)
    if action.kind in (K.LIKE, K.UNLIKE):
        adapter.like_comment(creds, target.external_id, liked=action.kind == K.LIKE)
        return None
    if action.kind in (K.HIDE, K.UNHIDE):
        adapter.hide_comment(creds, target.external_id, hidden=action.kind == K.HIDE)
        return None
    if action.kind == K.DELETE:
        adapter.delete_comment(creds, target.external_id)
        return None
    raise NotSupported(action.kind)


def _in_direct_thread(adapter, action: OutboundAction) -> bool:
    """A reply in a private conversation goes as a private message where the network sends
    them (X, Bluesky chat, Mastodon's direct visibility), never as a public reply."""
    return (
        action.conversation.kind == ConversationKind.DIRECT_MESSAGE
        and adapter.capabilities.send_direct_messages
    )


def _direct_address(action: OutboundAction) -> tuple[str, str]:
    """(thread id, recipient): the conversation's thread at the network (its key without the
    ``dm:`` of private threads) and the author of the message answered, as the network names
    them: the author's network id where ingest kept it (a PSID for Messenger), else their
    handle (a PSID too where the network gives no handle). The adapters of X, Bluesky and
    Mastodon find the recipient from the thread."""
    thread_id = action.conversation.thread_key.removeprefix("dm:")
    target = action.target
    if target is None:
        return thread_id, ""
    return thread_id, target.author_external_id or target.author_handle


def _private_reply_unknown(action: OutboundAction) -> str:
    """A private reply cannot be looked up on the network, and it is one per comment: never
    resent automatically, a person checks Messenger."""
    record_failed(
        action,
        _(
            "No answer came from %(network)s: the private reply may have been sent. Check the "
            "Page's messages (Messenger or Instagram) before sending it again."
        )
        % {"network": display_name(action.conversation.network)},
    )
    return "failed"


def _unknown(action: OutboundAction, adapter, creds, exc: NetworkError) -> str:
    """No answer (or an error after the network received it): never resend blindly."""
    first = action.first_sent_at or action.call_started_at or timezone.now()
    with transaction.atomic():
        OutboundAction.objects.filter(pk=action.pk, state=S.SENDING).update(
            state=S.UNKNOWN,
            first_sent_at=first,
            error=(exc.explanation or exc.__class__.__name__)[:2000],
            lease_until=timezone.now() + CLAIM_LEASE,
        )
    action.refresh_from_db()
    if action.kind == K.PRIVATE_REPLY:
        return _private_reply_unknown(action)
    if action.kind != K.REPLY:
        # Hiding, unhiding, liking and unliking are idempotent, a second delete finds the
        # comment gone.
        record_later(action, 5.0, action.error)
        return "retry"
    return _ask_network(action, adapter, creds)


def _ask_network(action: OutboundAction, adapter, creds) -> str:
    """Whether our reply exists on the network: found -> done; not found -> "not_found" (the
    caller sends, or it is queued again); the network cannot be asked -> left unknown for the
    reaper to ask again, or failed for a person when the network has no listing."""
    since = (action.first_sent_at or timezone.now()) - LOOKUP_SKEW
    account = action.conversation.social_account
    if action.target is None:
        record_failed(action, _("The message it answered is gone."))
        return "failed"
    try:
        if _in_direct_thread(adapter, action):
            found = adapter.find_existing_direct_message(
                creds, _direct_address(action)[0], action.text, since=since
            )
        else:
            found = adapter.find_existing_reply(
                creds,
                action.target.external_id,
                action.text,
                author_id=account.external_id,
                since=since,
            )
    except NotSupported:
        record_failed(
            action,
            _(
                "No answer came and %(network)s cannot be asked whether the reply went out: "
                "check the thread on the network, then send again if it is not there."
            )
            % {"network": display_name(account.network)},
        )
        return "failed"
    except NetworkError as exc:
        OutboundAction.objects.filter(pk=action.pk).update(
            state=S.UNKNOWN,
            lease_until=timezone.now() + CLAIM_LEASE,
            error=(exc.explanation or exc.__class__.__name__)[:2000],
        )
        return "unknown"
    if found:
        record_done(action, found, note=_("An earlier try had sent it after all."))
        return "done"
    if action.state == S.UNKNOWN:
        record_later(action, 0.0, _("Not on the network: sent again."))
    return "not_found"


def expired_actions_across_agencies(*, now: dt.datetime):
    """Rows of EVERY agency whose lease ran out: a claim whose worker died, a call without
    an answer, a queued row whose message was lost."""
    return OutboundAction.unscoped.filter(
        state__in=[S.QUEUED, S.SENDING, S.UNKNOWN], lease_until__lt=now
    ).order_by("lease_until")


def action_reap(*, action_id: int, now: dt.datetime, adapter=None) -> str:
    """Decide about one expired row (in its tenant scope). Never called -> queued again
    (safe); called -> the network is asked before any resend."""
    with transaction.atomic():
        action = (
            OutboundAction.objects.select_for_update(skip_locked=True)
            .filter(pk=action_id, lease_until__lt=now)
            .first()
        )
        if action is None:
            return "gone"
        if action.state == S.SENDING and action.call_started_at is not None:
            action.state = S.UNKNOWN
            action.first_sent_at = action.first_sent_at or action.call_started_at
            action.error = _("The worker stopped while sending; checking with the network.")
        elif action.state == S.SENDING:
            action.state = S.QUEUED  # claimed, never sent: safe to send
        action.lease_until = now + CLAIM_LEASE
        action.save(update_fields=["state", "first_sent_at", "error", "lease_until", "updated_at"])
    if action.state == S.QUEUED:
        from engagement.services.actions import action_enqueue

        action_enqueue(action)
        return "queued"
    if action.kind == K.PRIVATE_REPLY:
        return _private_reply_unknown(action)
    if action.kind != K.REPLY:
        record_later(action, 0.0, action.error)
        return "queued"
    account = action.conversation.social_account
    adapter = adapter or shared_adapter(account.network)
    return _ask_network(action, adapter, credentials_of(account))


def actions_reap_across_agencies(*, now: dt.datetime | None = None) -> dict[int, str]:
    now = now or timezone.now()
    rows = list(expired_actions_across_agencies(now=now).values_list("id", "agency_id")[:200])
    decisions = {}
    for action_id, agency_id in rows:
        with tenant_scope(agency_id):
            try:
                decisions[action_id] = action_reap(action_id=action_id, now=now)
            except Exception:  # noqa: BLE001 - one row's trouble must not stop the others
                logger.exception("reaping outbound action %s failed", action_id)
                decisions[action_id] = "error"
    return decisions
