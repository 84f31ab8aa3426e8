"""Putting an approved post on hold, and releasing it.

A hold stops a post that was approved (or is scheduled) from going out until someone releases
it: the client who approved it changed their mind about the timing, a crisis started, a price
is not final. The post keeps its state and its time; the publishing engine claims no variant of
a held post (``publishing.dispatch``, in the same conditional update that claims, with the post
row locked), so a hold that commits before a claim always wins and one that comes after finds the
post publishing and is refused. Released after its time, the post goes out at the engine's next
tick.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agency import permissions
from agency.services.audit import actor_label, audit_record
from campaigns.models import CommentKind, Post, PostState
from campaigns.services.access import Actor, require_brand
from campaigns.services.comments import comment_record
from campaigns.services.notify import notify_about_post

HOLDABLE_STATES = frozenset({PostState.APPROVED, PostState.SCHEDULED})


def _require_approver(actor: Actor, post: Post) -> None:
    """The team's approvers, and the brand's client approvers."""
    if not (
        permissions.can(actor, permissions.POSTS_APPROVE)
        or permissions.can(actor, permissions.POSTS_CLIENT_APPROVE)
    ):
        raise PermissionDenied(_("Only an approver may put a post on hold or release it."))
    require_brand(actor, post.brand)


def _locked(post: Post) -> Post:
    return Post.objects.select_for_update(of=("self",)).select_related("brand").get(pk=post.pk)


@transaction.atomic
def post_hold(*, actor: Actor, post: Post, comment: str = "") -> Post:
    """Put an approved or scheduled post on hold; its author hears why (the comment)."""
    _require_approver(actor, post)
    post = _locked(post)
    if post.held_at is not None:
        raise ValidationError(_("This post is already on hold."))
    if post.state not in HOLDABLE_STATES:
        raise ValidationError(
            _("Only an approved post that has not started publishing can be put on hold.")
        )
    label = actor_label(actor)
    post.held_at = timezone.now()
    post.held_by_label = label[:200]
    post.save(update_fields=["held_at", "held_by_label", "updated_at"])
    comment_record(post, actor=actor, label=label, kind=CommentKind.HELD, body=comment)
    audit_record(agency=post.brand.agency, actor=actor, verb="post.held", target=post)
    notify_about_post(
        post,
        user_ids=[post.author_id],
        verb="post.held",
        message=_("%(who)s put on hold: %(post)s") % {"who": label, "post": post},
    )
    return post


@transaction.atomic
def post_release(*, actor: Actor, post: Post, comment: str = "") -> Post:
    """Release a held post: it goes out at its time, or at once if its time has passed."""
    _require_approver(actor, post)
    post = _locked(post)
    if post.held_at is None:
        raise ValidationError(_("This post is not on hold."))
    label = actor_label(actor)
    post.held_at = None
    post.held_by_label = ""
    post.save(update_fields=["held_at", "held_by_label", "updated_at"])
    comment_record(post, actor=actor, label=label, kind=CommentKind.RELEASED, body=comment)
    audit_record(agency=post.brand.agency, actor=actor, verb="post.released", target=post)
    notify_about_post(
        post,
        user_ids=[post.author_id],
        verb="post.released",
        message=_("%(who)s released: %(post)s") % {"who": label, "post": post},
    )
    return post


def hold_action_for(post: Post, actor: Actor) -> str:
    """The hold button ``actor`` sees on ``post``: "hold", "release" or "" (none)."""
    try:
        _require_approver(actor, post)
    except PermissionDenied:
        return ""
    if post.held_at is not None:
        return "release"
    return "hold" if post.state in HOLDABLE_STATES else ""
