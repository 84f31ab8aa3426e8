"""Language detection: fr, en, ar, Darija in Arabic script (ary), Darija in Latin script
(ary-Latn, "Arabizi"), or und (unknown).

Statistical detectors know nothing of Darija, so project rules decide it first:

* Arabic script: Arabic unless Darija markers (words that Modern Standard Arabic does not use:
  ديال، بزاف، واش، كيفاش، دابا…) are found.
* Latin script: Arabizi when digits stand for Arabic letters inside words (3 = ع, 7 = ح,
  9 = ق, 2 = ء, 5 = خ: "3la", "wa7ed", "m9awed") or common Darija words are found.
* Otherwise py3langid (its model ships inside the package; nothing is downloaded), restricted
  to French and English, decides; text too short or too uncertain is ``und``.
"""

from __future__ import annotations

import functools
import re

from reputation.text import fold

FRENCH, ENGLISH, ARABIC, DARIJA, DARIJA_LATIN, UNKNOWN = "fr", "en", "ar", "ary", "ary-Latn", "und"

_ARABIC_CHAR = re.compile(r"[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")
_LATIN_CHAR = re.compile(r"[a-zA-Z\u00c0-\u024f]")
_WORD = re.compile(r"\w+")
# A digit standing for a letter: between letters, or a digit then letters ("3la", "9ra").
_ARABIZI_WORD = re.compile(r"^(?:[a-z]*[a-z][2357-9][a-z]*|[2357-9][a-z]{2,}[a-z0-9]*)$")

# Darija in Arabic script (folded: ة -> ه, أ -> ا). Words MSA does not use, or uses otherwise.
DARIJA_ARABIC_MARKERS = frozenset(
    fold(w)
    for w in [
        "ديال",
        "ديالي",
        "ديالك",
        "ديالو",
        "ديالها",
        "ديالنا",
        "ديالهم",
        "بزاف",
        "واش",
        "كيفاش",
        "علاش",
        "فين",
        "شنو",
        "شنوا",
        "شكون",
        "دابا",
        "مزيان",
        "مزيانه",
        "زوين",
        "زوينه",
        "خايب",
        "خايبه",
        "ماشي",
        "غادي",
        "غاديه",
        "كاين",
        "كاينه",
        "كاينين",
        "بغيت",
        "بغينا",
        "كنبغي",
        "كنبغيو",
        "هادشي",
        "هادي",
        "هادو",
        "والو",
        "حيت",
        "صافي",
        "واخا",
        "عافاك",
        "خويا",
        "ختي",
        "بلاتي",
        "شحال",
        "شوية",
        "شويه",
        "كيدير",
        "كتدير",
        "كندير",
        "داير",
        "دايره",
        "مكاينش",
        "ماكاينش",
        "مابغيتش",
        "معجبنيش",
        "ماعجبنيش",
        "بنين",
        "بنينه",
        "الدري",
        "دري",
        "عيان",
        "تقدا",
        "نتوما",
        "حنا",
        "ديما",
        "بصح",
        "كاع",
        "كلشي",
        "لحقاش",
        "مسكين",
        "مقود",
        "مقوده",
        "تبارك",
        "زعما",
        "هاد",
        "هادا",
        "هادوك",
        "ديك",
        "داك",
        "شي",
        "مزال",
        "باش",
        "فاش",
        "منين",
        "بحال",
        "واخا",
        "دغيا",
        "نتا",
        "نتي",
        "راك",
        "راني",
        "راه",
        "راها",
        "ليا",
        "ليك",
        "خاص",
        "خصني",
        "بغا",
        "بغات",
        "عطيني",
        "سمحلي",
        "عندي",
        "فابور",
        "بزز",
    ]
)

