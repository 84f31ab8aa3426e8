"""What a post becomes on each network, and everything wrong with it before it is sent.

`check_composition()` is the single check used by the composer's live preview, by submission,
by scheduling and rescheduling (calendar drag and drop), and by the CSV import: errors (the
network's content rules) block; warnings (words to avoid, a recent duplicate) are shown.
`variant_content()` is what the publishing engine sends.
"""

from campaigns.composer.checks import (
    AccountCheck,
    Composition,
    build_content,
    check_composition,
    composition_of,
    duplicates_of,
    variant_content,
    words_to_avoid_found,
)
from campaigns.composer.drafts import (
    MAX_DRAFT_CHARS,
    MAX_FIRST_COMMENT_CHARS,
    check_draft_size,
)
from campaigns.composer.links import add_utm, utm_params
from campaigns.composer.messages import RULE_MESSAGES, rule_message

__all__ = [
    "MAX_DRAFT_CHARS",
    "MAX_FIRST_COMMENT_CHARS",
    "RULE_MESSAGES",
    "AccountCheck",
    "Composition",
    "add_utm",
    "build_content",
    "check_composition",
    "check_draft_size",
    "composition_of",
    "duplicates_of",
    "rule_message",
    "utm_params",
    "variant_content",
    "words_to_avoid_found",
]
