"""The longest draft any network could take, refused at input."""

from __future__ import annotations

import math

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from networks import rules

# The longest text any network takes (Facebook: 63,206 characters) with a margin for a draft
# that is still being cut down. Anything longer can never be published; refusing it at input
# keeps megabyte drafts out of the database, the previews and every rule check.
DRAFT_MARGIN = 1.1
MAX_DRAFT_CHARS = math.ceil(max(r.max_length for r in rules.RULES.values()) * DRAFT_MARGIN)
MAX_FIRST_COMMENT_CHARS = 10_000


def check_draft_size(
    *, text: str = "", first_comment: str = "", overrides: dict | None = None
) -> None:
    """Refuse a draft no network could take: a ValidationError naming each field too long.

    Used by the composer form, the API serializers and the post services (so the CSV import
    and every other caller too).
    """
    errors: dict[str, list[str]] = {}

    def too_long(name: str, value: str, limit: int) -> None:
        if value and len(value) > limit:
            errors.setdefault(name, []).append(
                _("At most %(max)s characters; this text has %(length)s.")
                % {"max": f"{limit:,}", "length": f"{len(value):,}"}
            )

    too_long("text", text or "", MAX_DRAFT_CHARS)
    too_long("first_comment", first_comment or "", MAX_FIRST_COMMENT_CHARS)
    for value in (overrides or {}).values():
        too_long("overrides", value or "", MAX_DRAFT_CHARS)
    if errors:
        raise ValidationError(errors)
