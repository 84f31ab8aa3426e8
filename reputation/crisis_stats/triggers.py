"""Trigger words: the words of a crisis in French, English, Arabic and Darija (both scripts)."""

import re
from collections.abc import Sequence

# Folded forms (casefold, no accents, Arabic letter variants unified: see reputation.text.fold).
TRIGGER_WORDS: tuple[str, ...] = (
    # French
    "boycott",
    "boycotter",
    "boycottez",
    "scandale",
    "scandaleux",
    "arnaque",
    "arnaqueur",
    "escroc",
    "escroquerie",
    "honte",
    "intoxication",
    "rappel produit",
    "plainte",
    "mensonge",
    # English
    "scandal",
    "scam",
    "fraud",
    "lawsuit",
    "recall",
    "food poisoning",
    "shame on",
    # Arabic (folded: ة -> ه, أ -> ا)
    "فضيحه",
    "مقاطعه",
    "قاطعوا",
    "نصب",
    "احتيال",
    "تسمم",
    "عار",
    # Darija in Arabic script
    "شفارة",
    "شفارين",
    "حشومة",
    # Darija in Latin script (Arabizi digits)
    "fdi7a",
    "fdiha",
    "n9ata3",
    "nqat3",
    "9ate3",
    "9at3o",
    "chfara",
    "chfarin",
    "7chouma",
    "hchouma",
)


def _fold(text: str) -> str:
    from reputation.text import fold

    return fold(text)


def trigger_words_pattern(extra: Sequence[str] = ()) -> re.Pattern:
    words = sorted({_fold(w) for w in (*TRIGGER_WORDS, *extra) if w.strip()}, key=len, reverse=True)
    # Word boundaries that work for Arabic and Arabizi digits too: no letter or digit around.
    alternatives = "|".join(re.escape(w) for w in words)
    return re.compile(rf"(?<![\w])(?:{alternatives})(?![\w])")


def trigger_words_in(text: str, pattern: re.Pattern | None = None) -> list[str]:
    """The trigger words found in `text` (folded forms), in order, without repeats."""
    found = (pattern or trigger_words_pattern()).findall(_fold(text))
    return list(dict.fromkeys(found))
