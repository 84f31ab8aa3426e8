"""Sentiment: one interface, an analyser per language.

``analyse(text, language) -> Sentiment(score, label)``: a score in −1..1 and a label.

* English: vaderSentiment (lexicon and rules), with our additions (lexicons/en_extra.tsv).
* French, Arabic, Darija (both scripts): :class:`LexiconAnalyser`, the same rules with each
  language's words: negation ("ne … pas/jamais/plus", "لا/ليس/ما/لم/لن/غير", Darija "ما…ش" /
  "ma…ch" around the verb and "ماشي"/"machi"), intensifiers ("très", "بزاف", "bzaf"), a
  contrast word ("mais", "لكن", "walakin") that shifts the weight to what follows, repeated
  letters ("bzaaaf"), emoji and emoticons.
* An optional transformer classifier when ``SENTIMENT_MODEL_DIR`` names a local model
  directory (never downloaded; see docs/listening.md).

Unknown languages are scored with the French and English word lists together (emoji always).
"""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass
from pathlib import Path

from reputation.text import fold

LEXICON_DIR = Path(__file__).parent / "lexicons"
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


def _normalise_score(total: float, alpha: float = 15.0) -> float:
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
_CLAUSES = re.compile(r"[,;.!?،؛؟\n]+")
_EN_CONTRAST = ("but ", "however ", "though ", "yet ")


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
        score = round(_normalise_score(total), 4)
        return Sentiment(score, label_for(score))


class EnglishAnalyser:
    """vaderSentiment with our extra words; its own negation, intensifiers and emoji rules."""

    def __init__(self):
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

        self.vader = SentimentIntensityAnalyzer()
        self.vader.lexicon.update(
            {k: v for k, v in load_lexicon(LEXICON_DIR / "en_extra.tsv").items()}
        )
        self.emoji = emoji_lexicon()

    def analyse(self, text: str) -> Sentiment:
        # VADER reads emoji through their English descriptions; ours score them directly.
        emoji_total = sum(v for e, v in self.emoji.items() if not e.isascii() and e in text)
        stripped = "".join(c for c in text if c not in self.emoji)
        # Clause by clause: VADER's negation looks three words back across commas, so
        # "I do not recommend, awful service" would turn "awful" positive.
        clauses = [c.strip() for c in _CLAUSES.split(stripped) if c.strip()]
        values = []
        for clause in clauses:
            value = self.vader.polarity_scores(clause)["compound"] * 4
            if clause.lower().startswith(_EN_CONTRAST):
                values = [v * 0.5 for v in values]
                value *= 1.5
            values.append(value)
        total = sum(values) + emoji_total
        if "!" in text and total:
            total += min(text.count("!"), 3) * 0.292 * (1 if total > 0 else -1)
        score = round(_normalise_score(total), 4)
        return Sentiment(score, label_for(score))


# --- Language rules -------------------------------------------------------------------------

_AR_PREFIXES = ("وال", "فال", "بال", "كال", "لل", "ال", "و", "ف", "ب", "ل", "ك", "س")
_AR_SUFFIXES = (
    "هما",
    "كما",
    "هم",
    "هن",
    "كم",
    "نا",
    "ها",
    "ات",
    "ون",
    "ين",
    "ان",
    "ه",
    "ي",
    "ك",
    "ا",
)


@functools.cache
def _french_rules() -> LanguageRules:
    lexicon = load_lexicon(
        Path(__import__("vaderSentiment_fr").__file__).parent / "fr_lexicon.txt", separator="->"
    )
    lexicon.update(load_lexicon(LEXICON_DIR / "fr_extra.tsv"))
    return LanguageRules(
        lexicon=lexicon,
        negators=frozenset(
            fold(w)
            for w in [
                "ne",
                "n'",
                "n’",
                "pas",
                "jamais",
                "plus",
                "aucun",
                "aucune",
                "rien",
                "sans",
                "ni",
                "personne",
                "guère",
            ]
        ),
        intensifiers={
            fold(w): 0.3
            for w in [
                "très",
                "trop",
                "vraiment",
                "tellement",
                "super",
                "hyper",
                "extrêmement",
                "vachement",
                "si",
                "complètement",
                "totalement",
                "absolument",
                "franchement",
            ]
        },
        contrast=frozenset({"mais", "cependant", "pourtant", "toutefois"}),
        idioms={
            "pas mal": 1.5,
            "du tout": 0.0,
            "rien a redire": 2.2,
            "que demander": 1.5,
        },
        prefixes=("l'", "d'", "j'", "qu'", "n'", "s'", "c'", "m'"),
    )


