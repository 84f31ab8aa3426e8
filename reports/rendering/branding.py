"""The agency's branding as a report shows it.

Until agency.branding (issue 14) lands this is a local default read from the agency's logo and
colour; the reports read branding only through ``report_branding`` so the switch is one place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

PRODUCT_NAME = "Agency Social"
DEFAULT_FONT = "Noto Sans"
# A font family goes into the report's CSS as it is: letters, digits and spaces only.
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

    @property
    def shown_by(self) -> str | None:
        """The product's name for the "made with" line; None when white-labelled."""
        return None if self.white_label else PRODUCT_NAME


def report_branding(agency) -> Branding:
    logo = agency.logo
    return Branding(
        name=agency.name,
        logo_url=logo.url if logo else None,
        logo_name=logo.name if logo else "",
        primary=_colour(agency.primary_colour),
        accent=_colour(getattr(agency, "accent_colour", "") or agency.primary_colour),
        white_label=bool(getattr(agency, "white_label", False)),
        font_family=_family(getattr(agency, "report_font", "")),
    )


def _family(name: str) -> str:
    return name if name and _FAMILY.match(name) else DEFAULT_FONT


def _colour(value: str) -> str:
    return value if value and _COLOUR.match(value) else DEFAULT_COLOUR
