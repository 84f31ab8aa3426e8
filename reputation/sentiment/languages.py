"""Each language's words and rules, and the analyser for a language code."""

from __future__ import annotations

import functools
from pathlib import Path

from reputation.sentiment.english import EnglishAnalyser
from reputation.sentiment.lexicon import LEXICON_DIR, LanguageRules, LexiconAnalyser, load_lexicon
from reputation.text import fold

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
