"""Text helpers of the pipeline: clean untrusted markup, fold for matching, fingerprint stories.

Pure Python, no Django. ``normalise`` turns whatever a feed or a network sent into plain,
capped text; ``fold`` is the one comparison form shared by queries and mentions (case-, accent-
and Arabic-diacritic-insensitive), so a query term and a text agree by construction.
"""

from __future__ import annotations

import hashlib
import html
import re
import unicodedata
from html.parser import HTMLParser

# Elements whose content is never text a person reads.
_SKIPPED_ELEMENTS = frozenset({"script", "style", "template", "noscript", "iframe", "object"})
_BLOCK_ELEMENTS = frozenset(
    {"p", "br", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "blockquote"}
)
_CONTROL = re.compile(r"[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u200b-\u200f\u202a-\u202e]")
_SPACES = re.compile(r"[ \t\u00a0]+")
_NEWLINES = re.compile(r"\s*\n\s*")
_COMBINING = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u20d0-\u20ff]")
# Arabic short vowels and marks (tashkeel), Quranic marks, and the tatweel stretcher.
_ARABIC_MARKS = re.compile(r"[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_ARABIC_LETTERS = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ى": "ي",
        "ئ": "ي",
        "ؤ": "و",
        "ة": "ه",
        "ک": "ك",
        "ی": "ي",
        "ڭ": "ك",
        "گ": "ك",
        "ڤ": "ف",
    }
)
_TAG_LIKE = re.compile(r"<[^>]{0,2000}>")


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in _SKIPPED_ELEMENTS:
            self.skipping += 1
        elif tag in _BLOCK_ELEMENTS:
            self.parts.append("\n")

    def handle_startendtag(self, tag, attrs):
        if tag in _BLOCK_ELEMENTS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in _SKIPPED_ELEMENTS:
            self.skipping = max(0, self.skipping - 1)
        elif tag in _BLOCK_ELEMENTS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)


def strip_markup(raw: str) -> str:
    """Plain text from HTML: tags dropped, scripts and styles dropped with their content,
    entities decoded. The result holds no markup a browser would act on once escaped."""
    if "<" not in raw and "&" not in raw:
        return raw
    parser = _TextExtractor()
    try:
        parser.feed(raw)
        parser.close()
    except Exception:  # noqa: BLE001 - a broken document still yields its visible text
        return html.unescape(_TAG_LIKE.sub(" ", raw))
    text = "".join(parser.parts)
    # Double-escaped feeds ("&amp;lt;b&amp;gt;") leave entities or tags behind: once more.
    if "&" in text:
        text = html.unescape(text)
    if "<" in text and _TAG_LIKE.search(text):
        text = _TAG_LIKE.sub(" ", text)
    return text


def normalise(raw: str | None, *, max_chars: int) -> str:
    """Untrusted text -> plain text: markup stripped, entities decoded, Unicode NFKC, control
    characters removed, whitespace collapsed, at most ``max_chars`` characters (cut on a word
    boundary when one is near, with an ellipsis)."""
    if not raw:
        return ""
    text = strip_markup(raw)
    text = unicodedata.normalize("NFKC", text)
    text = _CONTROL.sub("", text)
    text = _SPACES.sub(" ", text)
    text = _NEWLINES.sub("\n", text).strip()
    if len(text) > max_chars:
        cut = text[: max_chars - 1]
        space = cut.rfind(" ")
        if space > max_chars * 0.8:
            cut = cut[:space]
        text = cut.rstrip() + "…"
    return text


def fold(text: str) -> str:
    """The comparison form: casefolded, accents and Arabic diacritics removed, Arabic letter
    variants unified (أ إ آ -> ا, ى -> ي, ة -> ه). Same length or shorter than its input."""
    text = unicodedata.normalize("NFD", text.casefold())
    text = _COMBINING.sub("", text)
    text = _ARABIC_MARKS.sub("", text)
    return unicodedata.normalize("NFC", text).translate(_ARABIC_LETTERS)


def fold_with_offsets(text: str) -> tuple[str, list[int]]:
    """``fold`` character by character, with the index in ``text`` of each folded character,
    so that a match found in the folded text can be highlighted in the original."""
    out: list[str] = []
    offsets: list[int] = []
    for index, char in enumerate(text):
        folded = fold(char)
        out.append(folded)
        offsets.extend([index] * len(folded))
    return "".join(out), offsets


def is_word_char(char: str) -> bool:
    return char.isalnum() or char == "_"


def fingerprint(title: str, text: str) -> str:
    """The same story syndicated by several sites gets the same fingerprint: folded words of
    the title and the start of the text, punctuation and spacing ignored."""
    words = re.findall(r"\w+", fold(f"{title} {text[:600]}"))
    return hashlib.sha1(" ".join(words).encode(), usedforsecurity=False).hexdigest()
