"""Scores and labels, lexicon files, and the lexicon-and-rules analyser (fr, ar, Darija)."""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass
from pathlib import Path

from reputation.text import fold

LEXICON_DIR = Path(__file__).resolve().parent.parent / "lexicons"
POSITIVE_THRESHOLD = 0.2
NEGATIVE_THRESHOLD = -0.2
NEGATION_SCALAR = -0.74  # VADER's: "not good" is less bad than "bad" is bad
NEGATION_WINDOW = 3


@dataclass(frozen=True)
class Sentiment:
    score: float
    label: str


def label_for(score: float) -> str:
    if score >= POSITIVE_THRESHOLD:
        return "positive"
    if score <= NEGATIVE_THRESHOLD:
        return "negative"
    return "neutral"


def normalise_score(total: float, alpha: float = 15.0) -> float:
    score = total / math.sqrt(total * total + alpha)
    return max(-1.0, min(1.0, score))


def load_lexicon(path: Path, *, separator: str = "\t") -> dict[str, float]:
    words: dict[str, float] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split(separator)
        if len(parts) < 2:
            continue
        try:
            words[fold(parts[0].strip())] = float(parts[1])
        except ValueError:
            continue
    return words


@functools.cache
def emoji_lexicon() -> dict[str, float]:
    return load_lexicon(LEXICON_DIR / "emoji.tsv")


_TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)?|[:;x>][-']?[()dp/]|<3|[^\w\s]", re.UNICODE)
_REPEATS = re.compile(r"(.)\1{2,}")
_CLAUSE_END = frozenset(",;.!?،؛؟\n")


@dataclass
class LanguageRules:
    lexicon: dict[str, float]
    negators: frozenset[str] = frozenset()
    intensifiers: dict[str, float] | None = None
    contrast: frozenset[str] = frozenset()
    idioms: dict[str, float] | None = None  # folded phrases with their own score
    prefixes: tuple[str, ...] = ()  # clitics to try removing, longest first
    suffixes: tuple[str, ...] = ()
    circumfix: tuple[tuple[str, str], ...] = ()  # negation wrapped around a word: (ما, ش)


class LexiconAnalyser:
    """Lexicon and rules; see the module docstring for what the rules cover."""

    CACHE_SIZE = 200_000

    def __init__(self, rules: LanguageRules):
        self.rules = rules
        self.emoji = emoji_lexicon()
        # Words repeat from one mention to the next: remember what each one scored
        # (including "not in the lexicon", the common case).
        self._cache: dict[str, float | None] = {}

    def _lookup(self, word: str) -> float | None:
        try:
            return self._cache[word]
        except KeyError:
            pass
        if len(self._cache) >= self.CACHE_SIZE:
            self._cache.clear()
        value = self._cache[word] = self._lookup_uncached(word)
        return value

    def _lookup_uncached(self, word: str) -> float | None:
        lexicon = self.rules.lexicon
        if word in lexicon:
            return lexicon[word]
        collapsed = _REPEATS.sub(r"\1", word)
        if collapsed in lexicon:
            return lexicon[collapsed]
        for candidate in (word, collapsed):
            for prefix in self.rules.prefixes:
                if candidate.startswith(prefix) and len(candidate) - len(prefix) >= 2:
                    stem = candidate[len(prefix) :]
                    if stem in lexicon:
                        return lexicon[stem]
                    found = self._strip_suffix(stem)
                    if found is not None:
                        return found
            found = self._strip_suffix(candidate)
            if found is not None:
                return found
        return None

    def _strip_suffix(self, word: str) -> float | None:
        for suffix in self.rules.suffixes:
            if word.endswith(suffix) and len(word) - len(suffix) >= 2:
                stem = word[: -len(suffix)]
                if stem in self.rules.lexicon:
                    return self.rules.lexicon[stem]
        return None

    def _unwrap_negation(self, word: str) -> str | None:
        for prefix, suffix in self.rules.circumfix:
            if word.startswith(prefix) and word.endswith(suffix):
                core = word[len(prefix) : len(word) - len(suffix)]
                if len(core) >= 2:
                    return core
        return None

    def analyse(self, text: str) -> Sentiment:
        tokens = _TOKEN.findall(fold(text))
        rules = self.rules
        intensifiers = rules.intensifiers or {}
        idioms = rules.idioms or {}
        scores: list[float] = []
        negated_until = -1
        contrast_at = -1
        skip = 0
        for i, token in enumerate(tokens):
            if skip:
                skip -= 1
                scores.append(0.0)
                continue
            if token in self.emoji:
                scores.append(self.emoji[token])
                continue
            bigram = f"{token} {tokens[i + 1]}" if i + 1 < len(tokens) else ""
            if bigram and bigram in idioms:
                scores.append(idioms[bigram])
                skip = 1
                continue
            if token in _CLAUSE_END:
                negated_until = -1  # negation does not cross a comma or a full stop
                scores.append(0.0)
                continue
            if token in rules.negators:
                negated_until = i + NEGATION_WINDOW
                scores.append(0.0)
                continue
            if token in rules.contrast:
                contrast_at = i
                scores.append(0.0)
                continue
            negated = i <= negated_until
            value = self._lookup(token)
            if value is None:
                core = self._unwrap_negation(token)
                if core is not None:
                    value = self._lookup(core)
                    if value is not None:
                        negated = True
            if value is None or value == 0:
                scores.append(0.0)
                continue
            for back in (1, 2):
                if i - back >= 0 and tokens[i - back] in intensifiers:
                    boost = intensifiers[tokens[i - back]] / back
                    value += boost if value > 0 else -boost
            if i + 1 < len(tokens) and tokens[i + 1] in intensifiers:
                boost = intensifiers[tokens[i + 1]]  # "zwin bzaf", "مزيان بزاف"
                value += boost if value > 0 else -boost
            if negated:
                value *= NEGATION_SCALAR
            scores.append(value)
        if contrast_at >= 0:
            scores = [s * (0.5 if i < contrast_at else 1.5) for i, s in enumerate(scores)]
        total = sum(scores)
        if "!" in text and total:
            total += min(text.count("!"), 3) * 0.292 * (1 if total > 0 else -1)
        score = round(normalise_score(total), 4)
        return Sentiment(score, label_for(score))
