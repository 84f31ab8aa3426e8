"""Approval and scheduling: submit, schedule, move, cancel; the decisions (approve, request
changes, reject, per network) are campaigns.services.decisions', re-exported here.

Reviewers decide at the post's stage (internal, then client when the brand's policy says so);
a signed approval link decides for its brand only. Every move is `post_transition()`'s.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agency import permissions
from agency.services.audit import audit_record
from campaigns import engine_hooks, states
from campaigns.composer import check_composition, composition_of
from campaigns.models import Post, PostState, ReviewStage
from campaigns.selectors.planning import approval_required
from campaigns.services.access import Actor, require, require_brand

# The decisions live in campaigns.services.decisions; re-exported here, where callers find them.
from campaigns.services.decisions import (  # noqa: F401
    notify_reviewers,
    post_approve,
    post_reject,
    post_request_changes,
    schedule_if_timed,
    variant_decide,
    variants_approve_all,
    variants_review_reset,
)
from campaigns.services.transitions import post_lock, post_transition, variants_sync
from campaigns.times import check_schedule
from clients.models import AccountStatus


def post_back_to_review(post: Post, actor) -> None:
    """An approved post whose content changed goes back to internal review, and its
    reviewers are told."""
    post.review_stage = ReviewStage.INTERNAL
    post.submitted_at = post.awaiting_since = timezone.now()
    post.approved_at = None
    post.approved_by_label = ""
    variants_review_reset(post)
    post_transition(post, PostState.IN_REVIEW, actor=actor, verb="post.back_to_review")
    notify_reviewers(post)


def post_errors(post: Post) -> list[str]:
    """Blocking problems: no account, or any network's content rule broken."""
    errors = []
    composition = composition_of(post)
    if not composition.accounts:
        errors.append(_("Choose at least one account to publish to."))
    for check in check_composition(composition):
        errors.extend(f"{check.account}: {message}" for message in check.errors)
    disconnected = [a for a in composition.accounts if a.status != AccountStatus.CONNECTED]
    for account in disconnected:
        errors.append(_("%(account)s needs reconnecting.") % {"account": account})
    return errors


def _require_valid(post: Post) -> None:
    errors = post_errors(post)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def post_submit(*, actor: Actor, post: Post) -> Post:
    """Send a draft (or a post with changes requested) for approval. Refused while any network's
    content rule is broken. Without approval (brand policy "none") it is approved at once and,
    with a time set, scheduled."""
    require(actor, permissions.POSTS_WRITE)
    require_brand(actor, post.brand)
    post = post_lock(post)
    if post.state not in (PostState.DRAFT, PostState.CHANGES_REQUESTED):
        raise ValidationError(
            _("A post that is %(state)s cannot be submitted.") % {"state": post.get_state_display()}
        )
    _require_valid(post)
    post.submitted_at = post.awaiting_since = timezone.now()
    if not approval_required(post.brand):
        post.reviewed_version = post.version
        post.approved_at = timezone.now()
        post.approved_by_label = _("No approval needed")
        variants_approve_all(post, label=post.approved_by_label)
        post_transition(
            post, PostState.APPROVED, actor=actor, verb="post.approved", data={"stage": "none"}
        )
        schedule_if_timed(post, actor)
        return post
    post.review_stage = ReviewStage.INTERNAL
    variants_review_reset(post)
    post_transition(post, PostState.IN_REVIEW, actor=actor, verb="post.submitted")
    notify_reviewers(post)
    return post


@transaction.atomic
def post_schedule(*, actor: Actor, post: Post, scheduled_at: dt.datetime | None = None) -> Post:
    """Put an approved post in the publishing queue at its (future) time."""
    require(actor, permissions.POSTS_WRITE)
    require_brand(actor, post.brand)
    post = post_lock(post)
    if scheduled_at is not None:
        post.scheduled_at = scheduled_at
    if post.scheduled_at is None:
        raise ValidationError({"scheduled_at": _("Choose when to publish.")})
    check_schedule(post.scheduled_at)
    if post.state != PostState.APPROVED:
        raise ValidationError(_("Only an approved post can be scheduled."))
    _require_valid(post)
    return post_transition(post, PostState.SCHEDULED, actor=actor, verb="post.scheduled")


@transaction.atomic
def post_unschedule(*, actor: Actor, post: Post) -> Post:
    """Take a scheduled post out of the queue; it stays approved."""
    return _writer_transition(actor, post, PostState.APPROVED, verb="post.unscheduled")


@transaction.atomic
def post_reschedule(*, actor: Actor, post: Post, scheduled_at: dt.datetime) -> Post:
    """Move a post to another time (calendar drag and drop): the composer's validation — a
    future time that exists in the brand's zone, and, once submitted, no rule error."""
    require(actor, permissions.POSTS_WRITE)
    require_brand(actor, post.brand)
    post = post_lock(post)
    if not post.is_editable:
        raise ValidationError(
            _("A post that is %(state)s cannot be moved.") % {"state": post.get_state_display()}
        )
    check_schedule(scheduled_at)
    if post.state != PostState.DRAFT:
        _require_valid(post)
    previous = post.scheduled_at
    post.scheduled_at = scheduled_at
    post.save(update_fields=["scheduled_at", "updated_at"])
    if post.state == PostState.SCHEDULED:
        variants_sync(post)
    audit_record(
        agency=post.brand.agency,
        actor=actor,
        verb="post.rescheduled",
        target=post,
        data={"from": previous.isoformat() if previous else None, "to": scheduled_at.isoformat()},
    )
    return post


def _writer_transition(actor: Actor, post: Post, to: str, *, verb: str) -> Post:
    """A move that any writer of the brand's posts may make, with no other condition."""
    require(actor, permissions.POSTS_WRITE)
    require_brand(actor, post.brand)
    return post_transition(post_lock(post), to, actor=actor, verb=verb)


@transaction.atomic
def post_cancel(*, actor: Actor, post: Post) -> Post:
    """Cancel a post: nothing more of it is published (variants already out stay out). Once
    the engine has started on it (a variant waits for a retry or a rate limit), the engine's
    cancel stops what still waits (registered by the publishing app: campaigns.engine_hooks)."""
    if post_lock(post).state in states.ENGINE_POST_STATES:
        return engine_hooks.started_post_cancel(actor=actor, post=post)
    return _writer_transition(actor, post, PostState.CANCELLED, verb="post.cancelled")


@transaction.atomic
def post_restore(*, actor: Actor, post: Post) -> Post:
    """A cancelled post back to draft."""
    return _writer_transition(actor, post, PostState.DRAFT, verb="post.restored")


@transaction.atomic
def post_withdraw(*, actor: Actor, post: Post) -> Post:
    """Take a post out of review (or approval) back to draft."""
    return _writer_transition(actor, post, PostState.DRAFT, verb="post.withdrawn")
