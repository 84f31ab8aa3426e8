"""The page of replies awaiting approval, for managers, admins and owners: each with the
conversation's latest message, approve (carrying the page's collision marker) or reject with a
reason. Another agency's reply answers 404."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agency import permissions
from agency.views.common import require_action
from agency.visibility import get_visible_or_404
from engagement.models import ReplyApproval
from engagement.models.replies import MAX_REASON_CHARS
from engagement.selectors.approvals import approvals_awaiting
from engagement.services.approvals import approval_approve, approval_reject


@require_action(permissions.INBOX_APPROVE_REPLIES)
def reply_approvals(request: HttpRequest) -> HttpResponse:
    rows = approvals_awaiting(request.membership)
    return render(
        request,
        "engagement/reply_approvals.html",
        {"rows": rows, "max_reason": MAX_REASON_CHARS},
    )


def _approval_get(actor, reply_approval_id: int) -> ReplyApproval:
    return get_visible_or_404(
        ReplyApproval.objects.visible_to(actor).select_related("conversation"),
        reply_approval_id,
        actor=actor,
    )


@require_action(permissions.INBOX_APPROVE_REPLIES)
@require_POST
def reply_approval_approve(request: HttpRequest, reply_approval_id: int) -> HttpResponse:
    approval = _approval_get(request.membership, reply_approval_id)
    try:
        approval_approve(
            actor=request.membership, approval=approval, seen=request.POST.get("seen", "")[:200]
        )
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    else:
        messages.success(request, _("Approved: the reply is on its way."))
    return redirect("dashboard:reply_approvals")


@require_action(permissions.INBOX_APPROVE_REPLIES)
@require_POST
def reply_approval_reject(request: HttpRequest, reply_approval_id: int) -> HttpResponse:
    approval = _approval_get(request.membership, reply_approval_id)
    try:
        approval_reject(
            actor=request.membership,
            approval=approval,
            reason=request.POST.get("reason", "")[: MAX_REASON_CHARS * 2],
        )
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    else:
        messages.success(request, _("Rejected: the author is told why."))
    return redirect("dashboard:reply_approvals")
