"""Cancelling what is left of a post the engine has started on.

A post whose variants wait for a retry (a rate limit's Retry-After, a backoff of up to 30 min)
or failed is `publishing`/`partly_published`/`failed`, which the post services refuse to
cancel. Here: every variant that is not out and not on its way out is cancelled; variants
already published stay published; a variant whose network call is in flight cannot be called
back, so the cancel is refused with a plain reason (try again in a few seconds).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from agency.services import audit_record
from campaigns.models import POST_TRANSITIONS, Post, PostState, PostVariant, VariantState

V = VariantState
# Post states in which the engine holds the variants (the post services handle the others).
ENGINE_POST_STATES = (PostState.PUBLISHING, PostState.PARTLY_PUBLISHED, PostState.FAILED)
_WAITING = Q(state__in=[V.SCHEDULED, V.FAILED, V.NEEDS_ATTENTION]) | Q(
    state=V.PUBLISHING,
    call_started_at__isnull=True,  # claimed, not sent: the task will skip
)


def _require_writer(actor, post: Post) -> None:
    from agency import permissions
    from campaigns.services.access import require as _require
    from campaigns.services.access import require_brand as _require_brand

    _require(actor, permissions.POSTS_WRITE)
    _require_brand(actor, post.brand)


def _cancel_waiting(post: Post, variants) -> int:
    """Cancel the waiting ones among `variants` (a queryset of the post's variants), with
    conditional updates, then derive the post's state. Call under the post's row lock."""
    if variants.filter(state=V.PUBLISHING, call_started_at__isnull=False).exists():
        raise ValidationError(
            _(
                "This post is being sent to a network right now and cannot be called back: "
                "try again in a few seconds."
            )
        )
    cancelled = variants.filter(_WAITING).update(
        state=V.CANCELLED,
        due_at=None,
        next_attempt_at=None,
        lease_until=None,
        sent_key="",
        unsettled_since=None,
        last_error=_("Cancelled by a person."),
    )
    if not cancelled:
        raise ValidationError(_("Nothing of this post is waiting to be published any more."))
    states = set(
        PostVariant.unscoped.filter(agency_id=post.agency_id, post=post).values_list(
            "state", flat=True
        )
    )
    if states & {V.SCHEDULED, V.PUBLISHING}:
        # Another network still waits (a variant-level cancel): a scheduled post stays so.
        target = PostState.SCHEDULED if post.state == PostState.SCHEDULED else PostState.PUBLISHING
    elif V.PUBLISHED in states:
        target = PostState.PARTLY_PUBLISHED
    elif states <= {V.CANCELLED}:
        target = PostState.CANCELLED
    else:
        target = PostState.FAILED
    if target != post.state and target in POST_TRANSITIONS[post.state]:
        post.state = target
        post.save(update_fields=["state", "updated_at"])
    return cancelled


@transaction.atomic
def post_publishing_cancel(*, actor, post: Post) -> Post:
    """Cancel every variant of `post` still waiting to be published (see the module). Variants
    already out stay out: the post ends `partly_published` if any went out, else `cancelled`.
    Raises ValidationError while a variant's network call is in flight."""
    _require_writer(actor, post)
    post = Post.unscoped.select_for_update().select_related("brand__agency").get(pk=post.pk)
    if post.state not in ENGINE_POST_STATES:
        raise ValidationError(
            _("A post that is %(state)s cannot be cancelled here.")
            % {"state": post.get_state_display()}
        )
    count = _cancel_waiting(post, PostVariant.unscoped.filter(agency_id=post.agency_id, post=post))
    audit_record(
        agency=post.brand.agency,
        actor=actor,
        verb="post.cancelled",
        target=post,
        data={"variants_cancelled": count, "to": post.state},
    )
    return post


@transaction.atomic
def variant_cancel(*, actor, post_variant: PostVariant) -> PostVariant:
    """Cancel one network's publication of a post (from the queue page): it must be waiting
    (due, waiting for a retry or a rate limit, failed or needing attention), not in flight."""
    post = (
        Post.unscoped.select_for_update()
        .select_related("brand__agency")
        .get(pk=post_variant.post_id)
    )
    _require_writer(actor, post)
    _cancel_waiting(
        post,
        PostVariant.unscoped.filter(agency_id=post.agency_id, post=post, pk=post_variant.pk),
    )
    audit_record(
        agency=post.brand.agency,
        actor=actor,
        verb="post_variant.cancelled",
        target=post,
        data={"post_variant_id": post_variant.pk},
    )
    return PostVariant.unscoped.get(pk=post_variant.pk)
