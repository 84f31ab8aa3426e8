"""What the client portal reads, always as the person looking (`visible_to(actor)` through the
lower apps' selectors): what waits for the client, what goes out, what went out and how it did,
open crises and e-reputation of their brands, their own activity.

The portal shows the posts that reached the client: at the client's stage of review and after
(approved, scheduled, going out, published). The team's work in progress (drafts, internal
review, changes being made) and cancelled or failed posts stay on the team's side.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agency.models import AuditEvent, Membership
from agency.selectors import audit_events_list
from analytics.models import Metric
from analytics.selectors.metrics import post_metrics_latest
from campaigns.models import Post, PostState, PostVariant, ReviewStage, VariantState
from campaigns.selectors.calendar import calendar_posts_by_day
from campaigns.selectors.posts import posts_visible_to
from clients.models import Brand
from clients.selectors import brands_visible_to
from reports.models import ReportRun
from reports.selectors.runs import runs_of
from reports.states import RunState
from reputation.models.crises import CrisisIncident, CrisisState
from reputation.selectors.crises import incidents_visible_to
from reputation.selectors.statistics import reputation_by_day

RECENT_DAYS = 14
RECENT_SHOWN = 10
COMING_DAYS = 7
TREND_DAYS = 30
TREND_BRANDS_SHOWN = 12
# The figures a client reads first, in this order (analytics' vocabulary).
FIRST_METRICS = ("impressions", "reach", "likes", "comments", "shares")

_AFTER_APPROVAL = (
    PostState.APPROVED,
    PostState.SCHEDULED,
    PostState.PUBLISHING,
    PostState.PUBLISHED,
    PostState.PARTLY_PUBLISHED,
)
CLIENT_FACING = Q(state__in=_AFTER_APPROVAL) | Q(
    state=PostState.IN_REVIEW, review_stage=ReviewStage.CLIENT
)


def is_client_facing(post: Post) -> bool:
    return post.state in _AFTER_APPROVAL or (
        post.state == PostState.IN_REVIEW and post.review_stage == ReviewStage.CLIENT
    )


def portal_brands(actor: Membership) -> QuerySet[Brand]:
    """The brands the person sees in the portal (a client's own; the whole agency's for a team
    member previewing it)."""
    return brands_visible_to(actor)


def portal_posts(actor: Membership, *, brand_id=None) -> QuerySet[Post]:
    return posts_visible_to(actor, brand_id=brand_id).filter(CLIENT_FACING)


def awaiting_client(actor: Membership, *, brand_id=None) -> QuerySet[Post]:
    """Posts at the client's stage of review, soonest first (viewers see them too: they wait
    for their approver)."""
    return (
        portal_posts(actor, brand_id=brand_id)
        .filter(state=PostState.IN_REVIEW, review_stage=ReviewStage.CLIENT)
        .order_by("scheduled_at", "id")
    )


def going_out(actor: Membership, *, brand_id=None, now=None) -> QuerySet[Post]:
    """Approved posts due in the next seven days, soonest first."""
    now = now or timezone.now()
    return (
        portal_posts(actor, brand_id=brand_id)
        .filter(
            state__in=(PostState.APPROVED, PostState.SCHEDULED),
            scheduled_at__gte=now,
            scheduled_at__lt=now + dt.timedelta(days=COMING_DAYS),
        )
        .order_by("scheduled_at", "id")
    )


@dataclass(frozen=True)
class PublishedItem:
    """One post as it went out on one account, with its latest figures (None: not available)."""

    variant: PostVariant
    metrics: dict[str, int | None]

    @property
    def first_metrics(self) -> list[tuple[str, int | None]]:
        """(label, value) of the figures a client reads first."""
        return [(str(Metric(name).label), self.metrics.get(name)) for name in FIRST_METRICS]


def published_variants(actor: Membership, *, brand_id=None) -> QuerySet[PostVariant]:
    """Every post variant that went out, newest first."""
    queryset = PostVariant.objects.visible_to(actor).filter(
        state=VariantState.PUBLISHED, published_at__isnull=False
    )
    if brand_id:
        queryset = queryset.filter(post__brand_id=brand_id)
    return queryset.select_related("post", "post__brand", "social_account").order_by(
        "-published_at", "-id"
    )


def with_metrics(variants) -> list[PublishedItem]:
    """The variants with their latest figures, in one query for all of them."""
    variants = list(variants)
    metrics = post_metrics_latest(post_variant_ids=[v.pk for v in variants])
    return [PublishedItem(variant=v, metrics=metrics.get(v.pk, {})) for v in variants]


def recently_published(actor: Membership, *, brand_id=None, now=None) -> list[PublishedItem]:
    now = now or timezone.now()
    since = now - dt.timedelta(days=RECENT_DAYS)
    variants = published_variants(actor, brand_id=brand_id).filter(published_at__gte=since)
    return with_metrics(variants[:RECENT_SHOWN])


def open_incidents(actor: Membership, *, brand_id=None) -> QuerySet[CrisisIncident]:
    """Crisis incidents of the person's brands not resolved yet (no timeline: the team's notes
    are never shown in the portal)."""
    queryset = incidents_visible_to(actor).exclude(state=CrisisState.RESOLVED)
    if brand_id:
        queryset = queryset.filter(brand_id=brand_id)
    return queryset


@dataclass(frozen=True)
class ReputationTrend:
    """A brand's e-reputation score (0-100) per day over the last 30 days."""

    brand: Brand
    days: list[tuple[dt.date, int]]

    @property
    def latest(self) -> int | None:
        return self.days[-1][1] if self.days else None

    @property
    def change(self) -> int | None:
        """Latest score minus the first of the period (None with fewer than two days)."""
        return self.days[-1][1] - self.days[0][1] if len(self.days) > 1 else None

    def points(self, width: int = 160, height: int = 40) -> str:
        """The SVG polyline of the scores on a 0-100 scale (empty with fewer than two days)."""
        if len(self.days) < 2:
            return ""
        step = width / (len(self.days) - 1)
        return " ".join(
            f"{i * step:.1f},{height - score * height / 100:.1f}"
            for i, (_day, score) in enumerate(self.days)
        )

    @property
    def polyline(self) -> str:
        return self.points()


