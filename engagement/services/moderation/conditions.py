"""Does a message meet a rule's conditions? Pure functions of the message's facts: the same
code decides at ingest and in the dry run, so a dry run shows what the rule will really do.

Each condition in use gives a short reason ("keywords", "abuse: insult 0.82"); a rule with
``match="all"`` needs every reason, ``"any"`` one. The reasons travel with the action (audit,
webhook ``reason``) so that people can see why a rule acted.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from engagement.models import AuthorList, MatchMode, ModerationRule
from reputation import expressions
from reputation.abuse.patterns import phones
from reputation.matching import Matcher, compile_query
from reputation.text import fold

# A link as people write it: with a scheme, "www.", or a domain followed by a path.
LINK = re.compile(
    r"(?:https?://|www\.)[^\s<>\"']+|(?<![@\w.])(?:[a-z0-9-]+\.)+[a-z]{2,12}/[^\s<>\"']*",
    re.IGNORECASE,
)
EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[a-z]{2,12}\b", re.IGNORECASE)
WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class MessageFacts:
    """What the conditions look at, gathered once per message (by ``apply`` or ``dry_run``)."""

    text: str
    language: str
    sentiment: str
    abuse_labels: dict[str, float]
    kind: str
    network: str
    author_list: str = ""  # AuthorList value, or "" when the author is on no list
    followers: int | None = None
    first_message: bool = False


def has_link(text: str) -> bool:
    return "." in text and LINK.search(text) is not None


def has_email(text: str) -> bool:
    return "@" in text and EMAIL.search(text) is not None


def has_phone(text: str) -> bool:
    return any(c.isdigit() for c in text) and bool(phones(text))


def word_count(text: str) -> int:
    return len(WORD.findall(text))


@dataclass
class CompiledRule:
    rule: ModerationRule
    expression: expressions.Node | None
    matcher: Matcher | None
    checks: list[tuple[str, Callable[[MessageFacts], str]]] = field(default_factory=list)


def rule_compile(rule: ModerationRule) -> CompiledRule:
    """Parse the rule's keyword expression once. Raises expressions.ExpressionError (a rule
    saved through the service never does)."""
    compiled = CompiledRule(rule, None, None)
    if rule.expression.strip():
        query = compile_query(
            id=rule.pk or 0,
            brand_id=rule.brand_id,
            expression=rule.expression,
            excluded_words=[],
            languages=[],
            voice="",
        )
        compiled.expression, compiled.matcher = query.expression, Matcher.build([query])
    compiled.checks = _checks(compiled)
    return compiled


def _keywords(compiled: CompiledRule, facts: MessageFacts) -> str:
    assert compiled.expression is not None and compiled.matcher is not None
    found = frozenset(compiled.matcher.terms_in(fold(facts.text)))
    # Whole words, folded (case, accents, Arabic diacritics), as listening's queries match.
    return "keywords" if compiled.expression.evaluate(found) else ""


def _checks(compiled: CompiledRule) -> list[tuple[str, Callable[[MessageFacts], str]]]:
    """(name, check) for each condition in use; a check returns its reason or ""."""
    rule = compiled.rule
    checks: list[tuple[str, Callable[[MessageFacts], str]]] = []
    if compiled.expression is not None:
        checks.append(("expression", lambda f: _keywords(compiled, f)))
    if rule.languages:
        checks.append(
            (
                "languages",
                lambda f: f"language: {f.language}" if f.language in rule.languages else "",
            )
        )
    if rule.sentiments:
        checks.append(
            (
                "sentiments",
                lambda f: f"sentiment: {f.sentiment}" if f.sentiment in rule.sentiments else "",
            )
        )
    if rule.abuse_label:

        def abuse(f: MessageFacts) -> str:
            score = f.abuse_labels.get(rule.abuse_label)
            if score is not None and score >= rule.abuse_min_score:
                return f"abuse: {rule.abuse_label} {score:.2f}"
            return ""

        checks.append(("abuse_label", abuse))
    if rule.kinds:
        checks.append(("kinds", lambda f: f"type: {f.kind}" if f.kind in rule.kinds else ""))
    if rule.networks:
        checks.append(
            ("networks", lambda f: f"network: {f.network}" if f.network in rule.networks else "")
        )
    if rule.has_link:
        checks.append(("has_link", lambda f: "link" if has_link(f.text) else ""))
    if rule.has_email:
        checks.append(("has_email", lambda f: "e-mail address" if has_email(f.text) else ""))
    if rule.has_phone:
        checks.append(("has_phone", lambda f: "phone number" if has_phone(f.text) else ""))
    if rule.min_words is not None or rule.max_words is not None:

        def words(f: MessageFacts) -> str:
            n = word_count(f.text)
            if rule.min_words is not None and n < rule.min_words:
                return ""
            if rule.max_words is not None and n > rule.max_words:
                return ""
            return f"{n} words"

        checks.append(("words", words))
    if rule.author_list:
        checks.append(
            (
                "author_list",
                lambda f: (
                    f"author {AuthorList(rule.author_list).value}"
                    if f.author_list == rule.author_list
                    else ""
                ),
            )
        )
    if rule.min_followers is not None:
        minimum = rule.min_followers
        checks.append(
            (
                "min_followers",
                lambda f: (
                    f"{f.followers} followers"
                    if f.followers is not None and f.followers >= minimum
                    else ""
                ),
            )
        )
    if rule.first_message:
        checks.append(("first_message", lambda f: "first message" if f.first_message else ""))
    return checks


def rule_reasons(compiled: CompiledRule, facts: MessageFacts) -> list[str] | None:
    """The reasons the rule matches ``facts``, or None when it does not. A rule without any
    condition matches nothing (the service refuses to save one)."""
    checks = compiled.checks
    if not checks:
        return None
    reasons = [reason for _, check in checks if (reason := check(facts))]
    if compiled.rule.match == MatchMode.ANY:
        return reasons or None
    return reasons if len(reasons) == len(checks) else None


def conditions_in_use(rule: ModerationRule) -> list[str]:
    return [name for name, _ in rule_compile(rule).checks]
