"""The one entry point: ``analyse(text) -> AbuseResult``."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from reputation.abuse.lexicon import LABELS, Hit, matcher, tokens
from reputation.abuse.patterns import signals

# A label is given at or above its threshold. Entries weigh 0..1 and combine as independent
# evidence (1 - Π(1 - w)): one strong word is enough, a weak one needs company.
THRESHOLDS = {label: 0.5 for label in LABELS}
# Ambiguous insults ("âne", "dog", "حمار", "7mar": animals, not always people) weigh less
# than this; aimed at someone ("espèce d'âne", "يا حمار", "a l7mar") they weigh ADDRESSED.
ADDRESSED = 0.8
ADDRESS_WINDOW = 2
# "il m'a traité d'idiot", "he called me stupid": a report of an insult, not an insult.
REPORTED_FACTOR = 0.3
REPORT_WINDOW = 4
# An insult word inside a hateful sentence is part of the hate ("tous des voleurs").
INSULT_IN_HATE_FACTOR = 0.5
# Fraud words already this strong ("gagnez", "garanti") make a link beside them the fraud's.
SCAM_LEANING = 0.3
MAX_CHARS = 5000


@dataclass(frozen=True)
class AbuseResult:
    """``labels``: the labels given, with their score (0..1), strongest first; empty when the
    text is clean. ``scores``: every label with some evidence, given or not (rules may use
    their own threshold). ``evidence``: what was found, per label, for people to check."""

    labels: dict[str, float]
    scores: dict[str, float] = field(default_factory=dict)
    evidence: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def top(self) -> str | None:
        return next(iter(self.labels), None)

    @property
    def is_abusive(self) -> bool:
        return bool(self.labels)


CLEAN = AbuseResult(labels={})


def _near(positions: list[int], start: int, window: int) -> bool:
    return any(start - window <= p < start for p in positions)


def _word_weights(hits: list[Hit]) -> list[tuple[str, float, str]]:
    address = [h.end for h in hits if h.entry.label == "address"]
    report = [h.end for h in hits if h.entry.label == "report"]
    weighted = []
    for hit in hits:
        label, weight = hit.entry.label, hit.entry.weight
        if label not in THRESHOLDS:
            continue
        if label == "insult":
            if weight < THRESHOLDS[label] and _near(address, hit.start, ADDRESS_WINDOW):
                weight = max(weight, ADDRESSED)
            if _near(report, hit.start, REPORT_WINDOW):
                weight *= REPORTED_FACTOR
        weighted.append((label, weight, hit.entry.phrase))
    return weighted


def _combine(evidence: list[tuple[str, float, str]]) -> dict[str, float]:
    remaining: dict[str, float] = defaultdict(lambda: 1.0)
    for label, weight, _ in evidence:
        remaining[label] *= 1.0 - weight
    return {label: round(1.0 - rest, 3) for label, rest in remaining.items() if rest < 1.0}


def analyse(text: str) -> AbuseResult:
    """Abuse labels of ``text`` in any of fr, en, ar and Darija (both scripts), mixed or not.

    The word lists apply by the script of each word, so the caller need not know the language
    and code-switched posts are covered. Guarantees: never raises on text, needs no network
    and no model, at most the first ``MAX_CHARS`` characters are read.
    """
    if not text or not text.strip():
        return CLEAN
    text = text[:MAX_CHARS]
    found = _word_weights(matcher().find(tokens(text)))
    pattern_signals = signals(text)
    found += [
        (s.label, s.weight, s.evidence) for s in pattern_signals if not s.link or s.label == "scam"
    ]
    scam_leaning = _combine(found).get("scam", 0.0) >= SCAM_LEANING
    for signal in (s for s in pattern_signals if s.link and s.label != "scam"):
        # A link beside fraud words serves the fraud: the scam's evidence, not a second label.
        label = "scam" if scam_leaning else signal.label
        found.append((label, signal.weight, signal.evidence))
    scores = _combine(found)
    if scores.get("hate", 0.0) >= THRESHOLDS["hate"] and "insult" in scores:
        insult = [(lbl, w * INSULT_IN_HATE_FACTOR, e) for lbl, w, e in found if lbl == "insult"]
        scores["insult"] = _combine(insult).get("insult", 0.0)
    given = {
        label: score
        for label, score in sorted(scores.items(), key=lambda item: -item[1])
        if score >= THRESHOLDS[label]
    }
    evidence: dict[str, list[str]] = defaultdict(list)
    for label, _, term in found:
        if term not in evidence[label]:
            evidence[label].append(term)
    return AbuseResult(
        labels=given,
        scores=dict(sorted(scores.items())),
        evidence={label: tuple(terms) for label, terms in sorted(evidence.items())},
    )
