"""CSV exports that a spreadsheet cannot turn into formulas (CSV/formula injection).

A spreadsheet treats a cell as a formula when its text starts with = + - @ (and, for DDE, |),
and also when those come after leading spaces, zero-width characters or as their full-width
forms (＝ ＋ － ＠), which several spreadsheet programs fold to ASCII. Such a cell gets a leading
apostrophe, which the spreadsheet shows as text and does not evaluate. Numbers are not text
and are written as they are. Every CSV export goes through `csv_safe` (or `csv_safe_row`).
"""

from __future__ import annotations

import unicodedata
from decimal import Decimal

FORMULA_STARTS = frozenset("=+-@|\uff1d\uff0b\uff0d\uff20\uff5c")  # ASCII and full-width
# Characters a spreadsheet skips before the first visible one: whitespace (str.isspace covers
# tab, CR, LF and no-break spaces) and these format characters.
_INVISIBLE = frozenset("\u200b\u200c\u200d\u200e\u200f\u2060\u2061\u2062\u2063\u2064\ufeff\u00ad")


def _first_visible(text: str) -> str:
    for char in text:
        if char.isspace() or char in _INVISIBLE or unicodedata.category(char) == "Cf":
            continue
        return char
    return ""


def csv_safe(value) -> str | int | float | Decimal:
    """The value as a CSV cell that no spreadsheet evaluates."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float | Decimal):
        return value  # a number, not text that could start a formula
    text = str(value)
    first = _first_visible(text)
    if first in FORMULA_STARTS or text[:1] in ("\t", "\r"):
        return "'" + text
    return text


def csv_safe_row(values) -> list:
    return [csv_safe(v) for v in values]
