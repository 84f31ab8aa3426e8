"""Template filters of the SLA: a duration in words, the countdown of a due time, the metrics'
tables."""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils import timezone
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def duration(seconds) -> str:
    """3725 -> "1 h 02"; 90 -> "2 min"; None -> "—"."""
    if seconds is None or seconds == "":
        return "—"
    seconds = int(round(float(seconds)))
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = round(rest / 60) if not (days or hours) else rest // 60
    if days:
        return _("%(d)d d %(h)d h") % {"d": days, "h": hours}
    if hours:
        return _("%(h)d h %(m)02d") % {"h": hours, "m": minutes}
    return _("%(m)d min") % {"m": minutes}


@register.simple_tag
def sla_countdown(due: dt.datetime | None, done: dt.datetime | None = None) -> dict | None:
    """{"overdue": bool, "left": words, "due": instant} for a running due time, else None."""
    if due is None or done is not None:
        return None
    left = (due - timezone.now()).total_seconds()
    return {"overdue": left < 0, "left": duration(abs(left)), "due": due}


@register.filter
def metric_tables(metrics: dict) -> list:
    brands = [{"label": r["name"], **r} for r in metrics["brands"]]
    tables = [(_("Per brand"), brands, _("Brand"))]
    if metrics["people"]:
        people = [{"label": r["name"] or _("Unassigned"), **r} for r in metrics["people"]]
        tables.append((_("Per person"), people, _("Person")))
    return tables
