"""The calendar: the days a month, week or list view shows, the posts placed on each day in
their own brand's zone, the posts without a time, and the authors to filter by."""

import calendar as pycalendar
import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet

from agency.models import Membership, User
from campaigns.models import Post, PostState
from campaigns.selectors.access import Actor
from campaigns.selectors.posts import posts_filtered, posts_visible_to

VIEWS = ("month", "week", "list")
UNSCHEDULED_SHOWN = 50


@dataclass(frozen=True)
class CalendarSpan:
    days: list[dt.date]
    previous: dt.date  # where the "previous" page starts
    following: dt.date  # where the "next" page starts


def calendar_span(view: str, day: dt.date) -> CalendarSpan:
    """The days `view` shows around `day`: its week (Monday first), its month padded to whole
    weeks, or, for the list, its month from the 1st to the last day (a rolling 30 days missed
    the 31st and did not match the month's pages)."""
    if view == "week":
        start_day = day - dt.timedelta(days=day.weekday())
        days = [start_day + dt.timedelta(days=i) for i in range(7)]
        return CalendarSpan(
            days, start_day - dt.timedelta(days=7), start_day + dt.timedelta(days=7)
        )
    first = day.replace(day=1)
    last = first.replace(day=pycalendar.monthrange(first.year, first.month)[1])
    previous, following = (first - dt.timedelta(days=1)).replace(day=1), last + dt.timedelta(days=1)
    if view == "month":
        start_day = first - dt.timedelta(days=first.weekday())
        end_day = last + dt.timedelta(days=6 - last.weekday())
    else:
        start_day, end_day = first, last
    days = [start_day + dt.timedelta(days=i) for i in range((end_day - start_day).days + 1)]
    return CalendarSpan(days, previous, following)


def week_hours(days: list[tuple[dt.date, list[Post]]]) -> list[tuple[dt.date, list]]:
    """The week view's hour grid: each day with its 24 hours, each hour with the posts whose
    local time falls in it (`days` as calendar_posts_by_day gives them)."""
    return [
        (
            day,
            [
                (dt.time(hour), [p for p in posts if p.local_time.hour == hour])  # type: ignore[attr-defined]
                for hour in range(24)
            ],
        )
        for day, posts in days
    ]


def calendar_posts_by_day(
    actor: Actor, *, days: list[dt.date], **filters
) -> list[tuple[dt.date, list[Post]]]:
    """Each day with its posts, in time order. A post is placed on its own brand's local date
    (and given `local_time`, naive, for display); `filters` are posts_filtered()'s."""
    # A margin of a day each side: each post is placed on its own brand's local date.
    start = dt.datetime.combine(days[0] - dt.timedelta(days=1), dt.time.min, tzinfo=dt.UTC)
    end = dt.datetime.combine(days[-1] + dt.timedelta(days=2), dt.time.min, tzinfo=dt.UTC)
    posts = posts_filtered(actor, start=start, end=end, **filters).order_by("scheduled_at", "id")
    by_day: dict[dt.date, list[Post]] = {d: [] for d in days}
    for post in posts:
        local = post.local_scheduled_at
        if local.date() in by_day:
            # For display only: the template shows the time on the brand's own clock.
            post.local_time = local.replace(tzinfo=None)  # type: ignore[attr-defined]
            by_day[local.date()].append(post)
    return [(d, by_day[d]) for d in days]


def posts_unscheduled(actor: Actor, *, brand_id=None) -> QuerySet[Post]:
    """Posts without a time (cancelled ones left out), newest first: the list view's tray."""
    return (
        posts_visible_to(actor, brand_id=brand_id)
        .filter(scheduled_at=None)
        .exclude(state=PostState.CANCELLED)
        .order_by("-created_at")[:UNSCHEDULED_SHOWN]
    )


def calendar_authors(actor: Actor) -> QuerySet[User]:
    """The people the calendar may be filtered by: the agency's members (none for clients,
    who are not shown who wrote what)."""
    if isinstance(actor, Membership) and actor.is_client:
        return User.objects.none()
    return User.objects.filter(memberships__agency_id=actor.agency_id).order_by("email")
