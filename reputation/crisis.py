"""Crisis services and selectors: evaluate a brand, open and grow incidents, their state
machine, alerts and webhooks. The statistics are in reputation.crisis_stats (pure).

Evaluation runs on each ingested batch (the ``mentions_ingested`` signal queues a task per
brand) and every 15 minutes (beat), and always reads the database, so running it twice is
harmless: an open incident of the same brand and cause is updated, never duplicated (a
partial unique constraint guarantees it under concurrency too).
"""

import zoneinfo
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from agency import permissions
from agency.models import ApiKey, Membership, Role, User
from agency.services import audit_record
from notifications.models import AlertSeverity
from notifications.services import alert_send
from reputation import crisis_stats
from reputation.models import (
    CRISIS_TRANSITIONS,
    CrisisIncident,
    CrisisIncidentMention,
    CrisisRule,
    CrisisSeverity,
    CrisisState,
    IncidentEvent,
    IncidentEventKind,
    Mention,
    MentionRollup,
)
from webhooks.events import WebhookEvent
from webhooks.services.emit import webhook_emit

HISTORY = timedelta(days=28)
# The last day is left out of the baseline, so that a crisis does not raise its own bar.
HISTORY_GAP = timedelta(days=1)
MIN_HISTORY_HOURS = 7 * 24
MAX_LINKED_MENTIONS = 500
ALERT_SEVERITY = {
    CrisisSeverity.MEDIUM: AlertSeverity.NORMAL,
    CrisisSeverity.HIGH: AlertSeverity.HIGH,
    CrisisSeverity.CRITICAL: AlertSeverity.CRITICAL,
}


# --- Rules ------------------------------------------------------------------------------------


def crisis_rule_for(*, brand) -> CrisisRule:
    """The brand's rule, or an unsaved one with the measured defaults."""
    found = CrisisRule.unscoped.filter(agency_id=brand.agency_id, brand=brand).first()
    return found or CrisisRule(agency_id=brand.agency_id, brand=brand)


@transaction.atomic
def crisis_rule_update(*, actor: Membership, brand, **fields) -> CrisisRule:
    permissions.require(actor, permissions.CRISES_MANAGE)
    rule = crisis_rule_for(brand=brand)
    for key, value in fields.items():
        setattr(rule, key, value)
    rule.full_clean(exclude=["agency", "brand"])
    rule.save()
    audit_record(
        agency=actor.agency,
        actor=actor,
        verb="crisis_rule.updated",
        target=brand,
        data={"fields": sorted(fields)},
    )
    return rule


# --- Counting ---------------------------------------------------------------------------------


def _naive_local(moment: datetime, tz) -> datetime:
    return timezone.localtime(moment, tz).replace(tzinfo=None)


def brand_baseline(*, brand, now: datetime, tz) -> crisis_stats.Baseline:
    """Baseline from the brand's own hourly rollups (the brand's voice, not competitors')."""
    rows = MentionRollup.unscoped.filter(
        agency_id=brand.agency_id,
        brand=brand,
        voice="",
        hour__gte=now - HISTORY - HISTORY_GAP,
        hour__lt=now - HISTORY_GAP,
    ).values_list("hour", "volume", "negative")
    return crisis_stats.baseline_from_history(
        (_naive_local(hour, tz), volume, negative) for hour, volume, negative in rows
    )


def _window(brand, start, end, tz, *, pattern, params) -> tuple[crisis_stats.WindowCounts, list]:
    rows = list(
        Mention.unscoped.filter(
            agency_id=brand.agency_id,
            brand=brand,
            voice="",
            published_at__gte=start,
            published_at__lt=end,
        ).values_list("pk", "sentiment_label", "title", "text", "author__followers")
    )
    negatives = [row for row in rows if row[1] == "negative"]
    trigger_ids, words = [], []
    for pk, _label, title, text, _followers in negatives:
        found = crisis_stats.trigger_words_in(f"{title} {text}", pattern)
        if found:
            trigger_ids.append(pk)
            words.extend(found)
    followers = [(row[4] or 0, row[0]) for row in negatives]
    high = [pk for count, pk in followers if count >= params.high_reach_followers]
    counts = crisis_stats.WindowCounts(
        start=_naive_local(start, tz),
        end=_naive_local(end, tz),
        volume=len(rows),
        negative=len(negatives),
        trigger_negative=len(trigger_ids),
        trigger_words=tuple(dict.fromkeys(words)),
        max_negative_followers=max((count for count, _ in followers), default=0),
        high_reach_mention_ids=tuple(high),
    )
    linked = {
        crisis_stats.Cause.TRIGGER_WORDS: trigger_ids,
        crisis_stats.Cause.HIGH_REACH: high,
    }
    return counts, [row[0] for row in negatives], linked


# --- Evaluation -------------------------------------------------------------------------------


