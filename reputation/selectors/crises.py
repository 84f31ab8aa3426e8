"""Reads of crises: a brand's rule, the incidents an actor may see, an incident's timeline,
mentions and chart, and the brands the periodic evaluation visits."""

from datetime import datetime, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from agency.models import ApiKey, Membership
from agency.visibility import get_visible_or_404
from reputation.models.crises import (
    CrisisIncident,
    CrisisRule,
    CrisisState,
    IncidentEvent,
    IncidentEventKind,
)
from reputation.models.mentions import Mention, MentionRollup


def crisis_rule_for(*, brand) -> CrisisRule:
    """The brand's rule, or an unsaved one with the measured defaults."""
    found = CrisisRule.objects.filter(brand=brand).first()
    return found or CrisisRule(agency_id=brand.agency_id, brand=brand)


def incidents_visible_to(actor: Membership | ApiKey) -> QuerySet[CrisisIncident]:
    """The agency's incidents; client roles see those of their brands only."""
    queryset = CrisisIncident.objects.visible_to(actor)
    return queryset.select_related("brand", "owner").order_by("-opened_at", "-id")


def incidents_in_period(
    actor: Membership | ApiKey, *, since: datetime, until: datetime, brand_ids=None
) -> QuerySet[CrisisIncident]:
    """The incidents that were running at some time in [since, until): opened before its end
    and not resolved before its start; narrowed to ``brand_ids`` when given. Oldest first."""
    items = (
        incidents_visible_to(actor)
        .filter(opened_at__lt=until)
        .filter(Q(resolved_at=None) | Q(resolved_at__gte=since))
    )
    if brand_ids is not None:
        items = items.filter(brand_id__in=list(brand_ids))
    return items.order_by("opened_at", "id")


def incidents_list(actor: Membership | ApiKey, *, state: str, brand_id=None):
    """The incidents page: ``state`` "active" (not resolved), a state, or anything else for
    all; narrowed to one brand when one is chosen."""
    items = incidents_visible_to(actor)
    if state == "active":
        items = items.exclude(state=CrisisState.RESOLVED)
    elif state in CrisisState.values:
        items = items.filter(state=state)
    if brand_id:
        items = items.filter(brand_id=brand_id)
    return items


def incident_mentions(incident: CrisisIncident) -> QuerySet[Mention]:
    """The mentions behind an incident, newest first."""
    return (
        Mention.objects.filter(pk__in=incident.incident_mentions.values("mention_id"))
        .select_related("author", "source")
        .order_by("-published_at")
    )


def incident_timeline(*, actor: Membership | ApiKey, incident) -> QuerySet[IncidentEvent]:
    """The incident's events, oldest first. The team's notes are internal: client roles do not
    see them (until comments get an internal/external visibility of their own)."""
    events = IncidentEvent.objects.filter(agency_id=incident.agency_id, incident=incident)
    if isinstance(actor, Membership) and actor.is_client:
        events = events.exclude(kind=IncidentEventKind.NOTE)
    return events.select_related("actor").order_by("created_at", "id")


def incident_get_for(*, actor, crisis_incident_id) -> CrisisIncident:
    return get_visible_or_404(incidents_visible_to(actor), crisis_incident_id, actor=actor)


def open_incidents_count(actor) -> int:
    return incidents_visible_to(actor).exclude(state=CrisisState.RESOLVED).count()


def brands_to_evaluate_across_agencies(*, now=None) -> list[tuple[int, int]]:
    """(agency_id, brand_id) of brands with mentions in the last day or an open incident.
    Spans agencies: the periodic dispatcher's query."""
    now = now or timezone.now()
    recent = set(
        Mention.unscoped.filter(published_at__gte=now - timedelta(hours=25), voice="")
        .values_list("agency_id", "brand_id")
        .distinct()
    )
    open_ = set(
        CrisisIncident.unscoped.filter(~Q(state=CrisisState.RESOLVED)).values_list(
            "agency_id", "brand_id"
        )
    )
    return sorted(recent | open_)


def incident_series(*, incident, tz, hours: int = 48) -> list[tuple[datetime, int, int]]:
    """Hourly (local hour, volume, negative) around the incident, for its chart."""
    end = (incident.resolved_at or timezone.now()).replace(minute=0, second=0, microsecond=0)
    end += timedelta(hours=1)
    start = min(incident.opened_at - timedelta(hours=24), end - timedelta(hours=hours))
    rows = dict(
        (hour, (volume, negative))
        for hour, volume, negative in MentionRollup.objects.filter(
            brand_id=incident.brand_id,
            voice="",
            hour__gte=start,
            hour__lt=end,
        ).values_list("hour", "volume", "negative")
    )
    series, cursor = [], start.replace(minute=0, second=0, microsecond=0)
    while cursor < end:
        volume, negative = rows.get(cursor, (0, 0))
        series.append((timezone.localtime(cursor, tz), volume, negative))
        cursor += timedelta(hours=1)
    return series
