"""The demo agency's branding: its colours and a logo drawn here (no image file to ship), set
through the agency's own settings service, so the portal and the reports show them."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from agency.services.agencies import agency_update

PRIMARY = "#0f5c4d"  # deep green: legible under white text (the service checks it)
ACCENT = "#a3461a"


def _logo() -> SimpleUploadedFile:
    image = Image.new("RGB", (240, 240), PRIMARY)
    draw = ImageDraw.Draw(image)
    draw.ellipse((40, 40, 200, 200), fill=ACCENT)
    draw.rectangle((100, 70, 140, 170), fill="white")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return SimpleUploadedFile("atlas-digital.png", buffer.getvalue(), content_type="image/png")


def branding_seed(agency, owner_membership) -> int:
    """Colours and logo, the first time only (a person's later changes are kept)."""
    if agency.logo:
        return 0
    agency_update(
        actor=owner_membership,
        agency=agency,
        logo=_logo(),
        primary_colour=PRIMARY,
        accent_colour=ACCENT,
    )
    return 1
