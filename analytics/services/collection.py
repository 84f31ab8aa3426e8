"""Collecting metrics: the beat dispatcher (across agencies) and one account's collection.

Every few minutes the dispatcher (1) starts a schedule for what it has not met yet: each
connected account (``AccountCollection``) and each variant published in the last 90 days
(``PostMetricsTracker``, first reading an hour after publication); (2) claims, in one indexed
query, the accounts whose daily reading or any post's reading is due, that no one holds (a
lease) and that are not waiting out a rate limit or a failure; (3) queues one task per account.
The task reads all the account's due posts and, once a day, the account itself, with one set
of credentials renewed once if the network refuses them as expired (as publishing and the
outbox do). A rate limit stops the account until the network's Retry-After; another failure
backs off exponentially; either is written on the account (``last_error`` in the agency's
language) for people to see, and the posts stay due: nothing is skipped silently.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from agency.models import Agency
from analytics import ladder
from analytics.models import AccountCollection, PostMetricsTracker
from analytics.services.series import account_metrics_store, post_metrics_store
from campaigns.models import PostVariant, VariantState
from clients.adapters import build_adapter
from clients.models import AccountStatus, SocialAccount
from clients.services.accounts import credentials_of, social_account_mark_needs_reconnect
from clients.services.token_refresh import social_account_renewed_credentials
from networks import AuthExpired, NetworkError, NotSupported, PermanentError, RateLimited
from networks.registry import display_name

logger = logging.getLogger(__name__)

LEASE = dt.timedelta(minutes=10)  # longer than the task's hard time limit
CLAIM_BATCH = 200
POSTS_PER_RUN = 50  # the rest stay due for the next run
ACCOUNT_EVERY = dt.timedelta(days=1)
REREAD_DAYS = 3  # networks that correct their figures late (Meta) are asked again
DEFAULT_RATE_LIMIT_WAIT = dt.timedelta(minutes=15)
FIRST_BACKOFF = dt.timedelta(minutes=15)
MAX_BACKOFF = dt.timedelta(hours=24)
ADOPT_BATCH = 1000


def _free(now: dt.datetime) -> Q:
    return (Q(lease_until__isnull=True) | Q(lease_until__lt=now)) & (
        Q(wait_until__isnull=True) | Q(wait_until__lte=now)
    )


def schedules_start_across_agencies(*, now: dt.datetime) -> int:
    """Start the schedule of every connected account and recently published variant of EVERY
    agency that has none yet (each agency's rows written in its own name). Returns how many."""
    accounts = (
        SocialAccount.unscoped.filter(status=AccountStatus.CONNECTED)
        .exclude(Exists(AccountCollection.unscoped.filter(social_account=OuterRef("pk"))))
        .values_list("agency_id", "id")[:ADOPT_BATCH]
    )
    variants = (
        PostVariant.unscoped.filter(
            state=VariantState.PUBLISHED,
            published_at__gte=now - ladder.LAST_AGE,
            published_at__isnull=False,
        )
        .exclude(external_id="")
        .exclude(Exists(PostMetricsTracker.unscoped.filter(post_variant=OuterRef("pk"))))
        .values_list("agency_id", "id", "social_account_id", "published_at")[:ADOPT_BATCH]
    )
    new_accounts: dict[int, list[AccountCollection]] = {}
    for agency_id, account_id in accounts:
        new_accounts.setdefault(agency_id, []).append(
            AccountCollection(agency_id=agency_id, social_account_id=account_id, next_due_at=now)
        )
    new_trackers: dict[int, list[PostMetricsTracker]] = {}
    for agency_id, variant_id, account_id, published_at in variants:
        new_trackers.setdefault(agency_id, []).append(
            PostMetricsTracker(
                agency_id=agency_id,
                post_variant_id=variant_id,
                social_account_id=account_id,
                published_at=published_at,
                next_due_at=ladder.first_reading_at(published_at, now=now),
            )
        )
    started = 0
    # One agency per statement: the database lets each write through in its agency's name.
    for account_rows in new_accounts.values():
        started += len(AccountCollection.unscoped.bulk_create(account_rows, ignore_conflicts=True))
    for tracker_rows in new_trackers.values():
        started += len(PostMetricsTracker.unscoped.bulk_create(tracker_rows, ignore_conflicts=True))
    return started


def accounts_claim_due_across_agencies(
    *, now: dt.datetime, limit: int = CLAIM_BATCH
) -> list[tuple[int, int]]:
    """Claim up to ``limit`` accounts of EVERY agency with a collection due: [(agency_id,
    social_account_id)]. One query finds them (``account_collection_due`` and
    ``post_metrics_due``); each claim is a conditional update of the lease."""
    posts_due = PostMetricsTracker.unscoped.filter(
        social_account_id=OuterRef("social_account_id"), next_due_at__lte=now
    )
    due = _free(now) & (Q(next_due_at__lte=now) | Q(Exists(posts_due)))
    claimed: list[tuple[int, int]] = []
    with transaction.atomic():
        candidates = (
            AccountCollection.unscoped.filter(due)
            .filter(social_account__status=AccountStatus.CONNECTED)
            .order_by("next_due_at")
        )
        if connection.vendor == "postgresql":
            candidates = candidates.select_for_update(skip_locked=True, of=("self",))
        for row_id, agency_id, account_id in candidates.values_list(
            "id", "agency_id", "social_account_id"
        )[:limit]:
            changed = AccountCollection.unscoped.filter(_free(now), pk=row_id).update(
                lease_until=now + LEASE
            )
            if changed == 1:
                claimed.append((agency_id, account_id))
    return claimed


def collections_dispatch_across_agencies(*, now: dt.datetime | None = None) -> int:
    """The beat's work: start new schedules, claim due accounts, queue one task each on
    commit. A lost message is harmless: the lease expires and the account is claimed again."""
    from analytics.tasks import collect_account_metrics

    now = now or timezone.now()
    schedules_start_across_agencies(now=now)
    with transaction.atomic():
        claimed = accounts_claim_due_across_agencies(now=now)
        for agency_id, account_id in claimed:
            transaction.on_commit(
                partial(
                    collect_account_metrics.delay, agency_id=agency_id, social_account_id=account_id
                )
            )
    return len(claimed)


@dataclass
class CollectionOutcome:
    status: str  # "ok", "rate_limited", "needs_reconnect", "failed", "skipped"
    posts: int = 0
    account_read: bool = False
    error: str = ""


class _Stop(Exception):
    """Ends an account's run: the outcome says why."""

    def __init__(self, outcome: CollectionOutcome, wait: dt.timedelta | None = None):
        super().__init__(outcome.error)
        self.outcome = outcome
        self.wait = wait


def account_collect(*, social_account_id: int, now: dt.datetime | None = None) -> CollectionOutcome:
    """Collect one account's due metrics (in its tenant scope; the dispatcher holds its lease).

    Guarantees: each due post is read at most once per run and its next reading set on the
    ladder; a day's row is written once per metric however often it is read; the lease is
    released; success clears the account's last error, a failure records it in plain words
    (the agency's language) with its time, and the account waits (the network's Retry-After
    after a rate limit, exponential back-off after other failures) with its posts still due.
    """
    now = now or timezone.now()
    state = (
        AccountCollection.objects.select_related("social_account")
        .filter(social_account_id=social_account_id)
        .first()
    )
    if state is None:
        return CollectionOutcome(status="skipped")
    language = Agency.objects.filter(pk=state.agency_id).values_list("language", flat=True)
    with translation.override(language.first() or settings.LANGUAGE_CODE):
        try:
            outcome = _collect(state, now=now)
            wait = None
        except _Stop as stop:
            outcome, wait = stop.outcome, stop.wait
        except Exception as exc:  # noqa: BLE001 - record any failure, then let ops see it
            logger.exception("metrics collection of account %s failed", social_account_id)
            outcome = CollectionOutcome(
                status="failed",
                error=_("internal error (%(kind)s)") % {"kind": type(exc).__name__},
            )
            wait = None
    _record(state, outcome, wait=wait, now=now)
    return outcome


def _collect(state: AccountCollection, *, now: dt.datetime) -> CollectionOutcome:
    account = state.social_account
    if account.status != AccountStatus.CONNECTED:
        raise _Stop(
            CollectionOutcome(
                status="needs_reconnect",
                error=_("Reconnect the account to collect its metrics."),
            )
        )
    caller = _Caller(account)
    outcome = CollectionOutcome(status="ok")
    due = (
        PostMetricsTracker.objects.filter(social_account=account, next_due_at__lte=now)
        .select_related("post_variant")
        .order_by("next_due_at")[:POSTS_PER_RUN]
    )
    for tracker in due:
        _collect_post(caller, tracker, now=now)
        outcome.posts += 1
    if state.next_due_at <= now:
        if caller.adapter.capabilities.account_metrics:
            today = now.date()
            try:
                snapshots = caller.call(
                    lambda adapter, creds: adapter.account_metrics_days(
                        creds, since=today - dt.timedelta(days=REREAD_DAYS), until=today
                    )
                )
            except (NotSupported, PermanentError) as exc:
                # A missing permission, most often: shown until someone fixes it.
                raise _Stop(
                    CollectionOutcome(
                        status="failed", error=(exc.explanation or type(exc).__name__)[:1000]
                    )
                ) from exc
            account_metrics_store(account=account, snapshots=snapshots, taken_at=now)
            outcome.account_read = True
        state.next_due_at = now + ACCOUNT_EVERY
    return outcome


def _collect_post(caller: _Caller, tracker: PostMetricsTracker, *, now: dt.datetime) -> None:
    variant = tracker.post_variant
    network = display_name(caller.account.network)
    stop_reason = ""
    if not caller.adapter.capabilities.post_metrics:
        stop_reason = _("%(network)s gives no metrics for a post.") % {"network": network}
    else:
        try:
            snapshot = caller.call(
                lambda adapter, creds: adapter.post_metrics(creds, variant.external_id)
            )
        except NotSupported as exc:
            stop_reason = exc.explanation or _("%(network)s gives no metrics for this post.") % {
                "network": network
            }
        except PermanentError as exc:
            # The post was deleted at the network, or will never be readable: stop asking.
            stop_reason = (exc.explanation or type(exc).__name__)[:1000]
        else:
            post_metrics_store(variant=variant, snapshot=snapshot, taken_at=now)
            tracker.last_collected_at = now
            tracker.collections += 1
            tracker.last_error = ""
            tracker.next_due_at = ladder.next_reading_at(tracker.published_at, after=now)
    if stop_reason:
        tracker.last_error = stop_reason[:1000]
        tracker.next_due_at = None
    tracker.save(update_fields=["last_collected_at", "collections", "last_error", "next_due_at"])


class _Caller:
    """One account's adapter and credentials for a run; an expired token is renewed once
    (a refused call did nothing, so the second is safe) and the fresh one used from then on.
    A network error becomes the run's stop, in plain words."""

    def __init__(self, account: SocialAccount):
        self.account = account
        self.adapter = build_adapter(account.network)
        self.creds = credentials_of(account)
        self.renewed = False

    def call(self, fn):
        network = display_name(self.account.network)
        try:
            try:
                return fn(self.adapter, self.creds)
            except AuthExpired:
                if self.renewed:
                    raise
                self.renewed = True
                fresh = social_account_renewed_credentials(self.account, self.creds)
                if fresh is None:
                    raise
                self.creds = fresh
                return fn(self.adapter, self.creds)
        except RateLimited as exc:
            wait = (
                dt.timedelta(seconds=exc.retry_after)
                if exc.retry_after is not None
                else DEFAULT_RATE_LIMIT_WAIT
            )
            raise _Stop(
                CollectionOutcome(
                    status="rate_limited",
                    error=_("%(network)s asked us to slow down; collection resumes later.")
                    % {"network": network},
                ),
                wait=wait,
            ) from exc
        except AuthExpired as exc:
            social_account_mark_needs_reconnect(
                social_account=self.account, error=exc.explanation or "token refused"
            )
            raise _Stop(
                CollectionOutcome(
                    status="needs_reconnect",
                    error=_("%(network)s refused the account's access: reconnect it.")
                    % {"network": network},
                )
            ) from exc
        except (NotSupported, PermanentError):
            raise  # about one post: the post's reading handles it
        except NetworkError as exc:
            raise _Stop(
                CollectionOutcome(
                    status="failed",
                    error=(exc.explanation or type(exc).__name__)[:1000],
                )
            ) from exc


def _record(
    state: AccountCollection,
    outcome: CollectionOutcome,
    *,
    wait: dt.timedelta | None,
    now: dt.datetime,
) -> None:
    """Write how the run went on the account's row and release its lease."""
    state.lease_until = None
    if outcome.status == "ok":
        state.failures = 0
        state.wait_until = None
        state.last_collected_at = now
        state.last_error = ""
    else:
        state.failures = min(state.failures + 1, 30)
        if wait is None:
            wait = min(FIRST_BACKOFF * 2 ** (state.failures - 1), MAX_BACKOFF)
        state.wait_until = now + wait
        state.last_error = outcome.error[:1000]
        state.last_error_at = now
    state.save(
        update_fields=[
            "lease_until",
            "failures",
            "wait_until",
            "last_collected_at",
            "last_error",
            "last_error_at",
            "next_due_at",
        ]
    )