def crisis_evaluate_brand(*, brand, now: datetime | None = None) -> list[CrisisIncident]:
    """Evaluate the brand's rule now; open or grow incidents; suggest resolving calm ones.

    Returns the incidents opened or updated. Safe to run any number of times.
    """
    now = now or timezone.now()
    rule = crisis_rule_for(brand=brand)
    if not rule.active:
        return []
    params = rule.params()
    tz = zoneinfo.ZoneInfo(brand.agency.time_zone)
    baseline = brand_baseline(brand=brand, now=now, tz=tz)
    if baseline.hours < MIN_HISTORY_HOURS:
        # Too little history for a baseline: only the conditions that need none.
        from dataclasses import replace

        params = replace(
            params,
            volume_enabled=False,
            negative_volume_enabled=False,
            negative_share_enabled=False,
        )
    pattern = crisis_stats.trigger_words_pattern(params.extra_trigger_words)
    short, step = crisis_stats.SHORT_WINDOW, crisis_stats.SHORT_STEP
    now_counts, negative_ids, linked = _window(
        brand, now - short, now, tz, pattern=pattern, params=params
    )
    prev_counts, _, _ = _window(
        brand, now - short - step, now - step, tz, pattern=pattern, params=params
    )
    long, long_step = crisis_stats.LONG_WINDOW, crisis_stats.LONG_STEP
    long_now, _, _ = _window(brand, now - long, now, tz, pattern=pattern, params=params)
    long_prev, _, _ = _window(
        brand, now - long - long_step, now - long_step, tz, pattern=pattern, params=params
    )
    observation = crisis_stats.Observation(
        short_prev=prev_counts, short_now=now_counts, long_prev=long_prev, long_now=long_now
    )
    signals = crisis_stats.evaluate(params, baseline, observation)
    # One incident per incident cause: merge the signals that belong together.
    grouped: dict[str, crisis_stats.Signal] = {}
    for signal in signals:
        cause = crisis_stats.incident_cause(signal.cause)
        merged = grouped.setdefault(cause, crisis_stats.Signal(cause, signal.severity, {}))
        merged.stats[signal.cause] = signal.stats
        if (
            crisis_stats.Severity.ORDER[signal.severity]
            > crisis_stats.Severity.ORDER[merged.severity]
        ):
            merged.severity = signal.severity
    changed = []
    for cause, signal in grouped.items():
        mention_ids = linked.get(cause) or negative_ids
        incident = _incident_open_or_grow(
            brand=brand, signal=signal, mention_ids=mention_ids, params=params, now=now
        )
        if incident is not None:
            changed.append(incident)
    firing = set(grouped)
    if crisis_stats.back_to_baseline(params, baseline, now_counts):
        _suggest_resolving(brand=brand, calm_causes_except=firing, now=now)
    return changed


def _recipients(brand) -> QuerySet[User]:
    roles = [
        role
        for role, actions in permissions.ROLE_ACTIONS.items()
        if permissions.CRISES_MANAGE in actions
    ]
    return User.objects.filter(
        memberships__agency_id=brand.agency_id, memberships__role__in=roles
    ).distinct()


def incident_url(incident: CrisisIncident) -> str:
    return reverse("dashboard:crisis_incident", kwargs={"crisis_incident_id": incident.pk})


def incident_payload(incident: CrisisIncident) -> dict:
    """The `data` of crisis.* webhook events (docs/webhooks.md)."""
    return {
        "id": incident.pk,
        "brand": {"id": incident.brand_id, "name": incident.brand.name},
        "cause": incident.cause,
        "severity": incident.severity,
        "state": incident.state,
        "opened_at": incident.opened_at.isoformat(),
        "resolved_at": incident.resolved_at.isoformat() if incident.resolved_at else None,
        "mention_count": incident.mention_count,
        "owner": incident.owner.email if incident.owner_id else None,
        "summary": incident.summary,
        "stats": incident.stats,
        "url": settings.SITE_URL.rstrip("/") + incident_url(incident),
    }


def _announce(incident: CrisisIncident, event: str, message: str) -> None:
    """Alert the people who answer for crises and emit the webhook, in this transaction."""
    alert_send(
        agency=incident.brand.agency,
        recipients=_recipients(incident.brand),
        kind=event,
        message=message,
        url=incident_url(incident),
        severity=ALERT_SEVERITY.get(incident.severity, AlertSeverity.NORMAL),
    )
    webhook_emit(agency=incident.agency_id, event=event, data=incident_payload(incident))


