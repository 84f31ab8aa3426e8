"""Crisis evaluation: count a brand's mentions, test them (reputation.crisis_stats), open or grow
incidents, suggest resolving calm ones.

Evaluation runs on each ingested batch (the ``mentions_ingested`` signal queues a task per
brand) and every 15 minutes (beat), and always reads the database, so running it twice is
harmless: an open incident of the same brand and cause is updated, never duplicated (a
partial unique constraint guarantees it under concurrency too).
"""

import json
import zoneinfo
from dataclasses import replace
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from reputation.crisis_stats import evaluation as crisis_evaluation
from reputation.crisis_stats import rules as crisis_rules
from reputation.crisis_stats.triggers import trigger_words_pattern
from reputation.models.crises import (
    CrisisIncident,
    CrisisIncidentMention,
    CrisisState,
    IncidentEvent,
    IncidentEventKind,
)
from reputation.selectors.crises import brands_to_evaluate_across_agencies, crisis_rule_for
from reputation.selectors.crisis_counts import MIN_HISTORY_HOURS, brand_baseline, brand_window
from reputation.services.crisis_alerts import incident_announce
from webhooks.events import WebhookEvent

MAX_LINKED_MENTIONS = 500


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
        params = replace(
            params,
            volume_enabled=False,
            negative_volume_enabled=False,
            negative_share_enabled=False,
        )
    pattern = trigger_words_pattern(params.extra_trigger_words)
    short, step = crisis_rules.SHORT_WINDOW, crisis_rules.SHORT_STEP
    now_counts, negative_ids, linked = brand_window(
        brand, now - short, now, tz, pattern=pattern, params=params
    )
    prev_counts, _, _ = brand_window(
        brand, now - short - step, now - step, tz, pattern=pattern, params=params
    )
    long, long_step = crisis_rules.LONG_WINDOW, crisis_rules.LONG_STEP
    long_now, _, _ = brand_window(brand, now - long, now, tz, pattern=pattern, params=params)
    long_prev, _, _ = brand_window(
        brand, now - long - long_step, now - long_step, tz, pattern=pattern, params=params
    )
    observation = crisis_evaluation.Observation(
        short_prev=prev_counts, short_now=now_counts, long_prev=long_prev, long_now=long_now
    )
    signals = crisis_evaluation.evaluate(params, baseline, observation)
    # One incident per incident cause: merge the signals that belong together.
    grouped: dict[str, crisis_evaluation.Signal] = {}
    for signal in signals:
        cause = crisis_rules.incident_cause(signal.cause)
        merged = grouped.setdefault(cause, crisis_evaluation.Signal(cause, signal.severity, {}))
        merged.stats[signal.cause] = signal.stats
        if (
            crisis_rules.Severity.ORDER[signal.severity]
            > crisis_rules.Severity.ORDER[merged.severity]
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
    if crisis_evaluation.back_to_baseline(params, baseline, now_counts):
        _suggest_resolving(brand=brand, calm_causes_except=firing, now=now)
    return changed


def _link_mentions(incident: CrisisIncident, mention_ids) -> int:
    existing = set(
        CrisisIncidentMention.objects.filter(incident=incident).values_list("mention_id", flat=True)
    )
    room = MAX_LINKED_MENTIONS - len(existing)
    new = [pk for pk in mention_ids if pk not in existing][: max(room, 0)]
    CrisisIncidentMention.objects.bulk_create(
        [
            CrisisIncidentMention(agency_id=incident.agency_id, incident=incident, mention_id=pk)
            for pk in new
        ],
        ignore_conflicts=True,
    )
    return len(existing) + len(new)


def _json_safe(stats: dict) -> dict:
    return json.loads(json.dumps(stats, default=str))


def _incident_open_or_grow(*, brand, signal, mention_ids, params, now):
    with transaction.atomic():
        incident = (
            CrisisIncident.objects.select_for_update()
            .filter(brand=brand, cause=signal.cause)
            .exclude(state=CrisisState.RESOLVED)
            .first()
        )
        if incident is None:
            cooled = CrisisIncident.objects.filter(
                brand=brand,
                cause=signal.cause,
                state=CrisisState.RESOLVED,
                resolved_at__gt=now - params.cooldown,
            ).exists()
            if cooled:
                return None
            try:
                with transaction.atomic():
                    incident = CrisisIncident.objects.create(
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
            IncidentEvent.objects.create(
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
            incident_announce(incident, WebhookEvent.CRISIS_OPENED, message)
            return incident

        before_count, before_severity = incident.mention_count, incident.severity
        incident.stats = _json_safe(signal.stats)
        incident.last_signal_at = now
        incident.resolve_suggested_at = None
        if (
            crisis_rules.Severity.ORDER[signal.severity]
            > crisis_rules.Severity.ORDER[incident.severity]
        ):
            incident.severity = signal.severity
        incident.mention_count = _link_mentions(incident, mention_ids)
        incident.save()
        grew = incident.severity != before_severity or incident.mention_count >= max(
            before_count + 5, before_count * 1.25
        )
        if grew:
            IncidentEvent.objects.create(
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
            incident_announce(incident, WebhookEvent.CRISIS_UPDATED, message)
        return incident


def _suggest_resolving(*, brand, calm_causes_except, now) -> None:
    calm = (
        CrisisIncident.objects.filter(brand=brand, resolve_suggested_at__isnull=True)
        .exclude(state=CrisisState.RESOLVED)
        .exclude(cause__in=calm_causes_except)
        .filter(last_signal_at__lt=now - timedelta(hours=1))
    )
    for incident in calm:
        with transaction.atomic():
            if CrisisIncident.objects.filter(
                pk=incident.pk, resolve_suggested_at__isnull=True
            ).update(resolve_suggested_at=now):
                IncidentEvent.objects.create(
                    agency_id=brand.agency_id,
                    incident=incident,
                    kind=IncidentEventKind.RESOLVE_SUGGESTED,
                    created_at=now,
                )


def crisis_evaluations_dispatch_across_agencies(*, now: datetime | None = None) -> int:
    """Queue an evaluation of every brand with mentions in the last day or an open incident,
    each in its agency's scope (the evaluation task is a tenant task). Catches what the
    event-driven path missed, and suggests resolving calm incidents."""
    from reputation.crisis_tasks import evaluate_brand_crises

    pairs = brands_to_evaluate_across_agencies(now=now)
    for agency_id, brand_id in pairs:
        evaluate_brand_crises.delay(agency_id=agency_id, brand_id=brand_id)
    return len(pairs)
