"""How each network counts the length of a text, and where its URLs are.

Pure functions over strings; the content rules (networks/<name>/rules.py) name which count
their network uses. How each one counts is described in networks/rules.py.
"""

from __future__ import annotations

import unicodedata

import regex

_GRAPHEME = regex.compile(r"\X")
_TRAILING_PUNCT = ".,:;!?'\")]}"

# Enough generic TLDs for the texts agencies write; every two-letter TLD is a country code.
_GENERIC_TLDS = (
    "com|org|net|edu|gov|int|mil|info|biz|name|pro|app|dev|io|ai|co|me|tv|shop|store|online|"
    "site|tech|blog|news|media|agency|digital|social|xyz|top|club|live|art|design|cloud|africa|"
    "paris|ovh|asia|eu|studio|world|email|link|page|fun|space|website"
)
_SCHEME_URL = regex.compile(r"(?i)\bhttps?://[^\s<>\"]+")
_BARE_URL = regex.compile(
    r"(?i)(?<![\w@.\-/#])(?:[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?\.)+"
    rf"(?:{_GENERIC_TLDS}|[a-z]{{2}})(?![\w\-])(?::\d{{1,5}})?(?:/[^\s<>\"]*)?"
)
_MASTODON_MENTION = regex.compile(r"(?<![\w/])@(\w+)@[\w.\-]+\w")
_HASHTAG = regex.compile(r"(?<![\w#&])#(\w*[^\W\d]\w*)")

X_URL_LENGTH = 23
MASTODON_URL_LENGTH = 23


def _strip_trailing(url: str) -> str:
    while url and url[-1] in _TRAILING_PUNCT:
        if url[-1] == ")" and url.count("(") >= url.count(")"):
            break
        url = url[:-1]
    return url


def find_urls(text: str, *, schemeless: bool = True) -> list[tuple[int, int]]:
    """Spans of URLs in ``text``; ``schemeless`` also finds ``example.com/page``."""
    spans: list[tuple[int, int]] = []
    for match in _SCHEME_URL.finditer(text):
        url = _strip_trailing(match.group())
        spans.append((match.start(), match.start() + len(url)))
    if schemeless:
        for match in _BARE_URL.finditer(text):
            start = match.start()
            if any(s <= start < e for s, e in spans):
                continue
            url = _strip_trailing(match.group())
            spans.append((start, start + len(url)))
    return sorted(spans)


def count_graphemes(text: str) -> int:
    return len(_GRAPHEME.findall(text))


def count_code_points(text: str) -> int:
    return len(unicodedata.normalize("NFC", text))


def count_mastodon(text: str, *, url_length: int = MASTODON_URL_LENGTH) -> int:
    """Mastodon's StatusLengthValidator: graphemes, http(s) URLs as 23, mentions sans domain."""
    text = _MASTODON_MENTION.sub(lambda m: "@" + m.group(1), text)
    total, cursor = 0, 0
    for start, end in find_urls(text, schemeless=False):
        total += count_graphemes(text[cursor:start]) + url_length
        cursor = end
    return total + count_graphemes(text[cursor:])


# twitter-text v3 configuration (config/v3.json in the twitter-text repository).
_X_SCALE = 100
_X_DEFAULT_WEIGHT = 200
_X_RANGES = ((0, 4351, 100), (8192, 8205, 100), (8208, 8223, 100), (8242, 8247, 100))
_EMOJI_CLUSTER = regex.compile(
    r"\p{Emoji_Presentation}|\p{Extended_Pictographic}\uFE0F|\p{Emoji_Modifier}"
    r"|\p{Regional_Indicator}|\u20E3|\p{Extended_Pictographic}\u200D"
)


def _x_code_point_weight(char: str) -> int:
    code = ord(char)
    for start, end, weight in _X_RANGES:
        if start <= code <= end:
            return weight
    return _X_DEFAULT_WEIGHT


def _x_weight(segment: str) -> int:
    weight = 0
    for cluster in _GRAPHEME.findall(segment):
        if _EMOJI_CLUSTER.search(cluster):
            weight += _X_DEFAULT_WEIGHT
        else:
            weight += sum(_x_code_point_weight(c) for c in cluster)
    return weight


def count_x(text: str) -> int:
    """Weighted length as X counts it (twitter-text v3): the number compared with 280."""
    text = unicodedata.normalize("NFC", text)
    weighted, cursor = 0, 0
    for start, end in find_urls(text):
        weighted += _x_weight(text[cursor:start]) + X_URL_LENGTH * _X_SCALE
        cursor = end
    weighted += _x_weight(text[cursor:])
    return weighted // _X_SCALE


def count_hashtags(text: str) -> int:
    return len(_HASHTAG.findall(text))