def _link_mentions(incident: CrisisIncident, mention_ids) -> int:
    existing = set(
        CrisisIncidentMention.unscoped.filter(incident=incident).values_list(
            "mention_id", flat=True
        )
    )
    room = MAX_LINKED_MENTIONS - len(existing)
    new = [pk for pk in mention_ids if pk not in existing][: max(room, 0)]
    CrisisIncidentMention.unscoped.bulk_create(
        [
            CrisisIncidentMention(agency_id=incident.agency_id, incident=incident, mention_id=pk)
            for pk in new
        ],
        ignore_conflicts=True,
    )
    return len(existing) + len(new)


def _json_safe(stats: dict) -> dict:
    import json

    return json.loads(json.dumps(stats, default=str))


def _incident_open_or_grow(*, brand, signal, mention_ids, params, now):
    with transaction.atomic():
        incident = (
            CrisisIncident.unscoped.select_for_update()
            .filter(agency_id=brand.agency_id, brand=brand, cause=signal.cause)
            .exclude(state=CrisisState.RESOLVED)
            .first()
        )
        if incident is None:
            cooled = CrisisIncident.unscoped.filter(
                agency_id=brand.agency_id,
                brand=brand,
                cause=signal.cause,
                state=CrisisState.RESOLVED,
                resolved_at__gt=now - params.cooldown,
            ).exists()
            if cooled:
                return None
            try:
                with transaction.atomic():
                    incident = CrisisIncident.unscoped.create(
                        agency_id=brand.agency_id,
                        brand=brand,
                        cause=signal.cause,
                        severity=signal.severity,
                        stats=_json_safe(signal.stats),
                        opened_at=now,
                        last_signal_at=now,
                    )
            except IntegrityError:
                return None  # opened by a concurrent evaluation; the next run updates it
            incident.mention_count = _link_mentions(incident, mention_ids)
            incident.save(update_fields=["mention_count"])
            IncidentEvent.unscoped.create(
                agency_id=brand.agency_id,
                incident=incident,
                kind=IncidentEventKind.OPENED,
                data=incident.stats,
                created_at=now,
            )
            with translation.override(brand.agency.language):
                message = _("Possible crisis for %(brand)s: %(cause)s (%(severity)s).") % {
                    "brand": brand.name,
                    "cause": incident.get_cause_display(),
                    "severity": incident.get_severity_display(),
                }
            _announce(incident, WebhookEvent.CRISIS_OPENED, message)
            return incident

        before_count, before_severity = incident.mention_count, incident.severity
        incident.stats = _json_safe(signal.stats)
        incident.last_signal_at = now
        incident.resolve_suggested_at = None
        if (
            crisis_stats.Severity.ORDER[signal.severity]
            > crisis_stats.Severity.ORDER[incident.severity]
        ):
            incident.severity = signal.severity
        incident.mention_count = _link_mentions(incident, mention_ids)
        incident.save()
        grew = incident.severity != before_severity or incident.mention_count >= max(
            before_count + 5, before_count * 1.25
        )
        if grew:
            IncidentEvent.unscoped.create(
                agency_id=brand.agency_id,
                incident=incident,
                kind=IncidentEventKind.UPDATED,
                data={
                    "mention_count": incident.mention_count,
                    "severity": incident.severity,
                    "stats": incident.stats,
                },
                created_at=now,
            )
            with translation.override(brand.agency.language):
                message = _("The crisis of %(brand)s is growing: %(count)s mentions.") % {
                    "brand": brand.name,
                    "count": incident.mention_count,
                }
            _announce(incident, WebhookEvent.CRISIS_UPDATED, message)
        return incident


def _suggest_resolving(*, brand, calm_causes_except, now) -> None:
    calm = (
        CrisisIncident.unscoped.filter(
            agency_id=brand.agency_id, brand=brand, resolve_suggested_at__isnull=True
        )
        .exclude(state=CrisisState.RESOLVED)
        .exclude(cause__in=calm_causes_except)
        .filter(last_signal_at__lt=now - timedelta(hours=1))
    )
    for incident in calm:
        with transaction.atomic():
            if CrisisIncident.unscoped.filter(
                pk=incident.pk, resolve_suggested_at__isnull=True
            ).update(resolve_suggested_at=now):
                IncidentEvent.unscoped.create(
                    agency_id=brand.agency_id,
                    incident=incident,
                    kind=IncidentEventKind.RESOLVE_SUGGESTED,
                    created_at=now,
                )


# --- The state machine ------------------------------------------------------------------------


def _transition(incident: CrisisIncident, to: str) -> None:
    if to not in CRISIS_TRANSITIONS[incident.state]:
        raise ValidationError(
            _("An incident that is %(state)s cannot become %(to)s.")
            % {"state": incident.get_state_display(), "to": CrisisState(to).label}
        )
    incident.state = to


def _require_manage(actor, incident) -> None:
    permissions.require(actor, permissions.CRISES_MANAGE)
    if actor.agency_id != incident.agency_id:
        raise Http404


