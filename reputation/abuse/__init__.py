"""Abuse detection: insults, hate, sexual content, threats, spam and scams, offline.

One entry point, for the listening pipeline and for moderation rules alike::

    from reputation.abuse import analyse

    result = analyse("Espèce d'idiot, DM moi")
    result.labels   # {"insult": 0.8, "spam": 0.6}: labels given, strongest first; {} = clean
    result.top      # "insult", or None
    result.scores   # every label with some evidence, given or not (0..1)
    result.evidence # {"insult": ("idiot", "espece de"), ...}: what was found, per label

French, English, Arabic and Darija in both scripts (Arabizi), mixed in one post or not: the
word lists (``reputation/lexicons/abuse_*.tsv``) apply by the script of each word, after the
project's folding and a few abuse-specific normalisations (``lexicon``); phone numbers, links
and sums of money are patterns (``patterns``). No model, no download, no network. Measured by
``manage.py evaluate_abuse`` on ``reputation/evaluation/abuse_eval.jsonl`` (docs/listening.md
and docs/performance.md say how well, and what the figures cannot show).
"""

from reputation.abuse.analysis import THRESHOLDS, AbuseResult, analyse
from reputation.abuse.lexicon import LABELS

__all__ = ["LABELS", "THRESHOLDS", "AbuseResult", "analyse"]
