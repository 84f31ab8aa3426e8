"""How the analytics pages write their figures for people: localised numbers and percentages,
"not available" for a figure nobody gave (never 0), and the change against the comparison.
Numbers meant for scripts (chart data, attributes) go through json_script or |unlocalize."""

from __future__ import annotations

from django import template
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

register = template.Library()


def _not_available() -> SafeString:
    return format_html(
        '<span class="text-body-secondary" title="{}">{}</span>',
        _("This network or account does not give this figure."),
        _("not available"),
    )


@register.filter
def figure(value) -> str:
    """A count, localised (12 345); None: "not available"."""
    if value is None:
        return _not_available()
    return number_format(round(value), decimal_pos=0, use_l10n=True, force_grouping=True)


@register.filter
def percent(value, digits: int = 2) -> str:
    """A fraction as a localised percentage (0.0512 -> 5,12 %); None: "not available"."""
    if value is None:
        return _not_available()
    return f"{number_format(value * 100, decimal_pos=digits, use_l10n=True)} %"


@register.filter
def kpi_value(kpi) -> str:
    return percent(kpi.value) if kpi.unit == "ratio" else figure(kpi.value)


@register.filter
def change(ratio) -> str:
    """+12,5 % / −3,0 % against the comparison; empty when there is no ratio."""
    if ratio is None:
        return ""
    sign = "+" if ratio > 0 else ("−" if ratio < 0 else "±")
    return f"{sign}{number_format(abs(ratio) * 100, decimal_pos=1, use_l10n=True)} %"


@register.filter
def change_class(ratio) -> str:
    if ratio is None or ratio == 0:
        return "text-body-secondary"
    return "text-success" if ratio > 0 else "text-danger"


@register.filter
def heat(rate, highest) -> str:
    """0–1, the cell's share of the highest mean rate (for its colour); "0" without a rate."""
    if rate is None or not highest:
        return "0"
    return f"{min(rate / highest, 1):.2f}"


@register.simple_tag(takes_context=True)
def sort_link(context, column: str) -> str:
    """The query string that sorts the post table by ``column``: largest first, then, on a
    second click, smallest first."""
    request = context["request"]
    current = context.get("sort", "")
    wanted = column if current == f"-{column}" else f"-{column}"
    params = request.GET.copy()
    params["sort"] = wanted
    params.pop("page", None)
    return "?" + params.urlencode()


@register.filter
def rate_base(base) -> str:
    """The base an engagement rate was computed on, in words (docs/analytics.md)."""
    return {
        "reach": _("per reach"),
        "impressions": _("per impressions"),
        "followers": _("per followers"),
    }.get(base or "", "")
