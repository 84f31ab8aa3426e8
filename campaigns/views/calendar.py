"""The calendar (month, week, list), drag-and-drop rescheduling, and its CSV export."""

import csv
import datetime as dt
import zoneinfo
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agency import permissions
from agency.views.common import require_action, with_current_brand
from campaigns.forms import CalendarFilterForm, RescheduleForm
from campaigns.selectors.calendar import (
    calendar_authors,
    calendar_posts_by_day,
    calendar_span,
    posts_unscheduled,
    week_hours,
)
from campaigns.selectors.planning import campaigns_visible_to
from campaigns.selectors.posts import post_get_for, posts_filtered
from campaigns.services import workflow
from campaigns.times import local_time_str, to_utc, today_in
from campaigns.views.helpers import messages_of
from clients.selectors import brands_visible_to
from core.csv_safety import csv_safe


def _calendar_filters(request, query: QueryDict) -> CalendarFilterForm:
    actor = request.membership
    return CalendarFilterForm(
        query or None,
        brands=brands_visible_to(actor),
        campaigns=campaigns_visible_to(actor),
        authors=calendar_authors(actor),
    )


def _calendar_context(request, query: QueryDict) -> dict:
    """The calendar page for the filters and the day in `query` (the page's GET parameters)."""
    query = with_current_brand(request, query)  # the top bar's brand, as on Listening
    form = _calendar_filters(request, query)
    data = form.valid_data()
    view = data.get("view") or "month"
    brand = data.get("brand")
    tz = zoneinfo.ZoneInfo(brand.time_zone if brand else request.agency.time_zone)
    day = data.get("day") or today_in(tz)
    span = calendar_span(view, day)
    filters = form.post_filters()
    days = calendar_posts_by_day(request.membership, days=span.days, **filters)
    params = {k: v for k, v in query.items() if k not in ("day",)}
    return {
        "form": form,
        "view": view,
        "day": day,
        "days": days,
        "hours": week_hours(days) if view == "week" else [],
        "month": day.month,
        "today": today_in(tz),
        "previous_url": "?" + urlencode({**params, "day": span.previous.isoformat()}),
        "next_url": "?" + urlencode({**params, "day": span.following.isoformat()}),
        "query": urlencode(params),
        "unscheduled": (
            posts_unscheduled(request.membership, brand_id=filters["brand_id"])
            if view == "list"
            else []
        ),
        "section": "calendar",
        "can_move": permissions.can(request.membership, permissions.POSTS_WRITE),
        "weekday_names": [_(name) for name in ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")],
    }


@require_action(permissions.CAMPAIGNS_VIEW)
def calendar(request: HttpRequest) -> HttpResponse:
    context = _calendar_context(request, request.GET)
    template = "campaigns/_calendar_body.html" if request.htmx else "campaigns/calendar.html"
    return render(request, template, context)


@require_action(permissions.POSTS_WRITE)
@require_POST
def post_reschedule(request: HttpRequest, post_id: int) -> HttpResponse:
    """Drag and drop on the calendar: a new local date (and optionally time) in the post's
    brand's time zone, checked like the composer; answers the redrawn calendar."""
    post = post_get_for(actor=request.membership, post_id=post_id)
    form = RescheduleForm(request.POST)
    error = ""
    if form.is_valid():
        local_time = form.cleaned_data["time"] or (
            post.local_scheduled_at.time() if post.scheduled_at else dt.time(10, 0)
        )
        local = dt.datetime.combine(form.cleaned_data["date"], local_time.replace(tzinfo=None))
        try:
            when = to_utc(local, post.brand.time_zone)
            workflow.post_reschedule(actor=request.membership, post=post, scheduled_at=when)
        except (ValidationError, PermissionDenied) as exc:
            error = messages_of(exc)
    else:
        error = _("Choose a day.")
    if not request.htmx:
        if error:
            messages.error(request, error)
        else:
            messages.success(request, _("The post is moved."))
        return redirect(reverse("campaigns:calendar") + "?" + request.POST.get("query", ""))
    # The redrawn calendar is the one the person was looking at: its filters came with the move.
    query = request.GET.copy()
    for key, value in QueryDict(request.POST.get("query", "")).items():
        query[key] = value
    context = _calendar_context(request, query)
    context["move_error"] = error
    context["move_ok"] = not error
    return render(request, "campaigns/_calendar_body.html", context)


@require_action(permissions.CAMPAIGNS_VIEW)
def calendar_export(request: HttpRequest) -> HttpResponse:
    """The calendar as CSV: the filtered posts, with times in each brand's zone and in UTC."""
    filters = _calendar_filters(request, request.GET).post_filters()
    posts = posts_filtered(request.membership, **filters).order_by("scheduled_at", "id")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="calendar.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(
        [
            "id",
            "brand",
            "campaign",
            "title",
            "state",
            "local_time",
            "time_zone",
            "utc_time",
            "accounts",
            "author",
            "text",
            # For the people who open the file: appended, so machines reading by position
            # keep their columns (decision 72).
            "state_label",
            "author_name",
        ]
    )
    for post in posts:
        writer.writerow(
            [
                post.pk,
                csv_safe(post.brand.name),
                csv_safe(post.campaign.name if post.campaign else ""),
                csv_safe(post.title),
                post.state,
                local_time_str(post.scheduled_at, post.brand.time_zone),
                post.brand.time_zone,
                post.scheduled_at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
                if post.scheduled_at
                else "",
                csv_safe(" | ".join(str(v.social_account) for v in post.variants.all())),
                csv_safe(post.author.email if post.author else ""),
                csv_safe(post.text),
                post.get_state_display(),
                csv_safe(post.author.get_full_name() if post.author else ""),
            ]
        )
    return response