@functools.cache
def _arabic_rules() -> LanguageRules:
    return LanguageRules(
        lexicon=load_lexicon(LEXICON_DIR / "ar.tsv"),
        negators=frozenset(
            fold(w) for w in ["لا", "ليس", "ليست", "لم", "لن", "ما", "غير", "بدون", "دون", "لست"]
        ),
        intensifiers={
            fold(w): 0.3 for w in ["جدا", "جداً", "كثيرا", "للغاية", "تماما", "حقا", "جد"]
        },
        contrast=frozenset(fold(w) for w in "لكن ولكن غير_أن بيد".replace("_", " ").split()),
        prefixes=tuple(fold(p) for p in _AR_PREFIXES),
        suffixes=tuple(fold(s) for s in _AR_SUFFIXES),
    )


@functools.cache
def _darija_arabic_rules() -> LanguageRules:
    lexicon = dict(load_lexicon(LEXICON_DIR / "ar.tsv"))
    lexicon.update(load_lexicon(LEXICON_DIR / "ary_arab.tsv"))
    return LanguageRules(
        lexicon=lexicon,
        negators=frozenset(
            fold(w) for w in ["ما", "ماشي", "مشي", "لا", "ماكاينش", "والو", "بلا", "عمرني", "عمري"]
        ),
        intensifiers={fold(w): 0.3 for w in ["بزاف", "بزااف", "ياسر", "جدا", "نيت", "مرة"]},
        contrast=frozenset(fold(w) for w in ["ولكن", "لكن", "غير", "والاكين"]),
        prefixes=tuple(fold(p) for p in ("كي", "كن", "كت", "تا", *_AR_PREFIXES)),
        suffixes=tuple(fold(s) for s in ("ليا", "ليك", "ليه", "نا", "تو", *_AR_SUFFIXES)),
        circumfix=((fold("ما"), fold("ش")), (fold("م"), fold("ش"))),
    )


@functools.cache
def _darija_latin_rules() -> LanguageRules:
    lexicon = load_lexicon(LEXICON_DIR / "ary_latn.tsv")
    return LanguageRules(
        lexicon=lexicon,
        negators=frozenset(["ma", "machi", "mashi", "mchi", "la", "walo", "bla", "3emri", "3omri"]),
        intensifiers={
            w: 0.3 for w in ["bzaf", "bezaf", "bzzaf", "bzef", "bzaaf", "yaser", "ktir", "nit"]
        },
        contrast=frozenset({"walakin", "walaken", "mais", "but"}),
        prefixes=("l", "el", "f", "b", "w", "kay", "kan", "kat", "ka"),
        suffixes=("ha", "hom", "kom", "na", "ni", "k", "o", "a"),
        circumfix=(("ma", "ch"), ("ma", "sh"), ("m", "ch")),
    )


@functools.cache
def _unknown_rules() -> LanguageRules:
    french = _french_rules()
    return LanguageRules(lexicon=french.lexicon, negators=french.negators)


@functools.cache
def analyser_for(language: str):
    if language == "en":
        return EnglishAnalyser()
    if language == "fr":
        return LexiconAnalyser(_french_rules())
    if language == "ar":
        return LexiconAnalyser(_arabic_rules())
    if language == "ary":
        return LexiconAnalyser(_darija_arabic_rules())
    if language == "ary-Latn":
        return LexiconAnalyser(_darija_latin_rules())
    return LexiconAnalyser(_unknown_rules())


@functools.cache
def _transformer():
    """A local Hugging Face text-classification model, only when one is configured."""
    from django.conf import settings

    model_dir = getattr(settings, "SENTIMENT_MODEL_DIR", "")
    if not model_dir or not Path(model_dir).is_dir():
        return None
    try:  # pragma: no cover - needs transformers and a model on disk
        from transformers import pipeline

        return pipeline("text-classification", model=model_dir, local_files_only=True)
    except Exception:  # noqa: BLE001 - a broken optional model falls back to the lexicons
        return None


def analyse(text: str, language: str) -> Sentiment:
    """Score ``text`` in ``language`` (fr, en, ar, ary, ary-Latn, und). Never raises on text."""
    model = _transformer()
    if model is not None:  # pragma: no cover - optional
        result = model(text[:512])[0]
        label = str(result["label"]).lower()
        label = label if label in {"positive", "negative", "neutral"} else "neutral"
        sign = {"positive": 1, "negative": -1}.get(label, 0)
        return Sentiment(round(sign * float(result["score"]), 4), label)
    if language == "ary" and text.isascii():
        language = "ary-Latn"
    return analyser_for(language).analyse(text)