@transaction.atomic
def crisis_incident_acknowledge(*, actor: Membership | ApiKey, incident) -> CrisisIncident:
    """open -> acknowledged; the actor becomes the owner if there is none."""
    _require_manage(actor, incident)
    incident = CrisisIncident.unscoped.select_for_update().get(pk=incident.pk)
    _transition(incident, CrisisState.ACKNOWLEDGED)
    incident.acknowledged_at = timezone.now()
    user = getattr(actor, "user", None)
    if incident.owner_id is None and user is not None:
        incident.owner = user
    incident.save()
    IncidentEvent.unscoped.create(
        agency_id=incident.agency_id,
        incident=incident,
        kind=IncidentEventKind.ACKNOWLEDGED,
        actor=user,
    )
    webhook_emit(
        agency=incident.agency_id,
        event=WebhookEvent.CRISIS_UPDATED,
        data=incident_payload(incident),
    )
    return incident


@transaction.atomic
def crisis_incident_assign(*, actor: Membership, incident, owner: User | None) -> CrisisIncident:
    _require_manage(actor, incident)
    if (
        owner is not None
        and not Membership.unscoped.filter(agency_id=incident.agency_id, user=owner)
        .exclude(role__in=[Role.CLIENT_APPROVER, Role.CLIENT_VIEWER])
        .exists()
    ):
        raise ValidationError({"owner": _("Choose a member of the agency's team.")})
    incident.owner = owner
    incident.save(update_fields=["owner"])
    IncidentEvent.unscoped.create(
        agency_id=incident.agency_id,
        incident=incident,
        kind=IncidentEventKind.ASSIGNED,
        actor=getattr(actor, "user", None),
        data={"owner": owner.email if owner else None},
    )
    return incident


@transaction.atomic
def crisis_incident_note(*, actor: Membership, incident, text: str) -> IncidentEvent:
    _require_manage(actor, incident)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write the note.")})
    return IncidentEvent.unscoped.create(
        agency_id=incident.agency_id,
        incident=incident,
        kind=IncidentEventKind.NOTE,
        actor=getattr(actor, "user", None),
        text=text[:5000],
    )


@transaction.atomic
def crisis_incident_resolve(
    *, actor: Membership | ApiKey, incident, summary: str
) -> CrisisIncident:
    """open | acknowledged -> resolved, with a closing summary (required)."""
    _require_manage(actor, incident)
    summary = (summary or "").strip()
    if not summary:
        raise ValidationError(
            {"summary": _("Write a closing summary: what happened, what was done.")}
        )
    incident = CrisisIncident.unscoped.select_for_update().get(pk=incident.pk)
    _transition(incident, CrisisState.RESOLVED)
    incident.resolved_at = timezone.now()
    incident.summary = summary[:5000]
    incident.save()
    user = getattr(actor, "user", None)
    IncidentEvent.unscoped.create(
        agency_id=incident.agency_id,
        incident=incident,
        kind=IncidentEventKind.RESOLVED,
        actor=user,
        text=incident.summary,
    )
    with translation.override(incident.brand.agency.language):
        message = _("The crisis of %(brand)s is resolved.") % {"brand": incident.brand.name}
    _announce(incident, WebhookEvent.CRISIS_RESOLVED, message)
    return incident


# --- Selectors --------------------------------------------------------------------------------


def incidents_visible_to(actor: Membership | ApiKey) -> QuerySet[CrisisIncident]:
    """The agency's incidents; client roles see those of their brands only."""
    from clients.selectors import brands_visible_to

    queryset = CrisisIncident.objects.filter(agency_id=actor.agency_id)
    if isinstance(actor, Membership) and actor.is_client:
        queryset = queryset.filter(brand__in=brands_visible_to(actor, include_archived=True))
    return queryset.select_related("brand", "owner").order_by("-opened_at", "-id")


def incident_timeline(*, actor: Membership | ApiKey, incident) -> QuerySet[IncidentEvent]:
    """The incident's events, oldest first. The team's notes are internal: client roles do not
    see them (until comments get an internal/external visibility of their own)."""
    events = IncidentEvent.objects.filter(agency_id=incident.agency_id, incident=incident)
    if isinstance(actor, Membership) and actor.is_client:
        events = events.exclude(kind=IncidentEventKind.NOTE)
    return events.select_related("actor").order_by("created_at", "id")


def incident_get_for(*, actor, crisis_incident_id) -> CrisisIncident:
    found = incidents_visible_to(actor).filter(pk=crisis_incident_id).first()
    if found is None:
        raise Http404
    return found


def open_incidents_count(actor) -> int:
    return incidents_visible_to(actor).exclude(state=CrisisState.RESOLVED).count()


def brands_to_evaluate_unscoped(*, now=None) -> list[tuple[int, int]]:
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
        for hour, volume, negative in MentionRollup.unscoped.filter(
            agency_id=incident.agency_id,
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
