"""Measure the sentiment analysers: accuracy and macro-F1 per language.

The data files beside this module are hand-written (see build_notes.md). Corrections made by
users (SentimentCorrection) can be measured the same way.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from reputation.sentiment.analysis import analyse

DATA_DIR = Path(__file__).parent
LABELS = ("positive", "neutral", "negative")


@dataclass
class Scores:
    language: str
    items: int
    accuracy: float
    macro_f1: float
    per_label_f1: dict[str, float]


def load(name: str = "eval") -> list[dict]:
    path = DATA_DIR / f"{name}.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def analyser_language(item: dict) -> str:
    if item["language"] == "ary" and item.get("script") == "Latn":
        return "ary-Latn"
    return item["language"]


def score(pairs: list[tuple[str, str]], language: str) -> Scores:
    """``pairs`` of (gold, predicted) labels."""
    correct = sum(1 for gold, predicted in pairs if gold == predicted)
    f1s = {}
    for label in LABELS:
        tp = sum(1 for g, p in pairs if g == label and p == label)
        fp = sum(1 for g, p in pairs if g != label and p == label)
        fn = sum(1 for g, p in pairs if g == label and p != label)
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1s[label] = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    present = [label for label in LABELS if any(g == label for g, _ in pairs)]
    macro = sum(f1s[label] for label in present) / len(present) if present else 0.0
    return Scores(
        language=language,
        items=len(pairs),
        accuracy=correct / len(pairs) if pairs else 0.0,
        macro_f1=macro,
        per_label_f1=f1s,
    )


def evaluate(items: list[dict]) -> dict[str, Scores]:
    """Scores per language (ary covers both scripts) for items with text, language, label."""
    pairs: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for item in items:
        predicted = analyse(item["text"], analyser_language(item)).label
        pairs[item["language"]].append((item["label"], predicted))
    return {language: score(found, language) for language, found in sorted(pairs.items())}


def errors(items: list[dict]) -> list[tuple[dict, str, float]]:
    found = []
    for item in items:
        result = analyse(item["text"], analyser_language(item))
        if result.label != item["label"]:
            found.append((item, result.label, result.score))
    return found
