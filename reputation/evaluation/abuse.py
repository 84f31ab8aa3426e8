"""Measure the abuse detector: per-label precision, recall and F1, and macro-F1, per language.

The data files beside this module (``abuse_eval.jsonl`` held out, ``abuse_dev.jsonl`` for
development) were written before the word lists; build_notes.md says by whom and what they
can and cannot show.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass

from reputation.abuse import LABELS, analyse
from reputation.evaluation import DATA_DIR

LANGUAGES = ("fr", "en", "ar", "ary_arab", "ary_latn")
DATASETS = {"eval": "abuse_eval.jsonl", "dev": "abuse_dev.jsonl"}


@dataclass
class LabelScores:
    support: int  # gold items with the label
    precision: float
    recall: float
    f1: float


@dataclass
class Scores:
    language: str
    items: int
    per_label: dict[str, LabelScores]
    macro_f1: float  # mean F1 over the labels the language's gold items have
    clean_items: int
    false_alarms: int  # clean items given some label


def load(dataset: str = "eval") -> list[dict]:
    path = DATA_DIR / DATASETS[dataset]
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def _ratio(num: int, den: int) -> float:
    return num / den if den else 0.0


def score(pairs: list[tuple[set[str], set[str]]], language: str) -> Scores:
    """``pairs`` of (gold labels, predicted labels), one per item."""
    per_label = {}
    for label in LABELS:
        tp = sum(1 for gold, got in pairs if label in gold and label in got)
        fp = sum(1 for gold, got in pairs if label not in gold and label in got)
        fn = sum(1 for gold, got in pairs if label in gold and label not in got)
        precision, recall = _ratio(tp, tp + fp), _ratio(tp, tp + fn)
        f1 = _ratio(2 * precision * recall, precision + recall)
        per_label[label] = LabelScores(tp + fn, precision, recall, f1)
    present = [label for label, found in per_label.items() if found.support]
    clean = [got for gold, got in pairs if not gold]
    return Scores(
        language=language,
        items=len(pairs),
        per_label=per_label,
        macro_f1=_ratio(sum(per_label[label].f1 for label in present), len(present)),
        clean_items=len(clean),
        false_alarms=sum(1 for got in clean if got),
    )


def predictions(items: list[dict]) -> list[tuple[dict, set[str]]]:
    return [(item, set(analyse(item["text"]).labels)) for item in items]


def evaluate(items: list[dict]) -> dict[str, Scores]:
    """Scores per language, in LANGUAGES order, then ``all`` over every item."""
    pairs: dict[str, list[tuple[set[str], set[str]]]] = defaultdict(list)
    for item, got in predictions(items):
        pairs[item["language"]].append((set(item["labels"]), got))
    found = {lang: score(pairs[lang], lang) for lang in LANGUAGES if pairs.get(lang)}
    found["all"] = score([pair for lang in pairs for pair in pairs[lang]], "all")
    return found


def errors(items: list[dict]) -> list[tuple[dict, set[str]]]:
    return [(item, got) for item, got in predictions(items) if got != set(item["labels"])]
