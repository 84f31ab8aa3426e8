"""Approving several posts at once, with one comment for all (the approvals pages and the API).

Each post is approved on its own (`post_approve`, in its own transaction: one refused post does
not undo the others) after the same checks as one approval; the answer says, post by post,
whether it was approved or why not. A post the actor may not see is "not found", like any
other post that does not exist (no existence leak).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from campaigns.models import Post, ShareLink
from campaigns.selectors.posts import posts_visible_to
from campaigns.selectors.share_links import approval_link_posts
from campaigns.services.access import Actor
from campaigns.services.decisions import post_approve

BULK_LIMIT = 100


@dataclass(frozen=True)
class BulkOutcome:
    post_id: int
    approved: bool
    state: str = ""
    code: str = ""
    message: str = ""


def _reason(exc: Exception) -> tuple[str, str]:
    if isinstance(exc, PermissionDenied):
        return "permission_denied", str(exc) or _("You may not approve this post.")
    messages = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
    return "invalid", " ".join(str(m) for m in messages)


def _ids(post_ids) -> list[int]:
    try:
        ids = list(dict.fromkeys(int(i) for i in post_ids))
    except (TypeError, ValueError):
        raise ValidationError({"posts": _("Give the posts as a list of ids.")}) from None
    if not ids:
        raise ValidationError({"posts": _("Choose at least one post.")})
    if len(ids) > BULK_LIMIT:
        raise ValidationError(
            {"posts": _("Approve at most %(limit)s posts at once.") % {"limit": BULK_LIMIT}}
        )
    return ids


def posts_bulk_approve(
    *, actor: Actor | None, post_ids, comment: str = "", link: ShareLink | None = None
) -> list[BulkOutcome]:
    """Approve each post of ``post_ids`` with ``comment`` (the whole post: every network still
    waiting); one outcome per post, in the order given."""
    ids = _ids(post_ids)
    if link is not None:
        found = {p.pk: p for p in approval_link_posts(link) if p.pk in ids}
    elif actor is None:
        raise PermissionDenied(_("You may not approve this post."))
    else:
        found = {p.pk: p for p in posts_visible_to(actor).filter(pk__in=ids)}
    outcomes = []
    for post_id in ids:
        post = found.get(post_id)
        if post is None:
            outcomes.append(
                BulkOutcome(post_id, False, code="not_found", message=_("No such post."))
            )
            continue
        try:
            approved: Post = post_approve(actor=actor, post=post, comment=comment, link=link)
        except (ValidationError, PermissionDenied) as exc:
            code, message = _reason(exc)
            outcomes.append(BulkOutcome(post_id, False, code=code, message=message))
        else:
            outcomes.append(BulkOutcome(post_id, True, state=approved.state))
    return outcomes
