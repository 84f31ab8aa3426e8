"""Abuse word lists and the phrase matcher: folded text -> the entries it contains.

Matching form (both the lists and the text go through it, so they agree by construction):
``reputation.text.fold`` (case, accents, Arabic diacritics and letter variants) and words
spelt out with separators joined ("c.o.n.n.a.r.d", "i d i o t"). A letter written three
times or more is tried once and twice ("حماااار" -> "حمار", "connnnard" -> "connard"); a
doubled letter is kept, because doubling changes words ("baisse" is not "baise"). Each
word is then tried in a few forms: as written (Arabizi keeps 3, 7, 9 as letters),
leetspeak decoded ("1d10t"), without its Arabic clitics (و ف ب ل ال يا … / ها هم ين …),
without the Darija article "l" in Latin script ("l7mar"), and without a plural s.

Entries (``lexicons/abuse_*.tsv``): ``phrase<TAB>label<TAB>weight``. A phrase is one or more
words; a word ending in ``*`` matches any word it starts ("سأقتل*": سأقتله, سأقتلكم). In a
phrase of several words up to ``MAX_GAP`` other words may come between two of them ("vais
tuer" matches "je vais te tuer"). Labels are the six abuse labels, or a cue: ``address``
(a word that aims the next one at someone: "espèce de", "يا", "nta") and ``report`` (words
that report what someone else said: "m'a traité de", "called me", "قال ليا").
"""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from reputation.text import fold

LEXICON_DIR = Path(__file__).resolve().parent.parent / "lexicons"
LIST_FILES = ("common", "fr", "en", "ar", "ary_arab", "ary_latn")
LABELS = ("insult", "hate", "sexual", "threat", "spam", "scam")
CUES = ("address", "report")
MAX_GAP = 2
_MIN_PREFIX = 3

