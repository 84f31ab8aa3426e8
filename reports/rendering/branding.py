"""The agency's branding as a report shows it: agency.branding's (logo, colours, white label,
font), plus the logo's storage name, the one media file the PDF's fetcher may read for it."""

from __future__ import annotations

import re
from dataclasses import dataclass

from agency.branding import branding_for

DEFAULT_FONT = "Noto Sans"
# A font family and the colours go into the report's CSS as they are: checked here again
# (the model's choices and validators already hold them), so nothing else can reach the CSS.
_FAMILY = re.compile(r"^[A-Za-z0-9 ]{1,40}$")
_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
DEFAULT_COLOUR = "#1f6feb"


@dataclass(frozen=True)
class Branding:
    name: str
    logo_url: str | None
    logo_name: str  # the storage name of the logo ("" without one), for the PDF's fetcher
    primary: str
    accent: str
    white_label: bool
    font_family: str
    shown_by: str | None  # the product's name for the "made with" line; None: white label


def report_branding(agency) -> Branding:
    branding = branding_for(agency)
    return Branding(
        name=branding.name,
        logo_url=branding.logo_url,
        logo_name=agency.logo.name if agency.logo else "",
        primary=_colour(branding.primary),
        accent=_colour(branding.accent),
        white_label=branding.white_label,
        font_family=_family(branding.font_family),
        shown_by=branding.shown_by,
    )


def _family(name: str) -> str:
    return name if name and _FAMILY.match(name) else DEFAULT_FONT


def _colour(value: str) -> str:
    return value if value and _COLOUR.match(value) else DEFAULT_COLOUR
