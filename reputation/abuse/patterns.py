"""Spam and scam patterns the word lists cannot hold: phone numbers, links, sums of money.

Each pattern is weak evidence on its own — a brand's customer service gives its phone number
and its own links all day — and adds to the words around it (``whatsapp``, "gagnez",
"garanti"…) in ``analysis``. Written with the standard ``re`` module: the shapes are simple
and ``re`` is already what the rest of the pipeline uses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Moroccan numbers: 0 then 5 (landline), 6 or 7 (mobile), 8 (free and shared-cost lines) and
# eight more digits, or +212 / 00212 without the 0; separators (space, dot, dash) anywhere.
_SEP = r"[\s.\-]?"
MOROCCAN_PHONE = re.compile(
    rf"(?<![\d+])(?:(?:\+|00){_SEP}212{_SEP}\(?0?\)?{_SEP}|0)[5-8](?:{_SEP}\d){{8}}(?!\d)"
)
# Other international numbers: + and a country code, then 7 to 12 digits in groups.
INTERNATIONAL_PHONE = re.compile(r"(?<![\w+])\+\d{1,3}(?:[\s.\-]?\(?\d{1,4}\)?){2,5}(?!\d)")
_URL = re.compile(
    r"(?:https?://|www\.)[^\s<>\"']+|(?<![@\w.])(?:[a-z0-9-]+\.)+[a-z]{2,12}/[^\s<>\"']*",
    re.IGNORECASE,
)
SHORTENERS = frozenset(
    {
        "bit.ly",
        "tinyurl.com",
        "t.me",
        "goo.gl",
        "cutt.ly",
        "is.gd",
        "ow.ly",
        "rebrand.ly",
        "shorturl.at",
        "tiny.cc",
        "wa.me",
        "t.co",
        "rb.gy",
        "bit.do",
        "linktr.ee",
        "s.id",
    }
)
# Top-level domains that fraud and adverts use far more than brands do.
SUSPICIOUS_TLDS = frozenset(
    {"top", "xyz", "click", "buzz", "win", "loan", "icu", "rest", "cyou", "monster", "sbs", "cfd"}
)
BETTING_TLDS = frozenset({"bet", "casino", "poker"})
_MONEY = re.compile(
    r"\d[\d\s.,]*\s?(?:dh|dhs|mad|درهم|دراهم|€|\$|usd|usdt|dollars?|دولار|euros?|اورو)"
    r"|(?:\$|€)\s?\d",
    re.IGNORECASE,
)
_PERCENT = re.compile(r"\d{3,}\s?%")
_DIGIT = re.compile(r"\d")
_HANDLE = re.compile(r"(?<![\w@])@[a-z0-9_.]{3,30}", re.IGNORECASE)


@dataclass(frozen=True)
class Signal:
    label: str
    weight: float
    evidence: str
    link: bool = False  # a link's evidence goes to scam rather than spam when both fire


def _host(url: str) -> str:
    host = re.sub(r"^(?:https?://)?(?:www\.)?", "", url.lower()).split("/", 1)[0]
    return host.split(":", 1)[0].rstrip(".")


def phones(text: str) -> list[str]:
    found = [m.group(0) for m in MOROCCAN_PHONE.finditer(text)]
    found += [m.group(0) for m in INTERNATIONAL_PHONE.finditer(text) if m.group(0) not in found]
    return [number for number in found if len(re.sub(r"\D", "", number)) >= 9]


def signals(text: str) -> list[Signal]:
    found: list[Signal] = []
    digits = _DIGIT.search(text) is not None
    numbers = phones(text) if digits else []
    if numbers:  # one number or three: a brand's reply often gives several
        found.append(Signal("spam", 0.3, numbers[0].strip()))
    links = list(_URL.finditer(text))[:5] if "." in text else []
    for match in links:
        host = _host(match.group(0))
        tld = host.rsplit(".", 1)[-1]
        if host in SHORTENERS:
            found.append(Signal("spam", 0.55, host, link=True))
        elif tld in SUSPICIOUS_TLDS:
            found.append(Signal("scam", 0.45, host, link=True))
            found.append(Signal("spam", 0.3, host, link=True))
        elif tld in BETTING_TLDS:
            found.append(Signal("spam", 0.5, host, link=True))
        else:
            found.append(Signal("spam", 0.15, host, link=True))
    if digits and _MONEY.search(text):
        found.append(Signal("scam", 0.15, "money"))
    if digits and _PERCENT.search(text):
        found.append(Signal("scam", 0.3, "percent"))
    if "@" in text and _HANDLE.search(text):
        found.append(Signal("spam", 0.2, "@handle"))
    return found
