"""Match a text against every active query of an agency in one pass.

One Aho-Corasick automaton (pyahocorasick) holds every term of every active query of every
brand of the agency, and their excluded words. Scanning a text costs the length of the text plus
the hits, whatever the number of queries; only the queries whose terms were found have their
boolean expression evaluated.

Automata are cached per process and per agency under a version key (the number of active
queries and the latest ``updated_at``), read with one small query per batch: a query edited in
the dashboard is used by every worker from its next batch on.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from dataclasses import dataclass, field

import ahocorasick

from reputation import expressions
from reputation.text import fold, fold_with_offsets, is_word_char

ANY_LANGUAGE = object()  # match() without a language filter; the caller applies it later


@dataclass(frozen=True)
class CompiledQuery:
    id: int
    brand_id: int
    expression: expressions.Node
    excluded: frozenset[str]
    languages: frozenset[str]
    voice: str


@dataclass
class QueryMatch:
    query: CompiledQuery
    terms: frozenset[str]


@dataclass
class Matcher:
    """An automaton over the folded terms of a set of queries."""

    queries: dict[int, CompiledQuery]
    automaton: ahocorasick.Automaton | None
    # term -> ids of queries for which finding it may make the expression true
    term_queries: dict[str, tuple[int, ...]] = field(default_factory=dict)

    @classmethod
    def build(cls, queries: list[CompiledQuery]) -> Matcher:
        automaton = ahocorasick.Automaton()
        term_queries: dict[str, set[int]] = defaultdict(set)
        terms: set[str] = set()
        for query in queries:
            for term in expressions.positive_terms(query.expression):
                term_queries[term].add(query.id)
            terms |= expressions.all_terms(query.expression) | query.excluded
        for term in terms:
            if term:
                automaton.add_word(term, term)
        if len(automaton):
            automaton.make_automaton()
        return cls(
            queries={q.id: q for q in queries},
            automaton=automaton if len(automaton) else None,
            term_queries={t: tuple(sorted(ids)) for t, ids in term_queries.items()},
        )

    def terms_in(self, folded: str) -> set[str]:
        """Terms found in a folded text as whole words."""
        found: set[str] = set()
        if self.automaton is None:
            return found
        last = len(folded) - 1
        for end, term in self.automaton.iter(folded):
            if term in found:
                continue
            start = end - len(term) + 1
            if start > 0 and is_word_char(folded[start - 1]) and is_word_char(term[0]):
                continue
            if end < last and is_word_char(folded[end + 1]) and is_word_char(term[-1]):
                continue
            found.add(term)
        return found

    def match(self, text: str, *, language=ANY_LANGUAGE, folded: str | None = None):
        """Queries satisfied by ``text`` (title and body together), with the terms found."""
        found = self.terms_in(folded if folded is not None else fold(text))
        if not found:
            return []
        candidates: set[int] = set()
        for term in found:
            candidates.update(self.term_queries.get(term, ()))
        matches = []
        frozen = frozenset(found)
        for query_id in sorted(candidates):
            query = self.queries[query_id]
            if language is not ANY_LANGUAGE and not language_allowed(language, query):
                continue
            if query.excluded & frozen:
                continue
            if query.expression.evaluate(frozen):
                terms = frozenset(expressions.positive_terms(query.expression) & frozen)
                matches.append(QueryMatch(query, terms))
        return matches


def language_allowed(language: str, query: CompiledQuery) -> bool:
    allowed = query.languages
    if not allowed or language in allowed:
        return True
    # A query for Darija accepts both scripts.
    return language.startswith("ary") and bool({"ary", "ary-Latn"} & allowed)


def compile_query(*, id, brand_id, expression, excluded_words, languages, voice) -> CompiledQuery:
    return CompiledQuery(
        id=id,
        brand_id=brand_id,
        expression=expressions.parse(expression),
        excluded=frozenset(" ".join(fold(w).split()) for w in excluded_words if w.strip()),
        languages=frozenset(languages or ()),
        voice=voice,
    )


# --- Per-process cache ----------------------------------------------------------------------

_cache: dict[int, tuple[tuple, Matcher]] = {}
_lock = threading.Lock()


def matcher_for_agency(agency_id: int) -> Matcher:
    """The agency's matcher, rebuilt when its active queries changed since the last call.
    Read inside the agency's tenant scope (the ingest's)."""
    from django.db.models import Count, Max, Q

    from reputation.models.queries import ListeningQuery

    # One small query: any edit bumps updated_at, a deletion changes the count, archiving a
    # brand changes the archived count.
    version = tuple(
        ListeningQuery.objects.filter(agency_id=agency_id)
        .aggregate(
            n=Count("id"),
            latest=Max("updated_at"),
            archived=Count("id", filter=Q(brand__archived_at__isnull=False)),
        )
        .values()
    )
    cached = _cache.get(agency_id)
    if cached and cached[0] == version:
        return cached[1]
    with _lock:
        cached = _cache.get(agency_id)
        if cached and cached[0] == version:
            return cached[1]
        rows = ListeningQuery.objects.filter(
            agency_id=agency_id, active=True, brand__archived_at=None
        ).values(
            "id",
            "brand_id",
            "expression",
            "excluded_words",
            "languages",
            "is_competitor",
            "competitor_name",
            "name",
        )
        compiled = []
        for row in rows:
            try:
                compiled.append(
                    compile_query(
                        id=row["id"],
                        brand_id=row["brand_id"],
                        expression=row["expression"],
                        excluded_words=row["excluded_words"] or [],
                        languages=row["languages"] or [],
                        voice=(row["competitor_name"] or row["name"])
                        if row["is_competitor"]
                        else "",
                    )
                )
            except expressions.ExpressionError:
                continue  # saved through the service, so valid; a hand-edited row is skipped
        matcher = Matcher.build(compiled)
        _cache[agency_id] = (version, matcher)
        return matcher


def clear_cache() -> None:
    _cache.clear()


# --- Highlighting ---------------------------------------------------------------------------


def highlight_spans(text: str, terms: list[str]) -> list[tuple[int, int]]:
    """(start, end) character ranges of ``terms`` (folded) in the original ``text``."""
    if not text or not terms:
        return []
    folded, offsets = fold_with_offsets(text)
    automaton = ahocorasick.Automaton()
    for term in set(terms):
        if term:
            automaton.add_word(term, term)
    if not len(automaton):
        return []
    automaton.make_automaton()
    spans = []
    last = len(folded) - 1
    for end, term in automaton.iter(folded):
        start = end - len(term) + 1
        if start > 0 and is_word_char(folded[start - 1]) and is_word_char(term[0]):
            continue
        if end < last and is_word_char(folded[end + 1]) and is_word_char(term[-1]):
            continue
        spans.append((offsets[start], offsets[end] + 1))
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged
