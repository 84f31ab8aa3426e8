"""UTM parameters added to the links of a campaign's posts."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.utils.text import slugify

from campaigns.models import Campaign
from networks.text import find_urls


def utm_params(campaign: Campaign | None, network: str) -> dict[str, str]:
    if campaign is None or not campaign.utm_enabled:
        return {}
    values = {
        "utm_source": campaign.utm_source.replace("{network}", network),
        "utm_medium": campaign.utm_medium.replace("{network}", network),
        "utm_campaign": campaign.utm_campaign
        or slugify(campaign.name)
        or f"campaign-{campaign.pk}",
    }
    return {k: v for k, v in values.items() if v}


def add_utm(url: str, params: dict[str, str]) -> str:
    """The URL with the parameters added; parameters the URL already has are kept as they are."""
    if not params or not url:
        return url
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        return url
    query = parse_qsl(parts.query, keep_blank_values=True)
    present = {key for key, _value in query}
    query += [(k, v) for k, v in params.items() if k not in present]
    return urlunsplit(parts._replace(query=urlencode(query)))


def add_utm_in_text(text: str, params: dict[str, str]) -> str:
    if not params:
        return text
    spans = find_urls(text, schemeless=False)
    for start, end in reversed(spans):
        text = text[:start] + add_utm(text[start:end], params) + text[end:]
    return text
