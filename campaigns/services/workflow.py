"""Approval and scheduling: submit, approve, request changes, schedule, move, cancel.

Reviewers decide at the post's stage (internal, then client when the brand's policy says so);
a signed approval link decides for its brand only. Every move is `post_transition()`'s.
"""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agency import permissions
from agency.services.audit import actor_label, audit_record
from campaigns import engine_hooks, states
from campaigns.composer import check_composition, composition_of
from campaigns.models import ApprovalMode, CommentKind, Post, PostState, ReviewStage, ShareLink
from campaigns.selectors.planning import approval_required, approver_user_ids, policy_of
from campaigns.services.access import Actor, require, require_brand
from campaigns.services.comments import comment_record
from campaigns.services.notify import notify_about_post
from campaigns.services.transitions import post_lock, post_transition, variants_sync
from campaigns.times import check_schedule
from clients.models import AccountStatus


def _mark_used(link: ShareLink | None) -> None:
    if link is not None:
        link.last_used_at = timezone.now()
        link.save(update_fields=["last_used_at"])


def post_back_to_review(post: Post, actor) -> None:
    """An approved post whose content changed goes back to internal review, and its
    reviewers are told."""
    post.review_stage = ReviewStage.INTERNAL
    post.submitted_at = timezone.now()
    post.approved_at = None
    post.approved_by_label = ""
    post_transition(post, PostState.IN_REVIEW, actor=actor, verb="post.back_to_review")
    _notify_reviewers(post)


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


def _notify_reviewers(post: Post) -> None:
    stage = post.review_stage or ReviewStage.INTERNAL
    notify_about_post(
        post,
        user_ids=approver_user_ids(brand=post.brand, stage=stage),
        verb="post.awaiting_approval",
        message=_("A post of %(brand)s awaits your approval: %(post)s")
        % {"brand": post.brand.name, "post": post},
    )


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
    post.submitted_at = timezone.now()
    if not approval_required(post.brand):
        post.reviewed_version = post.version
        post.approved_at = timezone.now()
        post.approved_by_label = _("No approval needed")
        post_transition(
            post, PostState.APPROVED, actor=actor, verb="post.approved", data={"stage": "none"}
        )
        _schedule_if_timed(post, actor)
        return post
    post.review_stage = ReviewStage.INTERNAL
    post_transition(post, PostState.IN_REVIEW, actor=actor, verb="post.submitted")
    _notify_reviewers(post)
    return post


def _check_reviewer(post: Post, actor, link: ShareLink | None) -> str:
    """Who may decide at the post's current stage; returns the label recorded for them."""
    if post.state != PostState.IN_REVIEW:
        raise ValidationError(_("This post is not awaiting approval."))
    if link is not None:
        if post.review_stage != ReviewStage.CLIENT or link.brand_id != post.brand_id:
            raise PermissionDenied(_("This post is not awaiting the client's approval."))
        if not link.is_active:
            raise PermissionDenied(_("This link is no longer valid."))
        return _("%(label)s (approval link)") % {"label": link.label or _("Client")}
    if post.review_stage == ReviewStage.CLIENT:
        require(actor, permissions.POSTS_CLIENT_APPROVE)
        require_brand(actor, post.brand)
    else:
        require(actor, permissions.POSTS_APPROVE)
    return actor_label(actor)


def _schedule_if_timed(post: Post, actor) -> None:
    if post.scheduled_at and post.scheduled_at > timezone.now():
        post_transition(post, PostState.SCHEDULED, actor=actor, verb="post.scheduled")


def _decide(post: Post, state: str, *, actor, link, label: str, stage: str, verb: str, message):
    """A reviewer's last word at this stage: the version they saw is recorded, the post moves
    to ``state``, a signed link that carried it is spent and the author hears ``message``."""
    post.reviewed_version = post.version
    post_transition(post, state, actor=actor, verb=verb, data={"stage": stage, "by": label})
    _mark_used(link)
    notify_about_post(post, user_ids=[post.author_id], verb=verb, message=message)


@transaction.atomic
def post_approve(
    *, actor: Actor | None, post: Post, comment: str = "", link: ShareLink | None = None
) -> Post:
    """Approve at the current stage. Internal approval of an "internal, then client" brand
    moves the post to the client stage; the last approval makes it approved and, when it has a
    future time, scheduled. Client approvers act on their brands only; a signed link acts for
    its brand only."""
    post = post_lock(post)
    label = _check_reviewer(post, actor, link)
    stage = post.review_stage
    comment_record(post, actor=actor, label=label, kind=CommentKind.APPROVED, body=comment)
    policy = policy_of(post.brand)
    if stage == ReviewStage.INTERNAL and policy.approval_mode == ApprovalMode.INTERNAL_THEN_CLIENT:
        post.review_stage = ReviewStage.CLIENT
        post.save(update_fields=["review_stage"])
        audit_record(
            agency=post.brand.agency,
            actor=actor,
            verb="post.approved_internally",
            target=post,
            data={"by": label},
        )
        _notify_reviewers(post)
        return post
    post.approved_at = timezone.now()
    post.approved_by_label = label[:200]
    _decide(
        post,
        PostState.APPROVED,
        actor=actor,
        link=link,
        label=label,
        stage=stage,
        verb="post.approved",
        message=_("%(who)s approved: %(post)s") % {"who": label, "post": post},
    )
    _schedule_if_timed(post, actor)
    return post


@transaction.atomic
def post_request_changes(
    *, actor: Actor | None, post: Post, comment: str, link: ShareLink | None = None
) -> Post:
    """Send the post back to its author with a comment saying what to change (required)."""
    if not (comment or "").strip():
        raise ValidationError({"comment": _("Say what should change.")})
    post = post_lock(post)
    label = _check_reviewer(post, actor, link)
    stage = post.review_stage
    comment_record(post, actor=actor, label=label, kind=CommentKind.CHANGES_REQUESTED, body=comment)
    _decide(
        post,
        PostState.CHANGES_REQUESTED,
        actor=actor,
        link=link,
        label=label,
        stage=stage,
        verb="post.changes_requested",
        message=_("%(who)s asks for changes: %(post)s") % {"who": label, "post": post},
    )
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
