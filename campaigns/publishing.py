"""The publishing engine: claim what is due, publish it once, be honest about what happened.

The database is the source of truth, never a Celery message:

* The **dispatcher** (beat, every few seconds, spans agencies by design) claims due variants in
  small batches: ``SELECT ... FOR UPDATE SKIP LOCKED`` on PostgreSQL, and on every database a
  conditional update (``state='scheduled' -> 'publishing'``, ``attempt + 1``, a lease) that
  changes exactly one row or nothing. The post's state is read at that moment, so an edit,
  unscheduling, cancellation or deletion made before the due time wins. The publish task is
  queued on commit; no ETA or countdown ever carries a due time.
* The **publish task** calls the network only for a variant still ``publishing`` with the
  attempt it was queued for, after marking ``call_started_at`` with another conditional update:
  two deliveries of one message cannot both call the network.
* The **reaper** handles leases that ran out. Never sent (``call_started_at`` empty): claimed
  again, safely. Sent: the network is asked (``find_existing_post``); found -> published, not
  found -> published again; the network cannot tell -> "needs attention" for a person.

Every outcome moves the variant with a conditional update on (state, attempt), derives the
post's state from its variants under the post's row lock, and tells people and webhooks once.
"""

from __future__ import annotations

import datetime as dt
import logging
import random
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import F, Min, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from agency import permissions
from agency.services import audit_record
from agency.tenancy import tenant_scope
from campaigns.models import (
    METRIC_WINDOWS,
    AgencyPublishingPause,
    Post,
    PostMetricSnapshot,
    PostState,
    PostVariant,
    VariantState,
)
from campaigns.publishing_backoff import (
    account_backoff_set,
    account_backoff_until,
    exclude_backed_off,
)
from campaigns.publishing_lookup import existing_post_lookup, unsettled_since
from clients.adapters import shared_adapter
from clients.models import AccountStatus
from networks import (
    AuthExpired,
    NetworkError,
    OutcomeUnknown,
    PermanentError,
    PublishResult,
    RateLimited,
    TransientError,
)
from networks.adapter import write_may_have_landed
from networks.registry import display_name
from webhooks.events import WebhookEvent
from webhooks.services.emit import webhook_emit

logger = logging.getLogger(__name__)

V = VariantState
# A variant is claimed only while its post is in one of these states: a post sent back to
# review, unscheduled or cancelled has moved its variants out of `scheduled` anyway, and this
# second condition closes the window between reading and claiming.
CLAIMABLE_POST_STATES = (
    PostState.SCHEDULED,
    PostState.PUBLISHING,
    PostState.PARTLY_PUBLISHED,
    PostState.FAILED,
)

CLAIM_BATCH = 50
DISPATCH_BUDGET_SECONDS = 2.0
TRANSIENT_BASE_SECONDS = 30
TRANSIENT_MAX_SECONDS = 30 * 60
JITTER = 0.2
DEFAULT_RATE_LIMIT_WAIT = 60.0

HEARTBEAT_DISPATCHER = "publishing:heartbeat:dispatcher"
HEARTBEAT_WORKER = "publishing:heartbeat:worker"


def claim_lease() -> dt.timedelta:
    """How long a claimed variant may wait in the queue before the reaper claims it again."""
    return dt.timedelta(seconds=settings.PUBLISH_CLAIM_LEASE_SECONDS)


def call_lease() -> dt.timedelta:
    """Once the network is being called: longer than the task's hard time limit, so that the
    reaper never asks the network about a call still in flight."""
    return dt.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 60)


def transient_delay(failures: int, *, rng: random.Random | None = None) -> dt.timedelta:
    """30 s doubling up to 30 min, ±20 % jitter so that variants failing together spread out."""
    base = min(TRANSIENT_BASE_SECONDS * 2 ** max(failures - 1, 0), TRANSIENT_MAX_SECONDS)
    return dt.timedelta(seconds=base * (1 + (rng or random).uniform(-JITTER, JITTER)))  # noqa: S311


