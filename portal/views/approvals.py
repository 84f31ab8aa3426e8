"""The portal's approvals: what waits for the client's decision (with bulk approve), and one
post with its preview per network, the decisions (whole post or per network), hold and release,
and the thread shared with the client (docs/client-portal.md, "Approvals").

Every write is a campaigns service, which checks who may decide (the brand's client approvers;
a client viewer reads only); every read goes through campaigns' selectors, narrowed to the
person's brands (another brand's or agency's post is a 404).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from agency import permissions
from agency.visibility import get_visible_or_404
from campaigns.models import Post
from campaigns.selectors.posts import post_can_be_reviewed_by, post_comments, post_decision_rows
from campaigns.services import decisions, holds
from campaigns.services.bulk import posts_bulk_approve
from campaigns.services.comments import post_comment_add
from campaigns.views.helpers import bulk_outcome_messages, messages_of
from portal import selectors
from portal.views.common import chosen_brand_id, portal_page, render_portal

# Lazy: each confirmation is translated when shown, in the language of the person who acts.
WHOLE_POST = {
    "approve": (decisions.post_approve, gettext_lazy("Approved. Thank you.")),
    "changes": (
        decisions.post_request_changes,
        gettext_lazy("Your request was sent to the agency."),
    ),
    "reject": (decisions.post_reject, gettext_lazy("Rejected. The agency is told.")),
}


def _may_decide(actor) -> bool:
    return permissions.can(actor, permissions.POSTS_CLIENT_APPROVE)


def _back(post_id: int) -> HttpResponse:
    return redirect("portal:approval_detail", post_id=post_id)


def _after_decision(request: HttpRequest, post: Post) -> HttpResponse:
    """Back to the post while the portal still shows it; a decision that sends it back to the
    team (changes requested) or cancels it takes it out of the portal, so to the approvals then
    (its page would be a 404 right after the client's own decision)."""
    if selectors.portal_posts(request.membership).filter(pk=post.pk).exists():
        return _back(post.pk)
    return redirect("portal:approvals")


def _post_for(request: HttpRequest, post_id: int) -> Post:
    """A post the client meets (at their stage of review or after), of their brands; any other
    is a 404, whether it exists or not."""
    actor = request.membership
    return get_visible_or_404(selectors.portal_posts(actor), post_id, actor=actor)


@require_safe
@portal_page
def approvals(request: HttpRequest) -> HttpResponse:
    """What waits for the client's decision, each post with its networks' previews."""
    actor, brand_id = request.membership, chosen_brand_id(request)
    awaiting = selectors.awaiting_client(actor, brand_id=brand_id)
    items = [(post, post_decision_rows(post)) for post in awaiting]
    context = {"brand_id": brand_id, "items": items, "can_decide": _may_decide(actor)}
    return render_portal(request, "portal/approvals.html", context, section="approvals")


@require_safe
@portal_page
def approval_detail(request: HttpRequest, post_id: int) -> HttpResponse:
    """One post of the client's brands: its preview per network, the decisions the person may
    take, hold or release, and the comments shared with the client."""
    actor = request.membership
    post = _post_for(request, post_id)
    context = {
        "post": post,
        "rows": post_decision_rows(post),
        "can_decide": _may_decide(actor) and post_can_be_reviewed_by(post, actor),
        "hold_action": holds.hold_action_for(post, actor),
        "comments": post_comments(post, actor=actor),
        "can_comment": permissions.can(actor, permissions.POSTS_COMMENT),
    }
    return render_portal(request, "portal/approval_detail.html", context, section="approvals")


@portal_page
@require_POST
def approval_decide(request: HttpRequest, post_id: int) -> HttpResponse:
    """A decision: on one network (``variant`` given) or on the whole post."""
    actor = request.membership
    post = _post_for(request, post_id)
    decision = request.POST.get("decision", "")
    comment = request.POST.get("comment", "")[:5000]
    try:
        if not _may_decide(actor):
            raise PermissionDenied(_("Only the brand's approvers decide on its posts."))
        if request.POST.get("variant"):
            decisions.variant_decide(
                actor=actor,
                post=post,
                variant_id=request.POST["variant"],
                decision=decision,
                comment=comment,
            )
            done = _("Your decision is recorded.")
        elif decision in WHOLE_POST:
            service, done = WHOLE_POST[decision]
            service(actor=actor, post=post, comment=comment)
        else:
            raise ValidationError(_("Choose approve, request changes or reject."))
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, messages_of(exc))
    else:
        messages.success(request, str(done))
    return _after_decision(request, post)


@portal_page
@require_POST
def approval_hold(request: HttpRequest, post_id: int) -> HttpResponse:
    """Put an approved post on hold, or release it (the button the page showed)."""
    actor = request.membership
    post = _post_for(request, post_id)
    comment = request.POST.get("comment", "")[:5000]
    try:
        if post.held_at is None:
            holds.post_hold(actor=actor, post=post, comment=comment)
            messages.success(request, _("The post is on hold."))
        else:
            holds.post_release(actor=actor, post=post, comment=comment)
            messages.success(request, _("The post is released."))
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, messages_of(exc))
    return _back(post.pk)


@portal_page
@require_POST
def approval_comment(request: HttpRequest, post_id: int) -> HttpResponse:
    """A comment to the agency's team (a client's comments are always shared with the team)."""
    actor = request.membership
    post = _post_for(request, post_id)
    try:
        post_comment_add(actor=actor, post=post, body=request.POST.get("body", "")[:5000])
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, messages_of(exc))
    else:
        messages.success(request, _("Your comment was sent to the agency."))
    return _back(post.pk)


@portal_page
@require_POST
def approvals_bulk_approve(request: HttpRequest) -> HttpResponse:
    """Approve the ticked posts with one comment for all; the page says post by post."""
    actor = request.membership
    try:
        if not _may_decide(actor):
            raise PermissionDenied(_("Only the brand's approvers decide on its posts."))
        outcomes = posts_bulk_approve(
            actor=actor,
            post_ids=request.POST.getlist("posts"),
            comment=request.POST.get("comment", "")[:5000],
        )
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, messages_of(exc))
    else:
        bulk_outcome_messages(request, outcomes)
    return redirect("portal:approvals")
