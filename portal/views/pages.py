"""The portal's pages: home, what went out, the calendar, the person's own activity. Each reads
through portal.selectors as the person looking; nothing here writes."""

import datetime as dt

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_safe

from campaigns.selectors.calendar import calendar_span
from portal import selectors
from portal.views.common import chosen_brand_id, paginate, portal_page, render_portal
from portal.views.slots import latest_report_for


@require_safe
@portal_page
def home(request: HttpRequest) -> HttpResponse:
    membership, brand_id = request.membership, chosen_brand_id(request)
    awaiting = selectors.awaiting_client(membership, brand_id=brand_id)
    context = {
        "brand_id": brand_id,
        "awaiting": list(awaiting[:10]),
        "awaiting_count": awaiting.count(),
        "going_out": list(selectors.going_out(membership, brand_id=brand_id)[:20]),
        "recent": selectors.recently_published(membership, brand_id=brand_id),
        "incidents": list(selectors.open_incidents(membership, brand_id=brand_id)[:10]),
        "trends": selectors.reputation_trends(membership, brand_id=brand_id),
        "latest_report": latest_report_for(membership, brand_id=brand_id),
    }
    return render_portal(request, "portal/home.html", context, section="home")


@require_safe
@portal_page
def history(request: HttpRequest) -> HttpResponse:
    brand_id = chosen_brand_id(request)
    page = paginate(request, selectors.published_variants(request.membership, brand_id=brand_id))
    context = {"brand_id": brand_id, "page": page, "items": selectors.with_metrics(page)}
    return render_portal(request, "portal/history.html", context, section="history")


def _day(raw: str | None) -> dt.date:
    try:
        return dt.date.fromisoformat(raw or "")
    except ValueError:
        return timezone.localdate()


@require_safe
@portal_page
def calendar(request: HttpRequest) -> HttpResponse:
    view = request.GET.get("view") if request.GET.get("view") in ("month", "week") else "month"
    day, brand_id = _day(request.GET.get("day")), chosen_brand_id(request)
    span = calendar_span(view, day)
    days = selectors.portal_calendar(request.membership, days=span.days, brand_id=brand_id)
    context = {
        "brand_id": brand_id,
        "view": view,
        "day": day,
        "span": span,
        "weeks": _weeks(days),
        "weeks_have_posts": any(posts for _day, posts in days),
    }
    return render_portal(request, "portal/calendar.html", context, section="calendar")


def _weeks(days: list) -> list[list]:
    return [days[i : i + 7] for i in range(0, len(days), 7)]


@require_safe
@portal_page
def activity(request: HttpRequest) -> HttpResponse:
    page = paginate(request, selectors.own_activity(request.membership))
    for event in page:
        event.verb_label = selectors.activity_label(event.verb)
    return render_portal(request, "portal/activity.html", {"page": page}, section="activity")
