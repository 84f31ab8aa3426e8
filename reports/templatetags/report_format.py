"""How a report writes its figures, in the active language (the report's): counts with the
language's grouping, ratios as percentages, changes with their sign, durations in words. A
figure that is not available (None) is written as such, never as 0."""

from __future__ import annotations

from django import template
from django.utils import formats
from django.utils.translation import gettext as _

register = template.Library()


def _not_available() -> str:
    return _("not available")


@register.filter
def figure(value) -> str:
    if value is None or value == "":
        return _not_available()
    if isinstance(value, float) and not value.is_integer():
        return formats.number_format(round(value, 1), 1, use_l10n=True, force_grouping=True)
    return formats.number_format(int(value), 0, use_l10n=True, force_grouping=True)


@register.filter
def percent(value, digits: int = 1) -> str:
    """0.052 → "5.2 %" ("5,2 %" in French)."""
    if value is None or value == "":
        return _not_available()
    shown = round(float(value) * 100, int(digits))
    number = formats.number_format(shown, int(digits), use_l10n=True)
    return f"{number}\u202f%"


@register.filter
def change(value) -> str:
    """A change ratio with its sign: +12 %, −3.5 %; "—" when there is no ratio."""
    if value is None:
        return "—"
    sign = "+" if value > 0 else ("−" if value < 0 else "")
    number = formats.number_format(round(abs(float(value)) * 100, 1), 1, use_l10n=True)
    return f"{sign}{number}\u202f%"


@register.filter
def change_class(value) -> str:
    if value is None or value == 0:
        return "flat"
    return "up" if value > 0 else "down"


@register.filter
def points(value) -> str:
    """A change in points (the e-reputation score): +4 pts."""
    if value is None:
        return "—"
    sign = "+" if value > 0 else ("−" if value < 0 else "")
    return _("%(sign)s%(points)s pts") % {"sign": sign, "points": abs(int(value))}


@register.filter
def duration(seconds) -> str:
    """Seconds in words: 45 s, 12 min, 3 h 20 min, 2 d 4 h."""
    if seconds is None:
        return _not_available()
    seconds = int(seconds)
    if seconds < 60:
        return _("%(n)d s") % {"n": seconds}
    minutes = seconds // 60
    if minutes < 60:
        return _("%(n)d min") % {"n": minutes}
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return _("%(h)d h %(m)02d min") % {"h": hours, "m": minutes}
    days, hours = divmod(hours, 24)
    return _("%(d)d d %(h)d h") % {"d": days, "h": hours}
