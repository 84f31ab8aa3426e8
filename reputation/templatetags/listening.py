"""Template helpers of the listening pages."""

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from reputation.matching import highlight_spans

register = template.Library()


@register.filter
def highlight(text: str, terms) -> str:
    """Escape ``text`` (untrusted) and wrap the matched query terms in <mark>."""
    text = text or ""
    spans = highlight_spans(text, list(terms or []))
    if not spans:
        return conditional_escape(text)
    out, cursor = [], 0
    for start, end in spans:
        out.append(conditional_escape(text[cursor:start]))
        out.append(f"<mark>{conditional_escape(text[start:end])}</mark>")
        cursor = end
    out.append(conditional_escape(text[cursor:]))
    return mark_safe("".join(out))  # noqa: S308 - every piece above is escaped


@register.filter
def sentiment_class(label: str) -> str:
    return {"positive": "success", "negative": "danger"}.get(label, "secondary")


@register.filter
def abuse_label(label: str) -> str:
    """An abuse label's name for people ("sexual" -> "Sexual content"), in their language."""
    from reputation.models.mentions import AbuseLabel

    try:
        return str(AbuseLabel(label).label)
    except ValueError:
        return label


@register.filter
def network_name(network: str) -> str:
    """A network's name for people ("facebook" -> "Facebook")."""
    from networks.registry import display_name

    try:
        return display_name(network)
    except ValueError:
        return network