def reputation_trends(actor: Membership, *, brand_id=None, now=None) -> list[ReputationTrend]:
    """Each brand's daily score, in the brand's own zone (one query a brand; a dozen at most)."""
    now = now or timezone.now()
    since = now - dt.timedelta(days=TREND_DAYS)
    brands = portal_brands(actor)
    if brand_id:
        brands = brands.filter(pk=brand_id)
    trends = []
    for brand in brands[:TREND_BRANDS_SHOWN]:
        rows = reputation_by_day(
            actor, tz=zoneinfo.ZoneInfo(brand.time_zone), brand_id=brand.pk, since=since
        )
        trends.append(ReputationTrend(brand, [(row["day"], row["score"]) for row in rows]))
    return trends


def portal_calendar(
    actor: Membership, *, days: list[dt.date], brand_id=None
) -> list[tuple[dt.date, list[Post]]]:
    """The calendar's days with their client-facing posts (campaigns' calendar placement: each
    post on its brand's local date)."""
    return [
        (day, [post for post in posts if is_client_facing(post)])
        for day, posts in calendar_posts_by_day(actor, days=days, brand_id=brand_id)
    ]


ACTIVITY_LABELS = {
    "post.approved": _("You approved a post"),
    "post.changes_requested": _("You asked for changes"),
    "post.commented": _("You commented on a post"),
    "post.held": _("You put a post on hold"),
    "post.released": _("You released a post"),
    "post.rejected": _("You rejected a post"),
    "invitation.accepted": _("You joined the agency"),
}


def activity_label(verb: str) -> str:
    """The person's words for one of their actions (the action's name when it has none)."""
    return str(ACTIVITY_LABELS.get(verb, verb))


def own_activity(actor: Membership) -> QuerySet[AuditEvent]:
    """What this person did in the agency, newest first."""
    return audit_events_list(agency=actor.agency, actor_id=actor.user_id)


def report_archive(membership: Membership, *, brand_id=None) -> QuerySet[ReportRun]:
    """The finished reports of the person's brands, newest first (queued, failed: not theirs
    to see; the team follows those)."""
    return runs_of(membership, brand_id=brand_id).filter(state=RunState.DONE)
