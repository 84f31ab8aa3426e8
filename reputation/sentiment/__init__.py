"""Sentiment: one interface, an analyser per language.

Modules: ``analysis`` (the entry point, ``analyse``), ``lexicon`` (scores, labels and the
lexicon-and-rules analyser), ``english`` (VADER), ``languages`` (each language's words and rules).

``analyse(text, language) -> Sentiment(score, label)``: a score in −1..1 and a label.

* English: vaderSentiment (lexicon and rules), with our additions (lexicons/en_extra.tsv).
* French, Arabic, Darija (both scripts): :class:`LexiconAnalyser`, the same rules with each
  language's words: negation ("ne … pas/jamais/plus", "لا/ليس/ما/لم/لن/غير", Darija "ما…ش" /
  "ma…ch" around the verb and "ماشي"/"machi"), intensifiers ("très", "بزاف", "bzaf"), a
  contrast word ("mais", "لكن", "walakin") that shifts the weight to what follows, repeated
  letters ("bzaaaf"), emoji and emoticons.
* An optional transformer classifier when ``SENTIMENT_MODEL_DIR`` names a local model
  directory (never downloaded; see docs/listening.md).

Unknown languages are scored with the French and English word lists together (emoji always).
"""
