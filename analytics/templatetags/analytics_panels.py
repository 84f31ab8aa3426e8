"""Formatting of the analytics panels' figures for people (the numbers in attributes and JSON
stay unlocalised: ``unlocalize``, ``json_script``)."""

from __future__ import annotations

from django import template
from django.utils import formats
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def percent(share: float | None) -> str:
    """0.125 -> "12,5 %" in French, "12.5 %" in English; None -> "–" (not available)."""
    if share is None:
        return "–"
    return f"{formats.number_format(round(share * 100, 1), decimal_pos=None)} %"


@register.filter
def change(ratio: float | None) -> str:
    """A change ratio as "+12 %" / "−8 %"; None (no comparison, or from nothing) -> ""."""
    if ratio is None:
        return ""
    value = round(ratio * 100)
    sign = "+" if value > 0 else ("−" if value < 0 else "±")
    return f"{sign}{formats.number_format(abs(value))} %"


@register.filter
def points(difference: int | None) -> str:
    """A score's change in points: "+3 pts"; None -> ""."""
    if difference is None:
        return ""
    sign = "+" if difference > 0 else ("−" if difference < 0 else "±")
    return _("%(sign)s%(points)s pts") % {"sign": sign, "points": abs(difference)}


@register.filter
def duration(seconds: int | None) -> str:
    """Seconds for people: "45 s", "12 min", "3 h 05", "2 d 4 h"; None -> "–"."""
    if seconds is None:
        return "–"
    if seconds < 60:
        return _("%(n)d s") % {"n": seconds}
    minutes = round(seconds / 60)
    if minutes < 60:
        return _("%(n)d min") % {"n": minutes}
    hours, minutes = divmod(minutes, 60)
    if hours < 48:
        return _("%(h)d h %(m)02d") % {"h": hours, "m": minutes}
    days, hours = divmod(hours, 24)
    return _("%(d)d d %(h)d h") % {"d": days, "h": hours}


@register.filter
def change_class(ratio: float | None) -> str:
    if ratio is None or round(ratio * 100) == 0:
        return "text-body-secondary"
    return "text-success" if ratio > 0 else "text-danger"


@register.filter
def change_class_lower_better(ratio: float | None) -> str:
    """As ``change_class`` for a figure that is better lower (a response time)."""
    return change_class(None if ratio is None else -ratio)
