"""Listening query expressions: parse, explain errors by position, evaluate on matched terms.

Grammar (operators in capitals or lower case, in English or French)::

    expression := or
    or         := and (("OR" | "OU" | ",") and)*
    and        := unary (["AND" | "ET"] unary)*       # two terms side by side mean AND
    unary      := ("NOT" | "SAUF" | "-") unary | primary
    primary    := word | "exact phrase" | "(" expression ")"

Terms are compared in their folded form (reputation.text.fold): case, accents and Arabic
diacritics do not matter. A term matches whole words only ("cafe" does not match "cafeteria").
Errors are :class:`ExpressionError` with the 1-based character position of the problem.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from reputation.text import fold, is_word_char

MAX_EXPRESSION_CHARS = 2000
MAX_TERMS = 200
# Parentheses and negations nest at most this deep: the parser and every walk of the tree
# recurse once per level, and 300 levels (or "-" x 2,000) exhausted Python's stack.
MAX_DEPTH = 20

_OPERATORS = {"and": "AND", "et": "AND", "or": "OR", "ou": "OR", "not": "NOT", "sauf": "NOT"}


class ExpressionError(ValueError):
    """An invalid expression; ``position`` is 1-based, as people count characters."""

    def __init__(self, message: str, position: int):
        super().__init__(message)
        self.message = message
        self.position = position


# --- Syntax tree ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Term:
    text: str  # folded

    def evaluate(self, found: frozenset[str] | set[str]) -> bool:
        return self.text in found


@dataclass(frozen=True)
class Not:
    operand: Node

    def evaluate(self, found) -> bool:
        return not self.operand.evaluate(found)


@dataclass(frozen=True)
class And:
    operands: tuple[Node, ...]

    def evaluate(self, found) -> bool:
        return all(operand.evaluate(found) for operand in self.operands)


@dataclass(frozen=True)
class Or:
    operands: tuple[Node, ...]

    def evaluate(self, found) -> bool:
        return any(operand.evaluate(found) for operand in self.operands)


Node = Term | Not | And | Or


def positive_terms(node: Node, negated: bool = False) -> set[str]:
    """Terms whose presence can make the expression true: the ones worth searching for."""
    if isinstance(node, Term):
        return set() if negated else {node.text}
    if isinstance(node, Not):
        return positive_terms(node.operand, not negated)
    return set().union(*(positive_terms(child, negated) for child in node.operands))


def all_terms(node: Node) -> set[str]:
    if isinstance(node, Term):
        return {node.text}
    if isinstance(node, Not):
        return all_terms(node.operand)
    return set().union(*(all_terms(child) for child in node.operands))


# --- Tokens ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Token:
    kind: str  # TERM, AND, OR, NOT, LPAREN, RPAREN, END
    value: str
    position: int  # 1-based


def _tokenise(source: str) -> list[_Token]:
    tokens: list[_Token] = []
    i, n = 0, len(source)
    while i < n:
        char = source[i]
        if char.isspace():
            i += 1
        elif char == "(":
            tokens.append(_Token("LPAREN", char, i + 1))
            i += 1
        elif char == ")":
            tokens.append(_Token("RPAREN", char, i + 1))
            i += 1
        elif char == ",":
            tokens.append(_Token("OR", char, i + 1))
            i += 1
        elif char == "-" and (i + 1 < n and not source[i + 1].isspace()):
            tokens.append(_Token("NOT", char, i + 1))
            i += 1
        elif char in '"“”«»':
            closing = {"“": "”", "«": "»"}.get(char, '"”')
            end = next((j for j in range(i + 1, n) if source[j] in closing), -1)
            if end == -1:
                raise ExpressionError(
                    _("Unclosed quote at character %(position)d.") % {"position": i + 1}, i + 1
                )
            phrase = " ".join(source[i + 1 : end].split())
            if not any(is_word_char(c) for c in phrase):
                raise ExpressionError(
                    _("Empty phrase at character %(position)d.") % {"position": i + 1}, i + 1
                )
            tokens.append(_Token("TERM", phrase, i + 1))
            i = end + 1
        else:
            start = i
            while i < n and not source[i].isspace() and source[i] not in '()",“”«»':
                i += 1
            word = source[start:i]
            operator = _OPERATORS.get(word.lower()) if word.isupper() or word.islower() else None
            # All-capital or all-lower operators count; quote them to search for the word.
            if operator:
                tokens.append(_Token(operator, word, start + 1))
            else:
                if not any(is_word_char(c) for c in word):
                    raise ExpressionError(
                        _("“%(word)s” at character %(position)d is not a word.")
                        % {"word": word, "position": start + 1},
                        start + 1,
                    )
                tokens.append(_Token("TERM", word, start + 1))
    tokens.append(_Token("END", "", n + 1))
    return tokens


# --- Parser ---------------------------------------------------------------------------------


class _Parser:
    def __init__(self, tokens: list[_Token]):
        self.tokens = tokens
        self.index = 0
        self.depth = 0

    def enter(self, token: _Token) -> None:
        """One level deeper (a parenthesis or a negation), refused past MAX_DEPTH."""
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ExpressionError(
                _(
                    "The expression nests more than %(max)d levels of parentheses and "
                    "negations, at character %(position)d."
                )
                % {"max": MAX_DEPTH, "position": token.position},
                token.position,
            )

    @property
    def current(self) -> _Token:
        return self.tokens[self.index]

    def advance(self) -> _Token:
        token = self.tokens[self.index]
        self.index += 1
        return token

    def parse(self) -> Node:
        node = self.parse_or()
        token = self.current
        if token.kind == "RPAREN":
            raise ExpressionError(
                _("Unbalanced parenthesis at character %(position)d: nothing opens it.")
                % {"position": token.position},
                token.position,
            )
        if token.kind != "END":  # pragma: no cover - every other token starts a term
            raise ExpressionError(
                _("Unexpected “%(token)s” at character %(position)d.")
                % {"token": token.value, "position": token.position},
                token.position,
            )
        return node

    def parse_or(self) -> Node:
        operands = [self.parse_and()]
        while self.current.kind == "OR":
            operator = self.advance()
            operands.append(self.parse_and(after=operator))
        return operands[0] if len(operands) == 1 else Or(tuple(operands))

    def parse_and(self, after: _Token | None = None) -> Node:
        operands = [self.parse_unary(after)]
        while self.current.kind in {"AND", "TERM", "NOT", "LPAREN"}:
            operator = self.advance() if self.current.kind == "AND" else None
            operands.append(self.parse_unary(operator))
        return operands[0] if len(operands) == 1 else And(tuple(operands))

    def parse_unary(self, after: _Token | None = None) -> Node:
        if self.current.kind == "NOT":
            operator = self.advance()
            self.enter(operator)
            node = Not(self.parse_unary(operator))
            self.depth -= 1
            return node
        return self.parse_primary(after)

    def parse_primary(self, after: _Token | None) -> Node:
        token = self.current
        if token.kind == "TERM":
            self.advance()
            folded = " ".join(fold(token.value).split())
            return Term(folded)
        if token.kind == "LPAREN":
            self.advance()
            self.enter(token)
            if self.current.kind == "RPAREN":
                raise ExpressionError(
                    _("Empty parentheses at character %(position)d.")
                    % {"position": token.position},
                    token.position,
                )
            node = self.parse_or()
            if self.current.kind != "RPAREN":
                raise ExpressionError(
                    _("Unbalanced parenthesis at character %(position)d: it is never closed.")
                    % {"position": token.position},
                    token.position,
                )
            self.advance()
            self.depth -= 1
            return node
        if after is not None:
            raise ExpressionError(
                _("“%(operator)s” at character %(position)d needs a term after it.")
                % {"operator": after.value, "position": after.position},
                after.position,
            )
        if token.kind == "END":
            raise ExpressionError(_("The expression is empty."), token.position)
        if token.kind == "RPAREN":
            raise ExpressionError(
                _("Unbalanced parenthesis at character %(position)d: nothing opens it.")
                % {"position": token.position},
                token.position,
            )
        raise ExpressionError(
            _("“%(operator)s” at character %(position)d needs a term before it.")
            % {"operator": token.value, "position": token.position},
            token.position,
        )


def parse(source: str) -> Node:
    """Parse an expression or raise :class:`ExpressionError` pointing at the problem."""
    if len(source) > MAX_EXPRESSION_CHARS:
        raise ExpressionError(
            _("The expression is longer than %(max)d characters.") % {"max": MAX_EXPRESSION_CHARS},
            MAX_EXPRESSION_CHARS + 1,
        )
    if not source.strip():
        raise ExpressionError(_("The expression is empty."), 1)
    node = _Parser(_tokenise(source)).parse()
    if not positive_terms(node):
        raise ExpressionError(
            _("The expression only excludes words: add at least one word to look for."), 1
        )
    if len(all_terms(node)) > MAX_TERMS:
        raise ExpressionError(
            _("The expression has more than %(max)d terms.") % {"max": MAX_TERMS}, 1
        )
    return node


def to_source(node: Node) -> str:
    """A canonical text form (used by tests: parse(to_source(n)) == n)."""
    if isinstance(node, Term):
        return f'"{node.text}"'
    if isinstance(node, Not):
        return f"NOT {to_source(node.operand)}"
    joiner = " AND " if isinstance(node, And) else " OR "
    return "(" + joiner.join(to_source(child) for child in node.operands) + ")"
