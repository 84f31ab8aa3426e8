"""Query expressions: grammar, errors that point at the problem, evaluation."""

import pytest
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from reputation import expressions
from reputation.expressions import And, ExpressionError, Not, Or, Term, parse, to_source


def test_keywords_side_by_side_mean_and():
    assert parse("café tanger") == And((Term("cafe"), Term("tanger")))


def test_exact_phrases_operators_and_parentheses():
    node = parse('("Café Tanger" OR cafetanger) AND NOT recrutement')
    assert node == And((Or((Term("cafe tanger"), Term("cafetanger"))), Not(Term("recrutement"))))


def test_french_operators_commas_and_minus():
    assert parse("atlas ET télécom SAUF promo") == And(
        (Term("atlas"), Term("telecom"), Not(Term("promo")))
    )
    assert parse("inwi, orange -fibre") == Or(
        (Term("inwi"), And((Term("orange"), Not(Term("fibre")))))
    )


def test_arabic_and_darija_terms_are_folded():
    assert parse('مقهى طنجة OR "القهوة ديال"') == Or(
        (And((Term("مقهي"), Term("طنجه"))), Term("القهوه ديال"))
    )


@pytest.mark.parametrize(
    ("expression", "message", "position"),
    [
        ("(cafe OR tanger", "Unbalanced parenthesis at character 1", 1),
        ("cafe OR tanger)", "Unbalanced parenthesis at character 15", 15),
        ('"cafe tanger', "Unclosed quote at character 1", 1),
        ("cafe AND", "“AND” at character 6 needs a term after it", 6),
        ("OR cafe", "“OR” at character 1 needs a term before it", 1),
        ("cafe ()", "Empty parentheses at character 6", 6),
        ("", "The expression is empty", 1),
        ("NOT cafe", "only excludes words", 1),
        ("cafe AND NOT", "“NOT” at character 10 needs a term after it", 10),
        ("((atlas) OR (inwi)", "Unbalanced parenthesis at character 1", 1),
    ],
)
def test_errors_point_at_the_problem(expression, message, position):
    with translation.override("en"), pytest.raises(ExpressionError) as error:
        parse(expression)
    assert message in error.value.message
    assert error.value.position == position


def test_errors_are_translated():
    with translation.override("fr"), pytest.raises(ExpressionError) as error:
        parse("(cafe")
    assert "caractère 1" in error.value.message


def test_evaluation_on_found_terms():
    node = parse('("café tanger" OR cafetanger) AND NOT recrutement')
    assert node.evaluate({"cafe tanger"})
    assert node.evaluate({"cafetanger", "rabat"})
    assert not node.evaluate({"cafe tanger", "recrutement"})
    assert not node.evaluate(set())
    assert expressions.positive_terms(node) == {"cafe tanger", "cafetanger"}


words = st.text(alphabet="abcdefghijklmnopqrstuvwxyzéàçطنجة", min_size=1, max_size=8).filter(
    lambda w: w.lower() not in {"and", "or", "not", "et", "ou", "sauf"}
)
trees = st.recursive(
    words.map(lambda w: Term(expressions.fold(w))),
    lambda children: st.one_of(
        st.lists(children, min_size=2, max_size=3).map(lambda c: And(tuple(c))),
        st.lists(children, min_size=2, max_size=3).map(lambda c: Or(tuple(c))),
        children.map(Not),
    ),
    max_leaves=8,
)


def _flatten(node):
    """And/Or nest freely in trees; the parser builds them flat."""
    if isinstance(node, Term):
        return node
    if isinstance(node, Not):
        return Not(_flatten(node.operand))
    kind = type(node)
    out = []
    for child in node.operands:
        child = _flatten(child)
        out.extend(child.operands if isinstance(child, kind) else [child])
    return kind(tuple(out))


@settings(max_examples=200, deadline=None)
@given(trees)
def test_printing_then_parsing_gives_the_same_tree(tree):
    if not expressions.positive_terms(tree):
        return
    assert _flatten(parse(to_source(tree))) == _flatten(tree)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_any_input_parses_or_fails_with_a_position(text):
    try:
        parse(text)
    except ExpressionError as error:
        assert 1 <= error.position <= len(text) + 1