def adapter_for(network: str):
    """One adapter (and so one HTTP connection pool) per network per process, with the
    configured API versions: built by clients.adapters, the one adapter factory."""
    return shared_adapter(network)


# --- Kill switches ---------------------------------------------------------------------------


def paused_agency_ids_unscoped() -> list[int]:
    return list(
        AgencyPublishingPause.unscoped.filter(paused=True).values_list("agency_id", flat=True)
    )


def agency_publishing_paused(*, agency_id: int) -> bool:
    return AgencyPublishingPause.unscoped.filter(agency_id=agency_id, paused=True).exists()


@transaction.atomic
def agency_publishing_pause_set(*, actor, paused: bool) -> AgencyPublishingPause:
    """The agency-wide kill switch. While paused, the dispatcher claims nothing of the agency;
    a variant already being sent finishes (it cannot be called back)."""
    if not permissions.can(actor, permissions.AGENCY_EDIT):
        raise PermissionDenied
    switch, _created = AgencyPublishingPause.unscoped.select_for_update().get_or_create(
        agency_id=actor.agency_id
    )
    switch.paused = paused
    switch.changed_at = timezone.now()
    switch.changed_by_label = str(getattr(actor, "user", actor))[:200]
    switch.save()
    audit_record(
        agency=actor.agency,
        actor=actor,
        verb="publishing.paused" if paused else "publishing.resumed",
        data={"scope": "agency"},
    )
    return switch


@transaction.atomic
def brand_publishing_pause_set(*, actor, brand, paused: bool):
    """The brand's kill switch (PublishingPolicy.publishing_paused)."""
    from campaigns.selectors.planning import policy_of

    if not permissions.can(actor, permissions.CAMPAIGNS_MANAGE):
        raise PermissionDenied
    policy = policy_of(brand)
    policy.publishing_paused = paused
    policy.save()
    audit_record(
        agency=brand.agency,
        actor=actor,
        verb="publishing.paused" if paused else "publishing.resumed",
        target=brand,
        data={"scope": "brand"},
    )
    return policy


# --- Dispatcher ------------------------------------------------------------------------------


def _due_unscoped(now: dt.datetime):
    """Scheduled variants of EVERY agency that are due now and not paused (the dispatcher's
    read; index `variant_due`)."""
    due = (
        PostVariant.unscoped.filter(
            state=V.SCHEDULED, due_at__lte=now, post__state__in=CLAIMABLE_POST_STATES
        )
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .exclude(post__brand__publishing_policy__publishing_paused=True)
        .exclude(agency_id__in=paused_agency_ids_unscoped())
    )
    # A rate-limited account's variants wait with it, without making requests.
    return exclude_backed_off(due, now=now)


@dataclass(frozen=True)
class Claim:
    agency_id: int
    post_variant_id: int
    attempt: int


def _enqueue(claim: Claim) -> None:
    from campaigns.tasks import publish_variant

    publish_variant.delay(
        agency_id=claim.agency_id, post_variant_id=claim.post_variant_id, attempt=claim.attempt
    )


