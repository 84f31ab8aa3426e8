"""Sentiment: per-language rules, the evaluation targets, corrections measured."""

import io

import pytest
from django.core.management import call_command
from hypothesis import given, settings
from hypothesis import strategies as st

from reputation import evaluation
from reputation.sentiment.analysis import analyse


@pytest.mark.parametrize(
    ("positive", "negated", "language"),
    [
        ("Je suis content du service", "Je ne suis pas content du service", "fr"),
        ("Le service est bon", "Le service n'est jamais bon", "fr"),
        ("The service is good", "The service is not good", "en"),
        ("The staff were helpful", "The staff weren't helpful", "en"),
        ("الخدمة جيدة", "الخدمة ليست جيدة", "ar"),
        ("عجبني المنتوج", "ماعجبنيش المنتوج", "ary"),
        ("المنتوج مزيان", "المنتوج ماشي مزيان", "ary"),
        ("3jbni lproduit", "ma3jbnich lproduit", "ary-Latn"),
        ("produit mzyan", "produit machi mzyan", "ary-Latn"),
    ],
)
def test_negation_turns_praise_into_criticism(positive, negated, language):
    assert analyse(positive, language).label == "positive"
    assert analyse(negated, language).score < 0


@pytest.mark.parametrize(
    ("plain", "stronger", "language"),
    [
        ("C'est bon", "C'est très bon", "fr"),
        ("It is good", "It is extremely good", "en"),
        ("الخدمة جيدة", "الخدمة جيدة جدا", "ar"),
        ("الخدمة مزيانة", "الخدمة مزيانة بزاف", "ary"),
        ("service zwin", "service zwin bzaf", "ary-Latn"),
        ("service zwin", "service zwiiiiin", "ary-Latn"),
    ],
)
def test_intensifiers_and_elongation_strengthen(plain, stronger, language):
    assert analyse(stronger, language).score >= analyse(plain, language).score > 0


def test_emoji_and_emoticons_carry_sentiment():
    assert analyse("Café Tanger 😍🔥", "fr").label == "positive"
    assert analyse("Atlas Télécom 😡👎", "fr").label == "negative"
    assert analyse("inwi :(", "ary-Latn").label == "negative"
    assert analyse("Thanks :)", "en").label == "positive"


def test_contrast_gives_weight_to_what_follows():
    assert analyse("Le café est bon mais le service est horrible", "fr").label == "negative"
    assert analyse("The coffee is good but the service is horrible", "en").label == "negative"


def test_neutral_news_stays_neutral():
    assert analyse("Le magasin sera fermé lundi pour inventaire", "fr").label == "neutral"
    assert analyse("المتجر مغلق يوم الاثنين", "ar").label == "neutral"


@settings(max_examples=200, deadline=None)
@given(
    st.text(max_size=300),
    st.sampled_from(["fr", "en", "ar", "ary", "ary-Latn", "und"]),
)
def test_score_is_always_between_minus_one_and_one(text, language):
    result = analyse(text, language)
    assert -1.0 <= result.score <= 1.0
    assert result.label in {"positive", "neutral", "negative"}


def test_the_shipped_evaluation_set_meets_the_targets():
    items = evaluation.load("eval")
    assert len(items) >= 300
    assert {i["language"] for i in items} == {"fr", "en", "ar", "ary"}
    scores = evaluation.evaluate(items)
    assert scores["fr"].macro_f1 >= 0.75
    assert scores["en"].macro_f1 >= 0.75
    assert scores["ar"].macro_f1 >= 0.6
    assert scores["ary"].macro_f1 >= 0.6


def test_dev_and_eval_sets_do_not_overlap():
    dev = {i["text"] for i in evaluation.load("dev")}
    assert not dev & {i["text"] for i in evaluation.load("eval")}


def test_evaluate_sentiment_prints_accuracy_and_macro_f1_per_language():
    out = io.StringIO()
    call_command("evaluate_sentiment", stdout=out)
    text = out.getvalue()
    for language in ("fr", "en", "ar", "ary"):
        assert f"\n{language} " in text
    assert "macro-F1" in text and "MISSED" not in text


def test_evaluate_sentiment_measures_users_corrections(agency_a, brand_a, member_of_a, in_agency):
    from reputation.services.mentions import mention_correct_sentiment
    from reputation.tests.factories import MentionFactory

    mention = MentionFactory(
        agency=agency_a,
        brand=brand_a,
        title="",
        text="Service client nul, très déçu",
        sentiment_label="neutral",
    )
    with in_agency(agency_a):
        mention_correct_sentiment(actor=member_of_a, mention=mention, label="negative")
    out = io.StringIO()
    call_command("evaluate_sentiment", "--corrections", stdout=out)
    assert "1 sentiment corrections" in out.getvalue()
    assert "fr" in out.getvalue()
