"""The inbox list (filters, saved views, search, pagination) and its bulk actions."""

from __future__ import annotations

import zoneinfo

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agency import permissions
from agency.views.common import paginate, require_action
from clients.selectors import brands_visible_to, social_accounts_visible_to
from engagement.forms import InboxFilterForm
from engagement.selectors.inbox import (
    SAVED_VIEWS,
    InboxFilters,
    conversations_list,
    labels_of_agency,
    team_of_agency,
)
from engagement.services import conversations as services


def agency_tz(request) -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(request.agency.time_zone or "Africa/Casablanca")


def _filters(request, *, team, labels) -> tuple[InboxFilterForm, InboxFilters]:
    actor = request.membership
    form = InboxFilterForm(
        request.GET,
        brands=list(brands_visible_to(actor)),
        accounts=list(social_accounts_visible_to(actor)),
        team=team,
        labels=labels,
    )
    view = request.GET.get("view", "")
    view = view if view in SAVED_VIEWS else ""
    if not form.is_valid():
        return form, InboxFilters(view=view)
    c = form.cleaned_data
    return form, InboxFilters(
        view=view,
        brand_id=c["brand"],
        account_id=c["account"],
        network=c["network"],
        kind=c["kind"],
        status=c["status"],
        assignee=c["assignee"],
        sentiment=c["sentiment"],
        language=c["language"],
        label_id=c["label"],
        priority=c["priority"],
        search=c["q"].strip(),
        has_link=c["has_link"],
        vip_author=c["vip_author"],
        abuse=c["abuse"],
    )


@require_action(permissions.INBOX_VIEW)
def inbox(request: HttpRequest) -> HttpResponse:
    actor = request.membership
    can_manage = permissions.can(actor, permissions.INBOX_MANAGE)
    # Client roles do not get the list of the team's people to filter by.
    team = [] if actor.is_client else list(team_of_agency(actor))
    labels = list(labels_of_agency(actor))
    form, filters = _filters(request, team=team, labels=labels)
    page = paginate(request, conversations_list(actor, filters, tz=agency_tz(request)))
    return render(
        request,
        "engagement/inbox.html",
        {
            "form": form,
            "page": page,
            "view": filters.view,
            "saved_views": SAVED_VIEWS,
            "can_manage": can_manage,
            "team": team if can_manage else [],
        },
    )


@require_action(permissions.INBOX_MANAGE)
@require_POST
def inbox_bulk(request: HttpRequest) -> HttpResponse:
    try:
        changed = services.conversations_bulk(
            actor=request.membership,
            conversation_ids=request.POST.getlist("conversations"),
            action=request.POST.get("action", ""),
            value=(
                request.POST.get("labels", "")
                if request.POST.get("action") == services.BULK_LABEL
                else request.POST.get("assignee", "")
            )[:1000],
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("%(n)d conversations changed.") % {"n": changed})
    back = request.POST.get("next", "")
    # Back to the same filtered list; only a query string is taken, never another address.
    return redirect(reverse("dashboard:inbox") + (back if back.startswith("?") else ""))