def due_variants_claim_unscoped(
    *, now: dt.datetime | None = None, limit: int = CLAIM_BATCH
) -> list[Claim]:
    """Claim up to `limit` due variants across agencies, in one transaction.

    Guarantees: a variant is claimed by one dispatcher only (row locks skipped, not waited
    for, on PostgreSQL; a conditional update everywhere); a variant whose post is no longer
    scheduled, or whose brand or agency is paused, is not claimed; the post becomes
    `publishing`; the publish task is queued only once the claim is committed.
    """
    from campaigns.services.transitions import post_refresh_state_from_variants

    now = now or timezone.now()
    lease_until = now + claim_lease()
    skip_locked = connection.features.has_select_for_update_skip_locked
    claims: list[Claim] = []
    with transaction.atomic():
        due = _due_unscoped(now).order_by("due_at", "id")
        if skip_locked:
            due = due.select_for_update(skip_locked=True, of=("self",))
        candidates = list(due.values_list("id", "agency_id", "post_id", "attempt")[:limit])
        if not candidates:
            return []
        post_ids = {post_id for _id, _agency, post_id, _attempt in candidates}
        if skip_locked:
            # Lock the posts too, skipping any a person is editing right now (the edit wins;
            # the variant is looked at again on the next tick). Skipping never waits, so this
            # cannot deadlock with the services, which lock the post first.
            post_ids = set(
                Post.unscoped.select_for_update(skip_locked=True)
                .filter(pk__in=post_ids)
                .values_list("pk", flat=True)
            )
        claimed_posts = set()
        for variant_id, agency_id, post_id, attempt in candidates:
            if post_id not in post_ids:
                continue
            changed = PostVariant.unscoped.filter(
                pk=variant_id,
                state=V.SCHEDULED,
                due_at__lte=now,
                post__state__in=CLAIMABLE_POST_STATES,
            ).update(
                state=V.PUBLISHING,
                lease_until=lease_until,
                attempt=F("attempt") + 1,
                call_started_at=None,
                next_attempt_at=None,
            )
            if changed != 1:
                continue
            # Read under the row lock on PostgreSQL; on SQLite a stale read only makes the task
            # skip, and the reaper claims the variant again when the lease runs out.
            claims.append(Claim(agency_id, variant_id, attempt + 1))
            claimed_posts.add(post_id)
        for post in Post.unscoped.filter(pk__in=claimed_posts).select_related("brand__agency"):
            post_refresh_state_from_variants(post=post)
        for claim in claims:
            transaction.on_commit(partial(_enqueue, claim))
    return claims


def publications_dispatch_unscoped(*, now: dt.datetime | None = None) -> int:
    """The dispatcher's run: claim batch after batch until nothing is due or the time budget
    (shorter than the beat interval) is spent. Records its heartbeat for /health/."""
    started = timezone.now()
    total = 0
    while True:
        claims = due_variants_claim_unscoped(now=now)
        total += len(claims)
        if len(claims) < CLAIM_BATCH:
            break
        if (timezone.now() - started).total_seconds() > DISPATCH_BUDGET_SECONDS:
            break
    cache.set(HEARTBEAT_DISPATCHER, timezone.now().timestamp(), None)
    return total


# --- Publishing one variant -----------------------------------------------------------------


def _variant_for_update(variant_id: int) -> tuple[Post | None, PostVariant | None]:
    """Lock the post (then read the variant): the order the campaigns services use. (None,
    None) when the post was deleted meanwhile."""
    post_id = PostVariant.unscoped.filter(pk=variant_id).values_list("post_id", flat=True).first()
    post = (
        Post.unscoped.select_for_update(of=("self",))
        .select_related("brand__agency")
        .filter(pk=post_id)
        .first()
    )
    variant = PostVariant.unscoped.select_related("social_account").filter(pk=variant_id).first()
    if post is None or variant is None:
        return None, None
    return post, variant


def _move(variant: PostVariant | None, *, from_states, to: str, attempt: int | None, **fields):
    """Conditional move: only from `from_states` and (when given) the same attempt."""
    if variant is None:
        return False
    conditions = {"pk": variant.pk, "state__in": list(from_states)}
    if attempt is not None:
        conditions["attempt"] = attempt
    changed = PostVariant.unscoped.filter(**conditions).update(state=to, **fields)
    if changed:
        if any(hasattr(value, "resolve_expression") for value in fields.values()):
            variant.refresh_from_db()
        else:
            variant.state = to
            for name, value in fields.items():
                setattr(variant, name, value)
    return bool(changed)


def _event_data(post: Post, variant: PostVariant) -> dict:
    return {
        "post_id": post.pk,
        "post_variant_id": variant.pk,
        "brand_id": post.brand_id,
        "network": variant.social_account.network,
        "account": variant.social_account.handle or variant.social_account.external_id,
        "external_id": variant.external_id,
        "url": variant.external_url,
        "published_at": variant.published_at.isoformat() if variant.published_at else None,
        "error": variant.last_error,
        "state": variant.state,
    }


