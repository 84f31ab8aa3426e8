"""Colours as the product accepts them: `#rrggbb`, and dark enough to carry white text.

The agency's primary and accent colours fill the portal's bars and buttons and the reports'
headings, always under white text, so each must reach WCAG 2.1's contrast ratio for normal text
(4.5:1) against white. The formula is WCAG's (relative luminance of sRGB).
"""

from __future__ import annotations

import re

HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
MIN_CONTRAST_WITH_WHITE = 4.5


def is_hex_colour(value: str) -> bool:
    return bool(HEX_COLOUR.match(value or ""))


def relative_luminance(colour: str) -> float:
    """WCAG's relative luminance of a `#rrggbb` colour, 0 (black) to 1 (white)."""
    if not is_hex_colour(colour):
        raise ValueError(f"Not a #rrggbb colour: {colour!r}")
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_with_white(colour: str) -> float:
    """The contrast ratio of white text on `colour` (1 to 21)."""
    return 1.05 / (relative_luminance(colour) + 0.05)
