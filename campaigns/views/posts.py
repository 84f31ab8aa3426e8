"""A post's page and its actions (submit, schedule, cancel ...), reviews, comments, and the
approvals queue."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from agency import permissions
from agency.redirects import redirect_back
from agency.views.common import member_required, require_action
from campaigns.composer import check_composition, composition_of
from campaigns.forms import CommentForm, ReviewForm
from campaigns.selectors.diffs import post_revision_diff
from campaigns.selectors.media import media_by_ids
from campaigns.selectors.posts import (
    post_can_be_reviewed_by,
    post_comments,
    post_decision_rows,
    post_get_for,
    posts_awaiting,
    posts_awaiting_the_client,
)
from campaigns.services import decisions, holds, workflow
from campaigns.services.bulk import posts_bulk_approve
from campaigns.services.comments import post_comment_add
from campaigns.views.helpers import bulk_outcome_messages, messages_of


@require_action(permissions.CAMPAIGNS_VIEW)
def post_detail(request: HttpRequest, post_id: int) -> HttpResponse:
    post = post_get_for(actor=request.membership, post_id=post_id)
    checks = check_composition(composition_of(post))
    actor = request.membership
    return render(
        request,
        "campaigns/post_detail.html",
        {
            "post": post,
            "checks": checks,
            "diff": post_revision_diff(post),
            "comments": post_comments(post, actor=actor),
            "can_review": post_can_be_reviewed_by(post, actor),
            "rows": post_decision_rows(post),
            "hold_action": holds.hold_action_for(post, actor),
            "review_form": ReviewForm(),
            "comment_form": CommentForm(),
            "media": media_by_ids(brand=post.brand, ids=post.media_ids),
            "section": "calendar",
        },
    )


# Lazy: each confirmation is translated when shown, in the language of the person who acts.
POST_ACTIONS = {
    "submit": (
        permissions.POSTS_WRITE,
        workflow.post_submit,
        gettext_lazy("The post is sent for approval."),
    ),
    "schedule": (
        permissions.POSTS_WRITE,
        workflow.post_schedule,
        gettext_lazy("The post is scheduled."),
    ),
    "unschedule": (
        permissions.POSTS_WRITE,
        workflow.post_unschedule,
        gettext_lazy("The post is out of the queue."),
    ),
    "cancel": (
        permissions.POSTS_WRITE,
        workflow.post_cancel,
        gettext_lazy("The post is cancelled."),
    ),
    "restore": (
        permissions.POSTS_WRITE,
        workflow.post_restore,
        gettext_lazy("The post is a draft again."),
    ),
    "withdraw": (
        permissions.POSTS_WRITE,
        workflow.post_withdraw,
        gettext_lazy("The post is a draft again."),
    ),
}


@member_required
@require_POST
def post_action(request: HttpRequest, post_id: int, action: str) -> HttpResponse:
    action_name, service, done = POST_ACTIONS[action]
    permissions.require(request.membership, action_name)
    post = post_get_for(actor=request.membership, post_id=post_id)
    try:
        service(actor=request.membership, post=post)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, messages_of(exc))
    else:
        messages.success(request, str(done))
    return redirect("campaigns:post_detail", post_id=post.pk)


def _review(request, post_id: int, service, done: str) -> HttpResponse:
    actor = request.membership
    if not (
        permissions.can(actor, permissions.POSTS_APPROVE)
        or permissions.can(actor, permissions.POSTS_CLIENT_APPROVE)
    ):
        raise PermissionDenied
    post = post_get_for(actor=actor, post_id=post_id)
    form = ReviewForm(request.POST)
    form.is_valid()
    try:
        service(actor=actor, post=post, comment=form.cleaned_data.get("comment", ""))
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, messages_of(exc))
    else:
        messages.success(request, done)
    return redirect_back(request, "campaigns:approvals")


@member_required
@require_POST
def post_approve(request: HttpRequest, post_id: int) -> HttpResponse:
    return _review(request, post_id, workflow.post_approve, _("Approved."))


@member_required
@require_POST
def post_reject(request: HttpRequest, post_id: int) -> HttpResponse:
    return _review(request, post_id, decisions.post_reject, _("Rejected."))


def _require_reviewer(actor) -> None:
    if not (
        permissions.can(actor, permissions.POSTS_APPROVE)
        or permissions.can(actor, permissions.POSTS_CLIENT_APPROVE)
    ):
        raise PermissionDenied


@member_required
@require_POST
def post_variant_decide(request: HttpRequest, post_id: int) -> HttpResponse:
    """One network's decision (approve, request changes, reject) from the approvals page or the
    post's page."""
    actor = request.membership
    _require_reviewer(actor)
    post = post_get_for(actor=actor, post_id=post_id)
    try:
        decisions.variant_decide(
            actor=actor,
            post=post,
            variant_id=request.POST.get("variant", ""),
            decision=request.POST.get("decision", ""),
            comment=request.POST.get("comment", "")[:5000],
        )
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, messages_of(exc))
    else:
        messages.success(request, _("Your decision is recorded."))
    return redirect_back(request, "campaigns:approvals")


@member_required
@require_POST
def posts_bulk_approve_view(request: HttpRequest) -> HttpResponse:
    """Approve the ticked posts of the approvals page with one comment for all."""
    actor = request.membership
    _require_reviewer(actor)
    try:
        outcomes = posts_bulk_approve(
            actor=actor,
            post_ids=request.POST.getlist("posts"),
            comment=request.POST.get("comment", "")[:5000],
        )
    except ValidationError as exc:
        messages.error(request, messages_of(exc))
    else:
        bulk_outcome_messages(request, outcomes)
    return redirect_back(request, "campaigns:approvals")


@member_required
@require_POST
def post_hold(request: HttpRequest, post_id: int) -> HttpResponse:
    return _review(request, post_id, holds.post_hold, _("The post is on hold."))


@member_required
@require_POST
def post_release(request: HttpRequest, post_id: int) -> HttpResponse:
    return _review(request, post_id, holds.post_release, _("The post is released."))


@member_required
@require_POST
def post_request_changes(request: HttpRequest, post_id: int) -> HttpResponse:
    return _review(
        request, post_id, workflow.post_request_changes, _("The author is asked for changes.")
    )


@require_action(permissions.POSTS_COMMENT)
@require_POST
def post_comment(request: HttpRequest, post_id: int) -> HttpResponse:
    post = post_get_for(actor=request.membership, post_id=post_id)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            post_comment_add(
                actor=request.membership,
                post=post,
                body=form.cleaned_data["body"],
                visibility=form.visibility(),
            )
        except ValidationError as exc:
            messages.error(request, messages_of(exc))
    else:
        messages.error(request, _("Write a comment."))
    return redirect(reverse("campaigns:post_detail", kwargs={"post_id": post.pk}) + "#comments")


# --- Approvals queue -------------------------------------------------------------------------


@require_action(permissions.CAMPAIGNS_VIEW)
def approvals(request: HttpRequest) -> HttpResponse:
    posts = list(posts_awaiting(request.membership))
    items = [(post, post_decision_rows(post), post_revision_diff(post)) for post in posts]
    return render(
        request,
        "campaigns/approvals.html",
        {
            "items": items,
            "waiting_for_the_client": posts_awaiting_the_client(request.membership),
            "review_form": ReviewForm(),
            "section": "approvals",
        },
    )