def _notify_people(post: Post, *, verb: str, message: str) -> None:
    from campaigns.services.notify import post_url as _post_url
    from clients.selectors import brand_manager_user_ids
    from notifications.services import alert_send

    alert_send(
        agency=post.brand.agency,
        recipients=[post.author_id, *brand_manager_user_ids(brand=post.brand)],
        kind=verb,
        message=message,
        url=_post_url(post),
    )


def _after_outcome(post: Post) -> None:
    from campaigns.services.transitions import post_refresh_state_from_variants

    post_refresh_state_from_variants(post=post)


@transaction.atomic
def _record_published(
    variant_id: int, attempt: int | None, result: PublishResult, *, note: str = ""
) -> bool:
    post, variant = _variant_for_update(variant_id)
    now = timezone.now()
    if not _move(
        variant,
        from_states=(V.PUBLISHING, V.NEEDS_ATTENTION),
        to=V.PUBLISHED,
        attempt=attempt,
        external_id=result.external_id[:255],
        external_url=(result.url or "")[:1000],
        published_at=now,
        lease_until=None,
        last_error=note[:2000],
        transient_failures=0,
        sent_key="",
        unsettled_since=None,
    ):
        return False
    PostMetricSnapshot.unscoped.bulk_create(
        [
            PostMetricSnapshot(
                agency_id=variant.agency_id, post_variant=variant, window=window, due_at=now + delta
            )
            for window, delta in METRIC_WINDOWS.items()
        ],
        ignore_conflicts=True,
    )
    _after_outcome(post)
    webhook_emit(
        agency=post.agency_id, event=WebhookEvent.POST_PUBLISHED, data=_event_data(post, variant)
    )
    return True


@transaction.atomic
def _record_failed(
    variant_id: int, attempt: int | None, reason: str, *, from_states=None, notify: bool = True
) -> bool:
    """`notify=False` when people are told once by another path (an account that must be
    reconnected notifies once per account, not once per queued post)."""
    post, variant = _variant_for_update(variant_id)
    if not _move(
        variant,
        from_states=from_states or (V.PUBLISHING,),
        to=V.FAILED,
        attempt=attempt,
        last_error=reason[:2000],
        lease_until=None,
        sent_key="",
        unsettled_since=None,
    ):
        return False
    _after_outcome(post)
    if notify:
        _notify_people(
            post,
            verb="post.failed",
            message=_("%(post)s was not published on %(account)s: %(reason)s")
            % {"post": post, "account": variant.social_account, "reason": reason[:300]},
        )
    webhook_emit(
        agency=post.agency_id, event=WebhookEvent.POST_FAILED, data=_event_data(post, variant)
    )
    return True


@transaction.atomic
def _record_needs_attention(variant_id: int, attempt: int | None, reason: str) -> bool:
    post, variant = _variant_for_update(variant_id)
    if not _move(
        variant,
        from_states=(V.PUBLISHING,),
        to=V.NEEDS_ATTENTION,
        attempt=attempt,
        last_error=reason[:2000],
        lease_until=None,
    ):
        return False
    _after_outcome(post)
    _notify_people(
        post,
        verb="post.needs_attention",
        message=_("Check whether %(post)s went out on %(account)s: %(reason)s")
        % {"post": post, "account": variant.social_account, "reason": reason[:300]},
    )
    return True


@transaction.atomic
def _record_retry_later(
    variant_id: int, attempt: int | None, *, at: dt.datetime, reason: str, transient: bool
) -> bool:
    post, variant = _variant_for_update(variant_id)
    fields = {
        "next_attempt_at": at,
        "last_error": reason[:2000],
        "lease_until": None,
        "call_started_at": None,
    }
    if transient:
        fields["transient_failures"] = F("transient_failures") + 1
    if not _move(variant, from_states=(V.PUBLISHING,), to=V.SCHEDULED, attempt=attempt, **fields):
        return False
    _after_outcome(post)
    return True


