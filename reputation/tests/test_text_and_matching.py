"""Normalising untrusted text, folding, matching every query in one pass, language detection."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reputation.language import detect_language
from reputation.matching import Matcher, compile_query, highlight_spans
from reputation.text import fingerprint, fold, fold_with_offsets, normalise


def _matcher(*specs):
    return Matcher.build(
        [
            compile_query(
                id=i,
                brand_id=brand,
                expression=expression,
                excluded_words=excluded,
                languages=languages,
                voice="",
            )
            for i, (brand, expression, excluded, languages) in enumerate(specs, start=1)
        ]
    )


# --- normalise ------------------------------------------------------------------------------


def test_normalise_strips_markup_scripts_and_entities():
    raw = "<div><script>evil()</script><p>Caf&eacute; <b>Tanger</b> &amp; co</p><style>p{}</style>"
    assert normalise(raw, max_chars=100) == "Café Tanger & co"


def test_normalise_double_escaped_markup_stays_text():
    assert normalise("&lt;b&gt;gras&lt;/b&gt; &amp;lt;i&amp;gt;", max_chars=100) == "gras"


def test_normalise_applies_nfkc_and_removes_controls():
    assert normalise("ｃａｆé\u200b\u0007 ﬁn", max_chars=100) == "café fin"


def test_normalise_caps_length_on_a_word_boundary():
    text = normalise("mot " * 100, max_chars=50)
    assert len(text) <= 50 and text.endswith("…") and "mo…" not in text


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400), st.integers(min_value=5, max_value=300))
def test_normalise_never_returns_markup_or_too_much(raw, cap):
    text = normalise(raw, max_chars=cap)
    assert len(text) <= cap
    if not text.endswith("…") and "<" not in raw and "&" not in raw:
        assert normalise(text, max_chars=cap) == text  # stable once clean
    assert "\x00" not in text


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_fold_with_offsets_agrees_with_fold(text):
    text = normalise(text, max_chars=500)
    folded, offsets = fold_with_offsets(text)
    assert folded == fold(text)
    assert len(offsets) == len(folded)
    assert offsets == sorted(offsets)


def test_fold_ignores_case_accents_and_arabic_variants():
    assert fold("ÉTÉ à Fès") == "ete a fes"
    assert fold("إِنْوِي مَكْتَبَة") == fold("انوي مكتبه")


def test_syndicated_copies_share_a_fingerprint():
    assert fingerprint("Café Tanger ouvre", "Le Café Tanger ouvre à Rabat.") == fingerprint(
        "CAFE TANGER OUVRE !", "Le café tanger   ouvre a Rabat"
    )
    assert fingerprint("a", "b") != fingerprint("a", "c")


# --- matching -------------------------------------------------------------------------------


def test_matching_is_case_accent_insensitive_with_word_boundaries():
    matcher = _matcher((1, '"café tanger"', [], []), (2, "inwi", [], []))
    assert [m.query.id for m in matcher.match("J'adore le CAFE TANGÈR de Rabat")] == [1]
    assert matcher.match("cafétéria tangerine") == []
    assert [m.query.id for m in matcher.match("Inwi, merci !")] == [2]
    assert matcher.match("inwifi") == []


def test_matching_arabic_darija_and_arabizi():
    matcher = _matcher(
        (1, "اتصالات", [], []),
        (2, '"قهوة طنجة" OR "9ahwa tanja"', [], []),
    )
    assert [m.query.id for m in matcher.match("شبكة اتصالات المغرب خايبة بزاف")] == [1]
    assert [m.query.id for m in matcher.match("القهوة في قهوةُ طنجةَ زوينة")] == [2]
    assert [m.query.id for m in matcher.match("l 9ahwa tanja zwina bzaf")] == [2]
    assert matcher.match("والاتصالات") == []  # a prefix glued to the word is another word


def test_boolean_expression_excluded_words_and_languages():
    matcher = _matcher(
        (1, "atlas AND (telecom OR reseau) NOT promo", ["recrutement"], []),
        (2, "atlas", [], ["en"]),
    )
    assert [m.query.id for m in matcher.match("Atlas Télécom en panne", language="fr")] == [1]
    assert matcher.match("Atlas télécom promo", language="fr") == []
    assert matcher.match("Atlas réseau recrutement", language="fr") == []
    assert [m.query.id for m in matcher.match("Atlas telecom", language="en")] == [1, 2]


def test_darija_query_accepts_both_scripts():
    matcher = _matcher((1, "inwi", [], ["ary"]))
    assert matcher.match("inwi khayba", language="ary-Latn")
    assert matcher.match("inwi خايبة", language="ary")
    assert not matcher.match("inwi is bad", language="en")


def test_matched_terms_are_reported_for_highlighting():
    matcher = _matcher((1, '"café tanger" OR rabat', [], []))
    (match,) = matcher.match("Café Tanger à Rabat")
    assert match.terms == {"cafe tanger", "rabat"}


def test_highlight_spans_map_back_to_the_original_text():
    text = "Le CAFÉ Tanger et le café tangerois"
    spans = highlight_spans(text, ["cafe tanger"])
    assert [text[a:b] for a, b in spans] == ["CAFÉ Tanger"]


def test_highlight_filter_escapes_untrusted_text():
    from reputation.templatetags.listening import highlight

    html = highlight('<img src=x onerror="alert(1)"> Café Tanger', ["cafe tanger"])
    assert "<img" not in html and "&lt;img" in html
    assert "<mark>Café Tanger</mark>" in html


# --- language -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Le service client de cette marque est vraiment excellent", "fr"),
        ("The customer service of this brand is really excellent", "en"),
        ("خدمة الزبناء في هذه الشركة ممتازة جدا", "ar"),
        ("الخدمة ديال هاد الشركة مزيانة بزاف", "ary"),
        ("ماعجبنيش المنتوج", "ary"),
        ("l khedma dyal had charika mzyana bzaf", "ary-Latn"),
        ("wach kayn chi wa7ed 3ndo had lmochkil?", "ary-Latn"),
        ("3la slama", "ary-Latn"),
        ("👍👍", "und"),
        ("", "und"),
    ],
)
def test_language_detection(text, language):
    assert detect_language(text) == language


def test_short_text_uses_the_feeds_declared_language():
    assert detect_language("Super !", hint="fr-FR") == "fr"