# Words: letters and digits (Arabizi, leetspeak), with the symbols leetspeak and censoring
# use inside words; emoji as words of their own. Punctuation separates words.
_TOKEN = re.compile(r"[\w@$*]*\w[\w@$*]*|[\u2600-\u27bf\U0001f000-\U0001faff]", re.UNICODE)
_ELONGATED = re.compile(r"(.)\1{2,}")
# Three or more single Latin letters or digits separated by one space or symbol: "c o n".
_SPELT_OUT = re.compile(r"(?<![\w])(?:[a-z0-9][ .\-_*+]){2,}[a-z0-9](?![\w])")
_LEET = str.maketrans(
    {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s"}
)
_LEET_CHARS = frozenset("013457@$")
_AR_PREFIXES = ("وال", "فال", "بال", "كال", "يال", "ال", "لل", "يا", "و", "ف", "ب", "ل", "ك", "س")
_AR_SUFFIXES = ("كم", "هم", "ها", "ين", "ون", "ات", "نا", "ه", "ك", "ي", "و")
_ARABIC = re.compile(r"[\u0600-\u06ff]")


@dataclass(frozen=True)
class Entry:
    words: tuple[str, ...]  # matching forms; a trailing "*" marks a prefix
    label: str
    weight: float
    phrase: str  # as written in the list, for the evidence shown to people


@dataclass(frozen=True)
class Hit:
    entry: Entry
    start: int  # index of the first word matched
    end: int  # index of the last word matched


def skeleton(word: str) -> str:
    """A word without emphasis: a letter written three times or more counts once
    ("bzaaaf" -> "bzaf"); doubled letters stay ("connard"), see ``variants``."""
    return _ELONGATED.sub(r"\1", word)


def prepare(text: str) -> str:
    """Folded text with spelt-out words joined ("c.o.n" -> "con")."""
    folded = fold(text)
    return _SPELT_OUT.sub(lambda m: re.sub(r"[ .\-_*+]", "", m.group(0)), folded)


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(prepare(text))


@functools.lru_cache(maxsize=100_000)
def variants(token: str) -> tuple[str, ...]:
    """The forms a word is looked up in, as written first."""
    base = skeleton(token.strip("*@$") or token)
    found = [base]
    if base != token and _ELONGATED.search(token):
        found.append(_ELONGATED.sub(r"\1\1", token))  # "connnnard" -> "connard"
    if _ARABIC.search(base):
        for prefix in _AR_PREFIXES:
            if base.startswith(prefix) and len(base) - len(prefix) >= 2:
                found.append(base[len(prefix) :])
                if len(prefix) == 3 and prefix.endswith("ال"):  # "فالشانيل": also "الشانيل"
                    found.append(base[1:])
                break
        for word in list(found):
            for suffix in _AR_SUFFIXES:
                if word.endswith(suffix) and len(word) - len(suffix) >= 3:
                    found.append(word[: -len(suffix)])
                    break
        return tuple(dict.fromkeys(found))
    if any(c in _LEET_CHARS for c in token) and not token.isdigit():
        found.append(skeleton(token.translate(_LEET).strip("*")))
    if len(base) >= 4 and base[0] == "l" and base[1] not in "aeiouy":
        found.append(base[1:])  # Darija article: "l7mar", "lkelb"
    for word in list(found):
        if len(word) >= 5 and word[-1] in "sx":
            found.append(word[:-1])
    return tuple(dict.fromkeys(w for w in found if w))


def _entry_words(phrase: str) -> tuple[str, ...]:
    words = []
    for raw in prepare(phrase).split():
        prefix = raw.endswith("*") and len(raw) > 1
        word = raw.rstrip("*").strip("'’.,")
        if word:
            words.append(word + ("*" if prefix else ""))
    return tuple(words)


def load_entries(path: Path) -> list[Entry]:
    entries = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        parts = [p.strip() for p in line.split("\t") if p.strip()]
        if len(parts) < 3 or (parts[1] not in LABELS and parts[1] not in CUES):
            continue
        try:
            weight = float(parts[2])
        except ValueError:
            continue
        words = _entry_words(parts[0])
        if words:
            entries.append(Entry(words, parts[1], min(max(weight, 0.0), 1.0), parts[0]))
    return entries


class Matcher:
    """All the lists in one index keyed by each entry's first word (or its prefix)."""

    CACHE_SIZE = 200_000

    def __init__(self, entries: list[Entry]):
        self._cache: dict[str, tuple[Entry, ...]] = {}
        self.exact: dict[str, list[Entry]] = defaultdict(list)
        self.prefix: dict[str, list[Entry]] = defaultdict(list)
        self.censorable: dict[str, list[Entry]] = defaultdict(list)
        unique: dict[tuple[tuple[str, ...], str], Entry] = {}
        for entry in entries:  # a word in two lists ("idiot") counts once, at its higher weight
            key = (entry.words, entry.label)
            if key not in unique or unique[key].weight < entry.weight:
                unique[key] = entry
        for entry in unique.values():
            first = entry.words[0]
            if first.endswith("*"):
                self.prefix[first[:-1]].append(entry)
            else:
                self.exact[first].append(entry)
                if len(entry.words) == 1 and entry.label == "insult" and first.isalpha():
                    self.censorable[first[0]].append(entry)

    def _first(self, token: str, forms: tuple[str, ...]) -> tuple[Entry, ...]:
        # Words repeat from one mention to the next: remember each word's candidates
        # (most often none).
        try:
            return self._cache[token]
        except KeyError:
            pass
        if len(self._cache) >= self.CACHE_SIZE:
            self._cache.clear()
        found = self._cache[token] = tuple(self._first_uncached(token, forms))
        return found

    def _first_uncached(self, token: str, forms: tuple[str, ...]) -> list[Entry]:
        found: list[Entry] = []
        for form in forms:
            found.extend(self.exact.get(form, ()))
            for size in range(_MIN_PREFIX, len(form) + 1):
                found.extend(self.prefix.get(form[:size], ()))
        if "*" in token[1:] and token[0].isalpha():  # censored: "f***", "c*nnard"
            found.extend(_uncensor(token, self.censorable.get(token[0], ())))
        return found

    @staticmethod
    def _word_matches(spec: str, forms: tuple[str, ...]) -> bool:
        if spec.endswith("*"):
            return any(form.startswith(spec[:-1]) for form in forms)
        return spec in forms

    def find(self, words: list[str]) -> list[Hit]:
        forms = [variants(word) for word in words]
        hits = []
        for i, word in enumerate(words):
            for entry in self._first(word, forms[i]):
                end = self._rest(entry.words, forms, i)
                if end is not None:
                    hits.append(Hit(entry, i, end))
        return hits

    def _rest(self, specs: tuple[str, ...], forms: list[tuple[str, ...]], start: int) -> int | None:
        position = start
        for spec in specs[1:]:
            for candidate in range(position + 1, min(position + 2 + MAX_GAP, len(forms))):
                if self._word_matches(spec, forms[candidate]):
                    position = candidate
                    break
            else:
                return None
        return position


def _uncensor(token: str, candidates) -> list[Entry]:
    """Insults a censored word may stand for, each * one letter: "f***", "c*nnard"."""
    pattern = re.compile("".join(r"\w" if c == "*" else re.escape(c) for c in token))
    return [entry for entry in candidates if pattern.fullmatch(entry.words[0])]


@functools.cache
def matcher() -> Matcher:
    entries: list[Entry] = []
    for name in LIST_FILES:
        path = LEXICON_DIR / f"abuse_{name}.tsv"
        if path.exists():
            entries.extend(load_entries(path))
    return Matcher(entries)
