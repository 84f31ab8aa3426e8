"""Approval decisions, on the whole post or on one network's variant (docs/campaigns.md).

A reviewer at the post's stage (the team at the internal stage; the brand's client approvers or
its signed approval link at the client stage) approves, asks for changes on or rejects each
variant (`variant_decide`), or the whole post at once (`post_approve`, `post_request_changes`,
`post_reject`: every network still waiting gets that decision). Only the decided variants move
(campaigns.states.VARIANT_REVIEW_MOVES). Once no network waits, the post follows
(`states.review_outcome`): approved when every network is approved or rejected with at least one
approved (rejected ones are cancelled, never published), changes requested when any network
needs changes, cancelled when every network is rejected. Until then it stays in review and
nothing of it is published. The publishing engine claims only approved variants.

Every decision is an entry of the thread (with its optional comment; the client's shared with
the team, the team's internal), audited, announced by webhook, and the post's author is told.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agency import permissions
from agency.services.audit import actor_label, audit_record
from campaigns import states
from campaigns.models import (
    ApprovalMode,
    CommentKind,
    Post,
    PostState,
    PostVariant,
    ReviewStage,
    ShareLink,
    VariantReview,
)
from campaigns.selectors.planning import approver_user_ids, policy_of
from campaigns.services.access import Actor, require, require_brand
from campaigns.services.comments import comment_record
from campaigns.services.notify import notify_about_post
from campaigns.services.transitions import post_lock, post_transition, variants_sync
from webhooks.events import WebhookEvent
from webhooks.services.emit import webhook_emit

R = VariantReview
COMMENT_KINDS: dict[str, str] = {
    R.APPROVED: CommentKind.APPROVED,
    R.CHANGES_REQUESTED: CommentKind.CHANGES_REQUESTED,
    R.REJECTED: CommentKind.REJECTED,
}


# --- Shared with the workflow (submit, edits after approval) ---------------------------------


def mark_used(link: ShareLink | None) -> None:
    if link is not None:
        link.last_used_at = timezone.now()
        link.save(update_fields=["last_used_at"])


def notify_reviewers(post: Post) -> None:
    stage = post.review_stage or ReviewStage.INTERNAL
    notify_about_post(
        post,
        user_ids=approver_user_ids(brand=post.brand, stage=stage),
        verb="post.awaiting_approval",
        message=_("A post of %(brand)s awaits your approval: %(post)s")
        % {"brand": post.brand.name, "post": post},
    )


def schedule_if_timed(post: Post, actor) -> None:
    if post.scheduled_at and post.scheduled_at > timezone.now():
        post_transition(post, PostState.SCHEDULED, actor=actor, verb="post.scheduled")


def post_variants(post: Post) -> list[PostVariant]:
    return list(
        PostVariant.objects.filter(agency_id=post.agency_id, post=post)
        .select_related("social_account")
        .order_by("social_account__network", "id")
    )


def variants_review_reset(post: Post, *, keep_rejected: bool = False) -> None:
    """A new review round: every network waits for a decision again (a network the team
    rejected stays rejected at the client stage when ``keep_rejected``)."""
    for variant in post_variants(post):
        if variant.review == R.PENDING or (keep_rejected and variant.review == R.REJECTED):
            continue
        states.variant_review_move(variant, R.PENDING)
        variant.reviewed_at = None
        variant.reviewed_by_label = ""
        variant.save(update_fields=["review", "reviewed_at", "reviewed_by_label"])


def variants_approve_all(post: Post, *, label: str) -> None:
    """No approval needed (brand policy "none"): every network is approved at once."""
    variants_review_reset(post)
    now = timezone.now()
    for variant in post_variants(post):
        _record(variant, R.APPROVED, label=label, now=now)


def reviewer_check(post: Post, actor, link: ShareLink | None) -> str:
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


# --- Decisions -------------------------------------------------------------------------------


def _record(variant: PostVariant, decision: str, *, label: str, now) -> None:
    states.variant_review_move(variant, decision)
    variant.reviewed_at = now
    variant.reviewed_by_label = label[:200]
    variant.save(update_fields=["review", "reviewed_at", "reviewed_by_label"])


def _announce(post: Post, *, event: str, stage: str, label: str, variants=()) -> None:
    webhook_emit(
        agency=post.agency_id,
        event=event,
        data={
            "post": {"id": post.pk, "brand": post.brand_id, "state": post.state},
            "stage": stage,
            "by": label,
            "variants": [
                {
                    "id": v.pk,
                    "account": v.social_account_id,
                    "network": v.social_account.network,
                    "decision": v.review,
                }
                for v in variants
            ],
        },
    )


def _stage_passed(post: Post, *, actor, link, label: str, stage: str) -> None:
    """Every network approved or rejected (one at least approved): the internal stage of an
    "internal, then client" brand hands over to the client; otherwise the post is approved and,
    with a future time, scheduled (rejected networks are cancelled by variants_sync)."""
    if stage == ReviewStage.INTERNAL and (
        policy_of(post.brand).approval_mode == ApprovalMode.INTERNAL_THEN_CLIENT
    ):
        post.review_stage = ReviewStage.CLIENT
        post.awaiting_since = timezone.now()
        post.save(update_fields=["review_stage", "awaiting_since", "updated_at"])
        variants_review_reset(post, keep_rejected=True)
        variants_sync(post)
        audit_record(
            agency=post.brand.agency,
            actor=actor,
            verb="post.approved_internally",
            target=post,
            data={"by": label},
        )
        notify_reviewers(post)
        return
    post.approved_at = timezone.now()
    post.approved_by_label = label[:200]
    post.reviewed_version = post.version
    post_transition(
        post,
        PostState.APPROVED,
        actor=actor,
        verb="post.approved",
        data={"stage": stage, "by": label},
    )
    notify_about_post(
        post,
        user_ids=[post.author_id],
        verb="post.approved",
        message=_("%(who)s approved: %(post)s") % {"who": label, "post": post},
    )
    _announce(post, event=WebhookEvent.POST_APPROVED, stage=stage, label=label)
    schedule_if_timed(post, actor)


def _conclude(post: Post, *, actor, link, label: str, stage: str, fallback: str) -> str | None:
    """The post follows its networks' decisions once none waits (``fallback``: the whole-post
    decision, for a post without variants). Returns the outcome, None while networks wait."""
    variants = post_variants(post)
    outcome = states.review_outcome(v.review for v in variants) if variants else fallback
    mark_used(link)
    if outcome is None:
        variants_sync(post)  # a rejected network leaves at once
        return None
    if outcome == R.APPROVED:
        _stage_passed(post, actor=actor, link=link, label=label, stage=stage)
        return outcome
    post.reviewed_version = post.version
    if outcome == R.CHANGES_REQUESTED:
        to, verb, event = (
            PostState.CHANGES_REQUESTED,
            "post.changes_requested",
            WebhookEvent.POST_CHANGES_REQUESTED,
        )
        message = _("%(who)s asks for changes: %(post)s")
    else:
        to, verb, event = PostState.CANCELLED, "post.rejected", WebhookEvent.POST_REJECTED
        message = _("%(who)s rejected: %(post)s")
    post_transition(post, to, actor=actor, verb=verb, data={"stage": stage, "by": label})
    notify_about_post(
        post, user_ids=[post.author_id], verb=verb, message=message % {"who": label, "post": post}
    )
    _announce(post, event=event, stage=stage, label=label, variants=variants)
    return outcome


def _post_decide(actor, post: Post, decision: str, comment: str, link) -> Post:
    post = post_lock(post)
    label = reviewer_check(post, actor, link)
    stage = post.review_stage
    comment_record(post, actor=actor, label=label, kind=COMMENT_KINDS[decision], body=comment)
    now = timezone.now()
    for variant in post_variants(post):
        if variant.review == R.PENDING:
            _record(variant, decision, label=label, now=now)
    _conclude(post, actor=actor, link=link, label=label, stage=stage, fallback=decision)
    return post


def _require_comment(decision: str, comment: str) -> None:
    if decision == R.CHANGES_REQUESTED and not (comment or "").strip():
        raise ValidationError({"comment": _("Say what should change.")})


@transaction.atomic
def post_approve(
    *, actor: Actor | None, post: Post, comment: str = "", link: ShareLink | None = None
) -> Post:
    """Approve at the current stage every network still waiting. Internal approval of an
    "internal, then client" brand moves the post to the client stage; the last approval makes
    it approved and, when it has a future time, scheduled. Client approvers act on their brands
    only; a signed link acts for its brand only."""
    return _post_decide(actor, post, R.APPROVED, comment, link)


@transaction.atomic
def post_request_changes(
    *, actor: Actor | None, post: Post, comment: str, link: ShareLink | None = None
) -> Post:
    """Send the post back to its author with a comment saying what to change (required)."""
    _require_comment(R.CHANGES_REQUESTED, comment)
    return _post_decide(actor, post, R.CHANGES_REQUESTED, comment, link)


@transaction.atomic
def post_reject(
    *, actor: Actor | None, post: Post, comment: str = "", link: ShareLink | None = None
) -> Post:
    """Reject every network still waiting: with none approved, the post is cancelled (its
    author may restore it as a draft)."""
    return _post_decide(actor, post, R.REJECTED, comment, link)


@transaction.atomic
def variant_decide(
    *,
    actor: Actor | None,
    post: Post,
    variant_id,
    decision: str,
    comment: str = "",
    link: ShareLink | None = None,
) -> Post:
    """Decide on one network's variant of a post in review: approve, ask for changes (a comment
    saying what is required) or reject. Only that variant moves; the post follows once no
    network waits (see the module's docstring)."""
    if decision not in states.VARIANT_DECISIONS:
        raise ValidationError({"decision": _("Choose approve, request changes or reject.")})
    _require_comment(decision, comment)
    post = post_lock(post)
    label = reviewer_check(post, actor, link)
    stage = post.review_stage
    variant = next((v for v in post_variants(post) if str(v.pk) == str(variant_id)), None)
    if variant is None:
        raise ValidationError({"variant": _("This network is not one of this post's.")})
    _record(variant, decision, label=label, now=timezone.now())
    comment_record(
        post, actor=actor, label=label, kind=COMMENT_KINDS[decision], body=comment, variant=variant
    )
    network = str(variant.social_account)
    audit_record(
        agency=post.brand.agency,
        actor=actor,
        verb=f"post.variant_{decision}",
        target=post,
        data={"variant": variant.pk, "account": network, "stage": stage, "by": label},
    )
    _announce(
        post, event=WebhookEvent.POST_VARIANT_DECIDED, stage=stage, label=label, variants=[variant]
    )
    outcome = _conclude(post, actor=actor, link=link, label=label, stage=stage, fallback=decision)
    if outcome is None:
        notify_about_post(
            post,
            user_ids=[post.author_id],
            verb=f"post.{decision}",
            message=_("%(who)s decided on %(account)s (%(decision)s): %(post)s")
            % {
                "who": label,
                "account": network,
                "decision": R(decision).label,
                "post": post,
            },
        )
    return post
