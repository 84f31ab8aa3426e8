"""Comments on posts: the team's (with @mentions), and the client's through an approval link."""

import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from agency import permissions
from agency.models import Membership
from agency.services.audit import actor_label, audit_record
from campaigns.models import CommentKind, Post, PostComment, PostState, ReviewStage, ShareLink
from campaigns.services.access import Actor, require, require_brand, user_of
from campaigns.services.notify import notify_about_post
from clients.models import Brand


def comment_record(post: Post, *, actor, label: str, kind: str, body: str) -> PostComment:
    """One entry of the post's thread (a comment or a decision), at the post's current version."""
    return PostComment.objects.create(
        agency_id=post.agency_id,
        post=post,
        author=user_of(actor),
        author_label=label[:200],
        kind=kind,
        body=body.strip()[:5000],
        version=post.version,
    )


MENTION_RE = re.compile(r"(?<![\w.])@([\w.+-]+(?:@[\w-]+(?:\.[\w-]+)+)?)")


def _mentioned_user_ids(post: Post, body: str) -> list[int]:
    """@local-part or @full@email.address of members who may see the post's brand."""
    handles = {h.lower() for h in MENTION_RE.findall(body)}
    if not handles:
        return []
    ids = []
    members = Membership.objects.filter(agency_id=post.agency_id).select_related("user")
    for member in members:
        email = member.user.email.lower()
        if email in handles or email.split("@")[0] in handles:
            if not Brand.objects.visible_to(member).filter(pk=post.brand_id).exists():
                continue
            ids.append(member.user_id)
    return ids


@transaction.atomic
def post_comment_add(*, actor: Actor, post: Post, body: str) -> PostComment:
    """A team comment on the post; people @mentioned are notified (in-app and by email)."""
    require(actor, permissions.POSTS_COMMENT)
    require_brand(actor, post.brand)
    if not body.strip():
        raise ValidationError({"body": _("Write a comment.")})
    comment = comment_record(
        post, actor=actor, label=actor_label(actor), kind=CommentKind.COMMENT, body=body
    )
    mentioned = [
        uid for uid in _mentioned_user_ids(post, body) if uid != getattr(user_of(actor), "pk", None)
    ]
    notify_about_post(
        post,
        user_ids=mentioned,
        verb="post.mentioned",
        message=_("%(who)s mentioned you on %(post)s") % {"who": actor_label(actor), "post": post},
    )
    audit_record(agency=post.brand.agency, actor=actor, verb="post.commented", target=post)
    return comment


# --- Share links (approval page, ICS feed) ---------------------------------------------------


@transaction.atomic
def link_comment_add(*, link: ShareLink, post: Post, body: str, name: str = "") -> PostComment:
    """A comment left through the approval link by a client who does not log in, on a post
    awaiting the client's approval (the only posts the link shows)."""
    if not link.is_active or post.brand_id != link.brand_id:
        raise PermissionDenied(_("This link is no longer valid."))
    if not (post.state == PostState.IN_REVIEW and post.review_stage == ReviewStage.CLIENT):
        raise ValidationError(_("This post is no longer awaiting you."))
    if not body.strip():
        raise ValidationError({"body": _("Write a comment.")})
    label = _("%(label)s (approval link)") % {"label": name.strip() or link.label or _("Client")}
    comment = comment_record(post, actor=None, label=label, kind=CommentKind.COMMENT, body=body)
    notify_about_post(
        post,
        user_ids=[post.author_id],
        verb="post.commented",
        message=_("%(who)s commented on %(post)s") % {"who": label, "post": post},
    )
    return comment
