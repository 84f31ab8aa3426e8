"""English: vaderSentiment with our additions (lexicons/en_extra.tsv)."""

from __future__ import annotations

import re

from reputation.sentiment.lexicon import (
    LEXICON_DIR,
    Sentiment,
    emoji_lexicon,
    label_for,
    load_lexicon,
    normalise_score,
)

_CLAUSES = re.compile(r"[,;.!?،؛؟\n]+")
_EN_CONTRAST = ("but ", "however ", "though ", "yet ")


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
        score = round(normalise_score(total), 4)
        return Sentiment(score, label_for(score))
