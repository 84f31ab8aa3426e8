"""The agency's branding as the client portal and the reports read it: one function, one value.

`branding_for(agency)` is the only reader of the branding fields outside the settings page, so
the portal's layout and the reports' HTML and PDF cannot disagree on a colour or a font.
"""

from __future__ import annotations

from dataclasses import dataclass

from agency.models import Agency

PRODUCT_NAME = "Agency Social"


@dataclass(frozen=True)
class Branding:
    """What a client sees of the agency: its name and logo (None when it has none), the primary
    and accent colours (`#rrggbb`, each legible under white text), whether the product's own
    name is hidden (white label), the report font family (installed on the server) and the
    portal's own domain ("" when the agency has none)."""

    name: str
    logo_url: str | None
    primary: str
    accent: str
    white_label: bool
    font_family: str
    portal_domain: str

    @property
    def shown_by(self) -> str | None:
        """The product's name for a "powered by" line, None when the agency is white-labelled."""
        return None if self.white_label else PRODUCT_NAME


def branding_for(agency: Agency) -> Branding:
    return Branding(
        name=agency.name,
        logo_url=agency.logo.url if agency.logo else None,
        primary=agency.primary_colour,
        accent=agency.accent_colour,
        white_label=agency.white_label,
        font_family=agency.report_font,
        portal_domain=agency.portal_domain,
    )
