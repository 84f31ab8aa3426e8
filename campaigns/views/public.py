"""The public pages behind a signed token: the client's approval page and the ICS feed."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.clickjacking import xframe_options_deny

from agency.tenancy import tenant_scope
from campaigns import ics
from campaigns.models import ShareLinkKind
from campaigns.selectors.diffs import post_revision_diff
from campaigns.selectors.posts import post_comments, post_decision_rows
from campaigns.selectors.share_links import (
    LinkUnusable,
    approval_link_post,
    approval_link_posts,
    ics_feed_posts,
    share_link_from_token,
)
from campaigns.services.comments import link_comment_add
from campaigns.services.decisions import (
    post_approve,
    post_reject,
    post_request_changes,
    variant_decide,
)
from campaigns.views.helpers import messages_of


@never_cache
@xframe_options_deny
def approval_link(request: HttpRequest, token: str) -> HttpResponse:
    """The client's approval page without an account: the brand's posts awaiting the client,
    with previews per network; approve, request changes, reject or comment on each, whole or
    network by network."""
    try:
        link = share_link_from_token(token, kind=ShareLinkKind.APPROVAL)
    except LinkUnusable as exc:
        return render(
            request, "campaigns/link_unusable.html", {"reason": exc.reason}, status=exc.status
        )
    with tenant_scope(link.agency_id):
        if request.method == "POST":
            _approval_link_post(request, link)
            return redirect("campaigns:approval_link", token=token)
        items = [
            (
                post,
                post_decision_rows(post),
                # actor=None: the link holder is the client, who sees no team comment.
                list(post_comments(post, actor=None)),
                post_revision_diff(post),  # what changed since the client last decided
            )
            for post in approval_link_posts(link)
        ]
        return render(
            request,
            "campaigns/approval_link.html",
            {"link": link, "brand": link.brand, "agency": link.agency, "items": items},
        )


def _approval_link_post(request, link) -> None:
    post = approval_link_post(link, request.POST.get("post"))
    if post is None:
        messages.error(request, _("This post is no longer awaiting you."))
        return
    decision = request.POST.get("decision")
    comment = request.POST.get("comment", "")
    name = request.POST.get("name", "")[:80]
    if name:
        link.label = name
    try:
        if request.POST.get("variant"):
            variant_decide(
                actor=None,
                post=post,
                variant_id=request.POST["variant"],
                decision=decision or "",
                comment=comment,
                link=link,
            )
            messages.success(request, _("Your decision is recorded."))
        elif decision == "approve":
            post_approve(actor=None, post=post, comment=comment, link=link)
            messages.success(request, _("Approved. Thank you."))
        elif decision == "reject":
            post_reject(actor=None, post=post, comment=comment, link=link)
            messages.success(request, _("Rejected. The agency is told."))
        elif decision == "changes":
            post_request_changes(actor=None, post=post, comment=comment, link=link)
            messages.success(request, _("Your request was sent to the agency."))
        else:
            link_comment_add(link=link, post=post, body=comment, name=name)
            messages.success(request, _("Your comment was sent to the agency."))
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, messages_of(exc))


approval_link.public = True


def ics_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The brand's planned posts as an iCalendar feed (RFC 5545) for the client's calendar."""
    try:
        link = share_link_from_token(token, kind=ShareLinkKind.CALENDAR)
    except LinkUnusable as exc:
        return HttpResponse(exc.reason, status=exc.status, content_type="text/plain")
    with tenant_scope(link.agency_id):
        body = ics.calendar_for(brand=link.brand, posts=ics_feed_posts(link))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{link.brand.slug}.ics"'
    return response


ics_feed.public = True
