"""The one entry point: ``analyse(text, language) -> Sentiment(score, label)``."""

from __future__ import annotations

import functools
from pathlib import Path

from reputation.sentiment.languages import analyser_for
from reputation.sentiment.lexicon import Sentiment


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
