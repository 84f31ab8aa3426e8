"""The dispatcher: claim due variants of every agency, queue their publishing on commit.

Beat runs it every few seconds (publishing.tasks). It spans agencies by design: it reads the
(agency, variant) pairs that are due with the unscoped managers, claims each with a conditional
update (``state='scheduled' -> 'publishing'``, ``attempt + 1``, a lease) that changes exactly
one row or nothing, batched with ``SELECT ... FOR UPDATE SKIP LOCKED`` on PostgreSQL, and
enters each agency's tenant scope before calling campaigns' post service. The post's state is
read at the moment of the claim, so an edit, unscheduling, cancellation or deletion made before
the due time wins. No ETA or countdown ever carries a due time.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from agency.tenancy import tenant_scope
from campaigns import states
from campaigns.models import Post, PostVariant, VariantReview, VariantState
from campaigns.services.transitions import post_refresh_state_from_variants
from publishing.backoff import exclude_backed_off
from publishing.heartbeats import HEARTBEAT_DISPATCHER
from publishing.switches import paused_agency_ids_across_agencies

V = VariantState
CLAIM_BATCH = 50
DISPATCH_BUDGET_SECONDS = 2.0


def claim_lease() -> dt.timedelta:
    """How long a claimed variant may wait in the queue before the reaper claims it again."""
    return dt.timedelta(seconds=settings.PUBLISH_CLAIM_LEASE_SECONDS)


def due_variants_across_agencies(now: dt.datetime):
    """Scheduled variants of EVERY agency that are due now and not paused (the dispatcher's
    read; index `variant_due`)."""
    due = (
        PostVariant.unscoped.filter(
            state=V.SCHEDULED,
            due_at__lte=now,
            post__state__in=states.CLAIMABLE_POST_STATES,
            post__held_at__isnull=True,
            # Only a network a reviewer approved (or that needed no approval) ever goes out.
            review=VariantReview.APPROVED,
        )
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .exclude(post__brand__publishing_policy__publishing_paused=True)
        .exclude(agency_id__in=paused_agency_ids_across_agencies())
    )
    # A rate-limited account's variants wait with it, without making requests.
    return exclude_backed_off(due, now=now)


@dataclass(frozen=True)
class Claim:
    agency_id: int
    post_variant_id: int
    attempt: int


def _enqueue(claim: Claim) -> None:
    from publishing.tasks import publish_variant  # the tasks module imports this one

    publish_variant.delay(
        agency_id=claim.agency_id, post_variant_id=claim.post_variant_id, attempt=claim.attempt
    )


def due_variants_claim_across_agencies(
    *, now: dt.datetime | None = None, limit: int = CLAIM_BATCH
) -> list[Claim]:
    """Claim up to `limit` due variants across agencies, in one transaction.

    Guarantees: a variant is claimed by one dispatcher only (row locks skipped, not waited
    for, on PostgreSQL; a conditional update everywhere); a variant whose post is no longer
    scheduled, or is on hold, or whose brand or agency is paused, or whose network was not
    approved (campaigns.services.decisions), is not claimed; the post becomes
    `publishing`; the publish task is queued only once the claim is committed.
    """
    now = now or timezone.now()
    lease_until = now + claim_lease()
    skip_locked = connection.features.has_select_for_update_skip_locked
    states.variant_move_check([V.SCHEDULED], V.PUBLISHING)
    claims: list[Claim] = []
    with transaction.atomic():
        due = due_variants_across_agencies(now).order_by("due_at", "id")
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
                post__state__in=states.CLAIMABLE_POST_STATES,
                # On hold (campaigns.services.holds): checked here, with the post row locked.
                post__held_at__isnull=True,
                review=VariantReview.APPROVED,
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
            with tenant_scope(post.agency_id):
                post_refresh_state_from_variants(post=post)
        for claim in claims:
            transaction.on_commit(partial(_enqueue, claim))
    return claims


def publications_dispatch_across_agencies(*, now: dt.datetime | None = None) -> int:
    """The dispatcher's run: claim batch after batch until nothing is due or the time budget
    (shorter than the beat interval) is spent. Records its heartbeat for /health/."""
    started = timezone.now()
    total = 0
    while True:
        claims = due_variants_claim_across_agencies(now=now)
        total += len(claims)
        if len(claims) < CLAIM_BATCH:
            break
        if (timezone.now() - started).total_seconds() > DISPATCH_BUDGET_SECONDS:
            break
    cache.set(HEARTBEAT_DISPATCHER, timezone.now().timestamp(), None)
    return total