DARIJA_LATIN_MARKERS = frozenset(
    [
        "wach",
        "wash",
        "dyal",
        "dial",
        "diali",
        "dyali",
        "dyalek",
        "dialek",
        "dyalo",
        "bzaf",
        "bezaf",
        "bzzaf",
        "bzef",
        "mzyan",
        "mzian",
        "mezyan",
        "zwin",
        "zwina",
        "khayb",
        "khayba",
        "khaiba",
        "daba",
        "chno",
        "chnou",
        "chnu",
        "kifach",
        "kifash",
        "3lach",
        "3lash",
        "fin",
        "fen",
        "ghadi",
        "ghadia",
        "kayn",
        "kayna",
        "kaynin",
        "bghit",
        "bghina",
        "kanbghi",
        "hadchi",
        "hadi",
        "hado",
        "walo",
        "hit",
        "safi",
        "wakha",
        "3afak",
        "khoya",
        "khouya",
        "khti",
        "chhal",
        "chwiya",
        "chwia",
        "kaydir",
        "katdir",
        "kandir",
        "dayr",
        "dayra",
        "makaynch",
        "mabghitch",
        "ma3jbnich",
        "machi",
        "mashi",
        "mzyana",
        "bnin",
        "bnina",
        "drari",
        "3yit",
        "3yan",
        "t9da",
        "ntoma",
        "7na",
        "dima",
        "bsse7",
        "bsa7",
        "ga3",
        "kolchi",
        "m9awed",
        "m9wd",
        "tbarkallah",
        "zaama",
        "lah",
        "inchallah",
        "wlah",
        "wallah",
        "hamdullah",
        "sahbi",
        "sa7bi",
        "khouya",
        "lhamdulilah",
        "bslama",
    ]
)


@functools.cache
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(["fr", "en"])
    return identifier


# Words that start like a Darija present-tense verb (كي/كن/كت + verb) but are Standard Arabic.
_MSA_KA_WORDS = frozenset(
    fold(w)
    for w in [
        "كيف",
        "كيفية",
        "كتاب",
        "كتب",
        "كتابة",
        "كتابه",
        "كنت",
        "كنا",
        "كانت",
        "كان",
        "كانوا",
        "كثير",
        "كثيرا",
        "كثيرة",
        "كتل",
        "كيان",
        "كيلو",
        "كيمياء",
        "كنوز",
        "كنيسة",
        "كتيبة",
    ]
)


def _arabic_language(folded: str) -> str:
    words = _WORD.findall(folded)
    hits = sum(1 for w in words if w in DARIJA_ARABIC_MARKERS)
    # Negation "ما…ش" wrapped around a verb is Darija's surest sign ("ماعجبنيش").
    hits += sum(1 for w in words if len(w) > 4 and w.startswith("ما") and w.endswith("ش"))
    # The present-tense prefix glued to a verb: "كيدير", "كنتسنى", "كتبلوكا".
    hits += sum(
        1
        for w in words
        if len(w) >= 5 and w.startswith(("كي", "كن", "كت", "كا")) and w not in _MSA_KA_WORDS
    )
    return DARIJA if hits >= 1 else ARABIC


def _is_arabizi(folded: str) -> bool:
    words = _WORD.findall(folded)
    if not words:
        return False
    digit_words = sum(1 for w in words if _ARABIZI_WORD.match(w))
    marker_words = sum(1 for w in words if w in DARIJA_LATIN_MARKERS)
    score = 1.5 * digit_words + marker_words
    return score >= 2 or (score >= 1 and len(words) <= 4)


def detect_language(text: str, *, hint: str = "") -> str:
    """The language of ``text``; ``hint`` (a feed's declared language) breaks ties on short text.

    Guarantees: returns one of fr, en, ar, ary, ary-Latn, und; never raises; needs no network.
    """
    sample = text[:1000]
    arabic = len(_ARABIC_CHAR.findall(sample))
    latin = len(_LATIN_CHAR.findall(sample))
    if arabic + latin < 3:
        return UNKNOWN
    folded = fold(sample)
    if arabic > latin:
        return _arabic_language(folded)
    if _is_arabizi(folded):
        return DARIJA_LATIN
    language, probability = _identifier().classify(sample)
    hint = (hint or "").lower()[:2]
    if latin < 15 and hint in (FRENCH, ENGLISH):
        return hint
    if probability < 0.6:
        return hint if hint in (FRENCH, ENGLISH) else UNKNOWN
    return language
