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

from agency.services.audit import audit_record
from campaigns import states
from campaigns.models import Post, PostVariant, VariantState
from publishing.access import post_writer_require

V = VariantState
_WAITING_STATES = (V.SCHEDULED, V.FAILED, V.NEEDS_ATTENTION)
_WAITING = Q(state__in=_WAITING_STATES) | Q(
    state=V.PUBLISHING,
    call_started_at__isnull=True,  # claimed, not sent: the task will skip
)


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
    states.variant_move_check([*_WAITING_STATES, V.PUBLISHING], V.CANCELLED)
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
    target = states.post_state_after_cancel(
        post.state, PostVariant.objects.filter(post=post).values_list("state", flat=True)
    )
    if target != post.state:
        states.post_move(post, target)
        post.save(update_fields=["state", "updated_at"])
    return cancelled


@transaction.atomic
def post_publishing_cancel(*, actor, post: Post) -> Post:
    """Cancel every variant of `post` still waiting to be published (see the module). Variants
    already out stay out: the post ends `partly_published` if any went out, else `cancelled`.
    Raises ValidationError while a variant's network call is in flight."""
    post_writer_require(actor=actor, post=post)
    post = Post.objects.select_for_update().select_related("brand__agency").get(pk=post.pk)
    if post.state not in states.ENGINE_POST_STATES:
        raise ValidationError(
            _("A post that is %(state)s cannot be cancelled here.")
            % {"state": post.get_state_display()}
        )
    count = _cancel_waiting(post, PostVariant.objects.filter(post=post))
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
        Post.objects.select_for_update()
        .select_related("brand__agency")
        .get(pk=post_variant.post_id)
    )
    post_writer_require(actor=actor, post=post)
    _cancel_waiting(
        post,
        PostVariant.objects.filter(post=post, pk=post_variant.pk),
    )
    audit_record(
        agency=post.brand.agency,
        actor=actor,
        verb="post_variant.cancelled",
        target=post,
        data={"post_variant_id": post_variant.pk},
    )
    return PostVariant.objects.get(pk=post_variant.pk)