def _post_first_comment(adapter, creds, variant: PostVariant, text: str) -> None:
    """After the post succeeded, once: a failure is recorded as a note, never retried (a
    second comment is worse than none)."""
    if not text or not adapter.capabilities.first_comment:
        return
    try:
        comment_id = adapter.publish_first_comment(creds, variant.external_id, text)
    except NetworkError as exc:
        PostVariant.unscoped.filter(pk=variant.pk).update(
            last_error=(
                _("Published, but the first comment failed: %(reason)s")
                % {"reason": exc.explanation or exc.__class__.__name__}
            )[:2000]
        )
        return
    PostVariant.unscoped.filter(pk=variant.pk).update(first_comment_id=str(comment_id)[:255])


def variant_publish(*, post_variant_id: int, attempt: int | None = None, adapter=None) -> str:
    """Publish one claimed variant (see `_variant_publish`). An error of ours while handling it
    (reading its content, checking its rules, recording an outcome) is contained to it: logged
    and recorded on the variant, which needs a person's check (re-queueing it would fail the
    same way), and the worker goes on."""
    try:
        return _variant_publish(post_variant_id=post_variant_id, attempt=attempt, adapter=adapter)
    except Exception as exc:  # noqa: BLE001 - contained to this variant, by design
        logger.exception("publishing variant %s failed", post_variant_id)
        current = PostVariant.unscoped.filter(pk=post_variant_id).values("attempt").first()
        if current is None or (attempt is not None and current["attempt"] != attempt):
            return "error"
        recorded = _record_needs_attention(
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
    from campaigns.composer import variant_content
    from clients.services.accounts import credentials_of, social_account_mark_needs_reconnect

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
        _record_failed(
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
        _record_retry_later(
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
        _record_failed(
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
            _record_published(
                variant.pk,
                attempt,
                answer.found,
                note=_("An earlier try had published it on %(network)s after all.")
                % {"network": network_name},
            )
            return "published"
        if answer.error:
            return _unsettled_retry(
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
        _record_retry_later(variant.pk, attempt, at=at, transient=False, reason=reason)
        return "rate_limited"
    except AuthExpired as exc:
        # Refreshed once and refused again, or the refresh itself was refused.
        social_account_mark_needs_reconnect(
            social_account=account, error=exc.explanation or "token refused"
        )
        _record_failed(
            variant.pk,
            attempt,
            _(
                "%(network)s refused the account's access (%(explanation)s): reconnect %(account)s"
                ", then retry."
            )
            % {"network": network_name, "explanation": exc.explanation, "account": account},
            notify=False,  # the account's one "needs reconnect" notification says it
        )
        return "auth_expired"
    except (TransientError, OutcomeUnknown) as exc:
        if write_may_have_landed(exc):
            return _unsettled_send(adapter, creds, variant, attempt, content, exc)
        return _transient_retry(variant, attempt, exc.explanation)
    except NetworkError as exc:  # PermanentError, NotSupported
        code = getattr(exc, "code", None) if isinstance(exc, PermanentError) else None
        if variant.unsettled_since is not None and code == "duplicate":
            # X refuses a copy of a recent post: the earlier try did create it after all.
            return _unsettled_send(adapter, creds, variant, attempt, content, exc)
        _record_failed(
            variant.pk,
            attempt,
            _("%(network)s refused the post: %(explanation)s")
            % {"network": network_name, "explanation": exc.explanation or code or "?"},
        )
        return "failed"
    except Exception as exc:  # a bug of ours or of the adapter: the call may have gone out
        logger.exception("publishing variant %s failed unexpectedly", variant.pk)
        _record_needs_attention(
            variant.pk,
            attempt,
            _("An unexpected error stopped publishing (%(error)s): check %(network)s.")
            % {"error": exc.__class__.__name__, "network": network_name},
        )
        return "needs_attention"
    if _record_published(variant.pk, attempt, result):
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
        renewed = _renewed_credentials(account, creds)
        if renewed is None:
            raise
    return adapter.publish(renewed, content)


def _renewed_credentials(account, creds):
    """New credentials after a refresh, or None when the token cannot be renewed (no refresh
    for this network, or the refresh was refused). A rate limit or a temporary failure of the
    refresh is raised: the publish is retried later like any other."""
    from clients.models import SocialAccount
    from clients.services.accounts import credentials_of
    from clients.services.token_refresh import RefreshOutcome, social_account_refresh

    outcome = social_account_refresh(social_account_id=account.pk, force=True)
    fresh = SocialAccount.objects.filter(pk=account.pk).first()
    if fresh is None or fresh.status != AccountStatus.CONNECTED:
        return None
    if outcome == RefreshOutcome.REFRESHED or fresh.access_token != creds.access_token:
        # Refreshed here, or by a concurrent refresh that held the account's lock.
        return credentials_of(fresh)
    return None


def _transient_retry(variant, attempt: int, explanation: str) -> str:
    """A temporary failure that did not reach the network: backoff, then `failed`."""
    network_name = display_name(variant.social_account.network)
    failures = variant.transient_failures + 1
    if failures >= settings.PUBLISH_MAX_TRANSIENT_FAILURES:
        _record_failed(
            variant.pk,
            attempt,
            _("%(network)s kept failing (%(count)s tries, last: %(explanation)s).")
            % {"network": network_name, "count": failures, "explanation": explanation},
        )
        return "failed"
    at = timezone.now() + transient_delay(failures)
    _record_retry_later(
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
    PostVariant.unscoped.filter(pk=variant.pk, state=V.PUBLISHING, attempt=attempt).update(
        sent_key=key[:80], unsettled_since=since
    )
    variant.sent_key, variant.unsettled_since = key[:80], since


def _unsettled_retry(variant, attempt: int, reason: str, *, absent: bool = False) -> str:
    """Try again later, asking the network first. When the tries are spent: `failed` if the
    network said it does not have the post (`absent`); else the post may be live, so a person
    decides (needs attention)."""
    failures = variant.transient_failures + 1
    if failures >= settings.PUBLISH_MAX_TRANSIENT_FAILURES and absent:
        _record_failed(
            variant.pk,
            attempt,
            _("%(reason)s: it kept failing (%(count)s tries).")
            % {"reason": reason, "count": failures},
        )
        return "failed"
    if failures >= settings.PUBLISH_MAX_TRANSIENT_FAILURES:
        _record_needs_attention(
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
    _record_retry_later(
        variant.pk,
        attempt,
        at=at,
        transient=True,
        reason=_("%(reason)s; asking again at %(time)s UTC before any resend.")
        % {"reason": reason, "time": at.strftime("%H:%M:%S")},
    )
    return "transient"


def _unsettled_send(adapter, creds, variant, attempt, content, exc: NetworkError) -> str:
    """The network may have applied the send (no answer, or a 5xx after it had the request):
    ask it, never resend blindly. Found -> published; not found -> resent later with the same
    idempotency key, after asking again; the network cannot tell -> needs attention."""
    network_name = display_name(variant.social_account.network)
    explanation = exc.explanation or exc.__class__.__name__
    _mark_unsettled(variant, attempt, content.idempotency_key)
    if not adapter.capabilities.find_existing_post:
        _record_needs_attention(
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
        _record_published(
            variant.pk,
            attempt,
            answer.found,
            note=_("%(network)s did not answer (%(explanation)s), but the post is there.")
            % {"network": network_name, "explanation": explanation},
        )
        return "published"
    if answer.error:
        return _unsettled_retry(
            variant,
            attempt,
            _("%(network)s did not answer (%(explanation)s) and could not be asked (%(error)s)")
            % {"network": network_name, "explanation": explanation, "error": answer.error},
        )
    if isinstance(exc, PermanentError):  # refused as a duplicate, yet not found
        _record_needs_attention(
            variant.pk,
            attempt,
            _(
                "%(network)s refused a resend (%(explanation)s) but does not list the post: "
                "check the account, then mark it published or publish it again."
            )
            % {"network": network_name, "explanation": explanation},
        )
        return "needs_attention"
    return _unsettled_retry(
        variant,
        attempt,
        _("%(network)s did not answer (%(explanation)s) and does not have the post")
        % {"network": network_name, "explanation": explanation},
        absent=True,
    )


# --- Reaper ----------------------------------------------------------------------------------


def expired_leases_unscoped(*, now: dt.datetime):
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
    from campaigns.composer import variant_content
    from clients.services.accounts import credentials_of

    variant = (
        PostVariant.objects.select_related("post__brand", "post__campaign", "social_account")
        .filter(pk=post_variant_id, state=V.PUBLISHING, lease_until__lt=now)
        .first()
    )
    if variant is None:
        return "gone"
    attempt = variant.attempt
    network_name = display_name(variant.social_account.network)
    if variant.call_started_at is None:
        with transaction.atomic():
            post, _v = _variant_for_update(variant.pk)
            changed = PostVariant.unscoped.filter(
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
                _after_outcome(post)
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
            _record_published(
                variant.pk,
                attempt,
                answer.found,
                note=_("The worker stopped while publishing; %(network)s has the post.")
                % {"network": network_name},
            )
            return "published"
        with transaction.atomic():
            post, _v = _variant_for_update(variant.pk)
            # Published again with the SAME key, and the next attempt asks the network first:
            # the dead worker's request may still land late.
            changed = PostVariant.unscoped.filter(
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
                _after_outcome(post)
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
    return "needs_attention" if _record_needs_attention(variant.pk, attempt, reason) else "gone"


def expired_publications_reap_unscoped(*, now: dt.datetime | None = None, limit: int = 200):
    """The reaper's sweep (beat): every expired lease, each decided in its agency's scope.

    An error while deciding about one variant is contained to it: recorded on the variant
    (needs attention, with a note a person can read) and logged; the sweep goes on with the
    others, of every agency."""
    now = now or timezone.now()
    decisions = {}
    for variant_id, agency_id in expired_leases_unscoped(now=now).values_list("id", "agency_id")[
        :limit
    ]:
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
            PostVariant.unscoped.filter(pk=variant_id).values_list("attempt", flat=True).first()
        )
        recorded = _record_needs_attention(
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


# --- People's actions on the queue -------------------------------------------------------------


def _require_variant_writer(actor, variant: PostVariant) -> None:
    from campaigns.services.access import require as _require
    from campaigns.services.access import require_brand as _require_brand

    _require(actor, permissions.POSTS_WRITE)
    _require_brand(actor, variant.post.brand)


@transaction.atomic
def variant_retry(*, actor, post_variant: PostVariant) -> PostVariant:
    """Publish a failed variant again, now (a new attempt, so a new idempotency key). Acts on
    failed variants only: a published, publishing or scheduled one is never sent again here."""
    _require_variant_writer(actor, post_variant)
    post, variant = _variant_for_update(post_variant.pk)
    now = timezone.now()
    if not _move(
        variant,
        from_states=(V.FAILED,),
        to=V.SCHEDULED,
        attempt=None,
        due_at=now,
        next_attempt_at=None,
        call_started_at=None,
        transient_failures=0,
        last_error="",
        sent_key="",
        unsettled_since=None,
    ):
        raise ValidationError(_("Only a failed publication can be retried."))
    _after_outcome(post)
    audit_record(agency=post.brand.agency, actor=actor, verb="post_variant.retried", target=post)
    return variant


@transaction.atomic
def variant_resolve(
    *, actor, post_variant: PostVariant, outcome: str, external_url: str = ""
) -> PostVariant:
    """A person's decision about a variant that needs attention: `published` (it went out;
    optionally its address) or `publish_again` (it did not; a new attempt)."""
    _require_variant_writer(actor, post_variant)
    post, variant = _variant_for_update(post_variant.pk)
    if variant is None or variant.state != V.NEEDS_ATTENTION:
        raise ValidationError(_("This publication does not need attention any more."))
    if outcome == "published":
        _move(
            variant,
            from_states=(V.NEEDS_ATTENTION,),
            to=V.PUBLISHED,
            attempt=None,
            published_at=timezone.now(),
            external_url=external_url[:1000],
            sent_key="",
            unsettled_since=None,
            last_error=_("Marked as published by a person."),
        )
    elif outcome == "publish_again":
        _move(
            variant,
            from_states=(V.NEEDS_ATTENTION,),
            to=V.SCHEDULED,
            attempt=None,
            due_at=timezone.now(),
            next_attempt_at=None,
            call_started_at=None,
            transient_failures=0,
            sent_key="",
            unsettled_since=None,
            last_error=_("Publishing again, at a person's request."),
        )
    else:
        raise ValidationError({"outcome": _("Choose published or publish again.")})
    _after_outcome(post)
    audit_record(
        agency=post.brand.agency,
        actor=actor,
        verb="post_variant.resolved",
        target=post,
        data={"outcome": outcome, "post_variant_id": variant.pk},
    )
    return variant


# --- Metrics ---------------------------------------------------------------------------------


def due_metric_snapshots_unscoped(*, now: dt.datetime, limit: int = 500):
    return PostMetricSnapshot.unscoped.filter(taken_at__isnull=True, due_at__lte=now).order_by(
        "due_at"
    )[:limit]


def metric_snapshot_collect(*, post_metric_snapshot_id: int, adapter=None) -> str:
    """Read one snapshot's counters from the network (in its tenant scope). Claimed with a
    conditional update, so a redelivered task reads the network once; an error is recorded on
    the row, which is not retried (the next window comes anyway)."""
    from clients.services.accounts import credentials_of

    now = timezone.now()
    if not PostMetricSnapshot.objects.filter(
        pk=post_metric_snapshot_id, taken_at__isnull=True
    ).update(taken_at=now):
        return "skipped"
    snapshot = PostMetricSnapshot.objects.select_related("post_variant__social_account").get(
        pk=post_metric_snapshot_id
    )
    account = snapshot.post_variant.social_account
    adapter = adapter or adapter_for(account.network)
    if not adapter.capabilities.post_metrics or not snapshot.post_variant.external_id:
        snapshot.error = _("%(network)s gives no metrics for a post.") % {
            "network": display_name(account.network)
        }
        snapshot.save(update_fields=["error"])
        return "unsupported"
    try:
        metrics = adapter.post_metrics(credentials_of(account), snapshot.post_variant.external_id)
    except NetworkError as exc:
        snapshot.error = (exc.explanation or exc.__class__.__name__)[:500]
        snapshot.save(update_fields=["error"])
        return "error"
    fields = ["impressions", "reach", "likes", "comments", "shares", "clicks", "saves"]
    fields.append("video_views")
    for name in fields:
        setattr(snapshot, name, getattr(metrics, name))
    snapshot.save(update_fields=fields)
    return "taken"


# --- Health ----------------------------------------------------------------------------------


def publishing_health_unscoped(*, now: dt.datetime | None = None) -> dict:
    """What /health/ reports: database, worker and dispatcher heartbeats, queue lateness."""
    now = now or timezone.now()
    checks: dict = {}
    healthy = True
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception as exc:  # noqa: BLE001 - health reports any database failure
        return {"status": "unhealthy", "database": f"error: {exc.__class__.__name__}"}
    stale = settings.PUBLISH_HEALTH_STALE_SECONDS
    for name, key in (("worker", HEARTBEAT_WORKER), ("dispatcher", HEARTBEAT_DISPATCHER)):
        seen = cache.get(key)
        age = None if seen is None else max(0.0, now.timestamp() - float(seen))
        alive = age is not None and age <= stale
        checks[name] = {
            "alive": alive,
            "last_seen_seconds_ago": None if age is None else round(age, 1),
        }
        healthy = healthy and alive
    oldest = _due_unscoped(now).aggregate(oldest=Min("due_at"))["oldest"]
    lateness = (now - oldest).total_seconds() if oldest else 0.0
    late = lateness > settings.PUBLISH_HEALTH_MAX_LATENESS_SECONDS
    checks["queue"] = {
        "oldest_due_unclaimed_seconds": round(lateness, 1),
        "late": late,
        "publishing_past_lease": expired_leases_unscoped(now=now).count(),
        "needs_attention": PostVariant.unscoped.filter(state=V.NEEDS_ATTENTION).count(),
    }
    healthy = healthy and not late
    checks["status"] = "ok" if healthy else "unhealthy"
    return checks
