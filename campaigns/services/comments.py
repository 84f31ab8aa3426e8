"""Comments on posts: the team's (with @mentions), and the client's through an approval link.

Every comment is internal (the team only) or external (shared with the client). A team member
chooses, internal by default; a client role or a link holder always writes external ones
(``visibility_for``), and an internal comment never notifies a client.
"""

import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from agency import permissions
from agency.models import Membership
from agency.services.audit import actor_label, audit_record
from campaigns.models import (
    CommentKind,
    CommentVisibility,
    Post,
    PostComment,
    PostState,
    ReviewStage,
    ShareLink,
)
from campaigns.services.access import Actor, require, require_brand, user_of
from campaigns.services.notify import notify_about_post
from clients.models import Brand


def is_client_side(actor) -> bool:
    """A client role, or the holder of an approval link (``actor=None``)."""
    return actor is None or (isinstance(actor, Membership) and actor.is_client)


def visibility_for(actor, asked: str = "") -> str:
    """The visibility ``actor``'s comment gets: the client side writes external only (asking
    for internal is an error, not a silent change); the team gets what it asked, internal by
    default."""
    if asked and asked not in CommentVisibility.values:
        raise ValidationError({"visibility": _("Choose internal or shared with the client.")})
    if is_client_side(actor):
        if asked == CommentVisibility.INTERNAL:
            raise ValidationError(
                {"visibility": _("Clients' comments are always shared with the agency's team.")}
            )
        return CommentVisibility.EXTERNAL
    return asked or CommentVisibility.INTERNAL


def comment_record(
    post: Post, *, actor, label: str, kind: str, body: str, visibility: str = "", variant=None
) -> PostComment:
    """One entry of the post's thread (a comment or a decision, on one network's ``variant``
    or the whole post), at the post's current version. A decision's comment is internal when
    the team decides, external when the client does."""
    return PostComment.objects.create(
        variant=variant,
        agency_id=post.agency_id,
        post=post,
        author=user_of(actor),
        author_label=label[:200],
        kind=kind,
        body=body.strip()[:5000],
        visibility=visibility_for(actor, visibility),
        version=post.version,
    )


MENTION_RE = re.compile(r"(?<![\w.])@([\w.+-]+(?:@[\w-]+(?:\.[\w-]+)+)?)")


def _mentioned_user_ids(post: Post, body: str, *, internal: bool) -> list[int]:
    """@local-part or @full@email.address of members who may see the post's brand (and, for
    an internal comment, who are on the team: a client never hears of one)."""
    handles = {h.lower() for h in MENTION_RE.findall(body)}
    if not handles:
        return []
    ids = []
    members = Membership.objects.filter(agency_id=post.agency_id).select_related("user")
    for member in members:
        if internal and member.is_client:
            continue
        email = member.user.email.lower()
        if email in handles or email.split("@")[0] in handles:
            if not Brand.objects.visible_to(member).filter(pk=post.brand_id).exists():
                continue
            ids.append(member.user_id)
    return ids


@transaction.atomic
def post_comment_add(*, actor: Actor, post: Post, body: str, visibility: str = "") -> PostComment:
    """A comment on the post by a logged-in person (team or client role), internal or shared
    with the client; people @mentioned are notified (in-app and by email)."""
    require(actor, permissions.POSTS_COMMENT)
    require_brand(actor, post.brand)
    if not body.strip():
        raise ValidationError({"body": _("Write a comment.")})
    comment = comment_record(
        post,
        actor=actor,
        label=actor_label(actor),
        kind=CommentKind.COMMENT,
        body=body,
        visibility=visibility,
    )
    internal = comment.visibility == CommentVisibility.INTERNAL
    me = getattr(user_of(actor), "pk", None)
    mentioned = [uid for uid in _mentioned_user_ids(post, body, internal=internal) if uid != me]
    notify_about_post(
        post,
        user_ids=mentioned,
        verb="post.mentioned",
        message=_("%(who)s mentioned you on %(post)s") % {"who": actor_label(actor), "post": post},
    )
    audit_record(
        agency=post.brand.agency,
        actor=actor,
        verb="post.commented",
        target=post,
        data={"visibility": comment.visibility},
    )
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
