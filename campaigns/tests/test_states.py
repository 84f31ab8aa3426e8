"""The post and variant state machines (campaigns/states.py): a move the table lists is made, any
other raises, for the services and the publishing engine alike."""

import pytest

from campaigns import states
from campaigns.models import Post, PostState, PostVariant, VariantState

S, V = PostState, VariantState


def test_a_listed_post_move_is_made_and_returns_the_state_it_left():
    post = Post(state=S.APPROVED)
    assert states.post_move(post, S.SCHEDULED) == S.APPROVED
    assert post.state == S.SCHEDULED


@pytest.mark.parametrize(
    ("current", "to"),
    [(S.PUBLISHED, S.DRAFT), (S.DRAFT, S.PUBLISHED), (S.SCHEDULED, S.PUBLISHED)],
)
def test_an_illegal_post_move_raises_and_changes_nothing(current, to):
    post = Post(state=current)
    with pytest.raises(states.IllegalTransition):
        states.post_move(post, to)
    assert post.state == current


def test_an_illegal_variant_move_raises_and_changes_nothing():
    variant = PostVariant(state=V.PUBLISHED)
    with pytest.raises(states.IllegalTransition):
        states.variant_move(variant, V.SCHEDULED)
    assert variant.state == V.PUBLISHED
    with pytest.raises(states.IllegalTransition):
        states.variant_move_check([V.FAILED, V.PUBLISHED], V.CANCELLED)


def test_every_state_has_a_row_in_its_table():
    assert set(states.POST_TRANSITIONS) == set(PostState.values)
    assert set(states.VARIANT_TRANSITIONS) == set(VariantState.values)
    for following in states.VARIANTS_FOLLOWING_POST.values():
        assert V.PUBLISHED not in following and V.PUBLISHING not in following


@pytest.mark.parametrize(
    ("variant_states", "expected"),
    [
        ([V.PUBLISHED, V.SCHEDULED], S.PUBLISHING),
        ([V.PUBLISHED, V.PUBLISHED], S.PUBLISHED),
        ([V.PUBLISHED, V.FAILED], S.PARTLY_PUBLISHED),
        ([V.FAILED, V.NEEDS_ATTENTION], S.FAILED),
        ([], None),
    ],
)
def test_a_post_the_engine_holds_follows_its_variants(variant_states, expected):
    assert states.post_state_from_variants(variant_states) == expected


def test_a_cancel_leaves_a_post_cancelled_only_when_nothing_is_left():
    assert states.post_state_after_cancel(S.PUBLISHING, [V.CANCELLED]) == S.CANCELLED
    assert states.post_state_after_cancel(S.PUBLISHING, [V.CANCELLED, V.PUBLISHED]) == (
        S.PARTLY_PUBLISHED
    )
    assert states.post_state_after_cancel(S.SCHEDULED, [V.CANCELLED, V.SCHEDULED]) == S.SCHEDULED
