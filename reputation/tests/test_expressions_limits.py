"""Hostile expressions are refused quickly with a positioned message, never a RecursionError."""

import time

import pytest

from reputation.expressions import MAX_DEPTH, MAX_EXPRESSION_CHARS, ExpressionError, parse


@pytest.mark.parametrize(
    "source",
    [
        "(" * 300 + "cafe" + ")" * 300,
        "-" * 1999 + "a",
        "NOT " * 400 + "cafe",
        "a AND " + "(b OR " * 150 + "c" + ")" * 150,
    ],
)
def test_deeply_nested_expression_is_refused_with_a_position(source):
    started = time.monotonic()
    with pytest.raises(ExpressionError) as raised:
        parse(source)
    assert time.monotonic() - started < 1
    assert str(MAX_DEPTH) in raised.value.message
    assert 1 <= raised.value.position <= len(source)
    assert f"{raised.value.position}" in raised.value.message


def test_nesting_up_to_the_limit_is_accepted():
    parse("(" * (MAX_DEPTH - 1) + "NOT a b" + ")" * (MAX_DEPTH - 1))
    parse("-" * (MAX_DEPTH - 1) + "a b")


def test_sibling_groups_do_not_add_up_to_the_depth():
    parse(" OR ".join(["(a AND NOT b)"] * 60))


def test_overlong_expression_is_refused_with_its_position():
    with pytest.raises(ExpressionError) as raised:
        parse("a " * MAX_EXPRESSION_CHARS)
    assert raised.value.position == MAX_EXPRESSION_CHARS + 1
