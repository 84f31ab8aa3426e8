"""The state machines of a post and of its variants (one per account), in one place.

Each machine is one table of allowed moves and one function that makes a move or raises
`IllegalTransition`. Every code path that changes `Post.state` or `PostVariant.state` goes
through here: the campaigns services (submit, approve, schedule, cancel ...) and the publishing
engine (claims, outcomes, the reaper, cancelling what waits). The engine moves variants with
conditional updates (``UPDATE ... WHERE state IN (...)``); it checks the move here first with
`variant_move_check`, so that a move the table does not list is a bug that raises, never a row
silently changed.

The functions change the object in memory only; the caller saves (inside its transaction).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from campaigns.models import Post, PostState, PostVariant, VariantReview, VariantState


class IllegalTransition(ValidationError):
    """A move the state table does not allow. A ValidationError, so that a person who asked
    for it (a button, an API call) reads why, like any other refused action."""


S = PostState
# The one table of a post's allowed moves.
POST_TRANSITIONS: dict[str, frozenset[str]] = {
    S.DRAFT: frozenset({S.IN_REVIEW, S.APPROVED, S.CANCELLED}),
    S.IN_REVIEW: frozenset({S.IN_REVIEW, S.CHANGES_REQUESTED, S.APPROVED, S.DRAFT, S.CANCELLED}),
    S.CHANGES_REQUESTED: frozenset({S.IN_REVIEW, S.APPROVED, S.DRAFT, S.CANCELLED}),
    S.APPROVED: frozenset({S.SCHEDULED, S.IN_REVIEW, S.DRAFT, S.CANCELLED}),
    S.SCHEDULED: frozenset({S.PUBLISHING, S.APPROVED, S.IN_REVIEW, S.DRAFT, S.CANCELLED}),
    # Cancelled: a person stopped what was still waiting (a retry, a rate limit), none out.
    S.PUBLISHING: frozenset({S.PUBLISHED, S.PARTLY_PUBLISHED, S.FAILED, S.CANCELLED}),
    S.PARTLY_PUBLISHED: frozenset({S.PUBLISHED, S.PUBLISHING, S.FAILED}),
    # A failed post becomes (partly) published when a person confirms that a variant which
    # needed attention did go out (publishing.decisions.variant_resolve).
    S.FAILED: frozenset({S.PUBLISHING, S.PUBLISHED, S.PARTLY_PUBLISHED, S.SCHEDULED, S.CANCELLED}),
    S.PUBLISHED: frozenset(),
    S.CANCELLED: frozenset({S.DRAFT}),
}
# Content may be edited in these states (an edit after approval goes back to review).
EDITABLE_STATES = frozenset({S.DRAFT, S.IN_REVIEW, S.CHANGES_REQUESTED, S.APPROVED, S.SCHEDULED})
# States in which the publishing engine holds the variants: the post's state follows them
# (`post_state_from_variants`), and a cancel is the engine's (what still waits is stopped).
ENGINE_POST_STATES = frozenset({S.PUBLISHING, S.PARTLY_PUBLISHED, S.FAILED})
# A variant is claimed for publishing only while its post is in one of these states.
CLAIMABLE_POST_STATES = frozenset({S.SCHEDULED, *ENGINE_POST_STATES})

V = VariantState
# The one table of a variant's allowed moves.
VARIANT_TRANSITIONS: dict[str, frozenset[str]] = {
    V.PENDING: frozenset({V.SCHEDULED, V.CANCELLED}),
    V.SCHEDULED: frozenset({V.PENDING, V.PUBLISHING, V.CANCELLED}),
    # Cancelled: claimed but not sent yet (the publish task then finds nothing to do).
    V.PUBLISHING: frozenset({V.PUBLISHED, V.FAILED, V.SCHEDULED, V.NEEDS_ATTENTION, V.CANCELLED}),
    V.FAILED: frozenset({V.SCHEDULED, V.PENDING, V.CANCELLED}),
    V.NEEDS_ATTENTION: frozenset({V.PUBLISHED, V.SCHEDULED, V.FAILED, V.CANCELLED}),
    V.PUBLISHED: frozenset(),
    V.CANCELLED: frozenset({V.PENDING}),
}
# Which variants follow their post when a person moves the post (campaigns services): the
# others are the engine's (publishing, published, needing a person's check) and stay as they are.
VARIANTS_FOLLOWING_POST: dict[str, frozenset[str]] = {
    V.SCHEDULED: frozenset({V.PENDING}),
    V.CANCELLED: frozenset({V.PENDING, V.SCHEDULED, V.FAILED, V.NEEDS_ATTENTION}),
    V.PENDING: frozenset({V.SCHEDULED, V.FAILED, V.CANCELLED}),
}


R = VariantReview
# The one table of a variant's review decisions (per-network approval, docs/campaigns.md).
# A reviewer decides a variant that waits; an approval may be taken back (changes, rejection)
# while the post still waits for its other networks at that stage; a request for changes or a
# rejection stands until a new review round (submit, the client stage after the team's, an edit
# after approval) puts the variant back to pending.
VARIANT_REVIEW_MOVES: dict[str, frozenset[str]] = {
    R.PENDING: frozenset({R.APPROVED, R.CHANGES_REQUESTED, R.REJECTED}),
    R.APPROVED: frozenset({R.PENDING, R.CHANGES_REQUESTED, R.REJECTED}),
    R.CHANGES_REQUESTED: frozenset({R.PENDING}),
    R.REJECTED: frozenset({R.PENDING}),
}
# The decisions a reviewer may take on one network.
VARIANT_DECISIONS = (R.APPROVED, R.CHANGES_REQUESTED, R.REJECTED)


def post_move(post: Post, to: str) -> str:
    """Move `post` to `to` (in memory); returns the state it left. Raises IllegalTransition."""
    if to not in POST_TRANSITIONS[post.state]:
        raise IllegalTransition(
            _("A post that is %(state)s cannot become %(to)s.")
            % {"state": PostState(post.state).label, "to": PostState(to).label}
        )
    previous = post.state
    post.state = to
    return previous


def variant_move_check(from_states: Iterable[str], to: str) -> None:
    """Raise IllegalTransition unless every state of `from_states` may move to `to`: the
    engine's check before a conditional update from those states."""
    for state in from_states:
        if to not in VARIANT_TRANSITIONS[state]:
            raise IllegalTransition(
                _("A publication that is %(state)s cannot become %(to)s.")
                % {"state": VariantState(state).label, "to": VariantState(to).label}
            )


def variant_move(variant: PostVariant, to: str) -> str:
    """Move `variant` to `to` (in memory); returns the state it left. Raises IllegalTransition."""
    variant_move_check([variant.state], to)
    previous = variant.state
    variant.state = to
    return previous


def post_state_from_variants(variant_states: Iterable[str]) -> str | None:
    """What a post the engine holds has become, from its (not cancelled) variants' states:
    publishing while any is still on its way, published when all are out, partly published
    when some are, else failed. None without variants."""
    states = list(variant_states)
    if not states:
        return None
    if any(s in (V.PUBLISHING, V.SCHEDULED) for s in states):
        return S.PUBLISHING
    if all(s == V.PUBLISHED for s in states):
        return S.PUBLISHED
    if any(s == V.PUBLISHED for s in states):
        return S.PARTLY_PUBLISHED
    return S.FAILED


def post_state_after_cancel(current: str, variant_states: Iterable[str]) -> str:
    """A post's state once some of its variants were cancelled, from all its variants' states:
    still scheduled or publishing while another network waits, partly published if any went
    out, cancelled when nothing is left, else failed."""
    states = set(variant_states)
    if states & {V.SCHEDULED, V.PUBLISHING}:
        # Another network still waits (a variant-level cancel): a scheduled post stays so.
        return S.SCHEDULED if current == S.SCHEDULED else S.PUBLISHING
    if V.PUBLISHED in states:
        return S.PARTLY_PUBLISHED
    if states <= {V.CANCELLED}:
        return S.CANCELLED
    return S.FAILED


def variant_review_move(variant: PostVariant, to: str) -> str:
    """Record the decision `to` on `variant` (in memory); returns the one it left. Raises
    IllegalTransition on a move VARIANT_REVIEW_MOVES does not list."""
    if to not in VARIANT_REVIEW_MOVES[variant.review]:
        raise IllegalTransition(
            _("%(network)s is already %(state)s: it cannot become %(to)s.")
            % {
                "network": variant.social_account,
                "state": VariantReview(variant.review).label,
                "to": VariantReview(to).label,
            }
        )
    previous = variant.review
    variant.review = to
    return previous


def review_outcome(reviews: Iterable[str]) -> str | None:
    """What the post's review stage comes to from its variants' decisions: None while any
    network waits for a decision (or without variants); changes requested when any network
    needs changes; rejected when every network is rejected; else approved (at least one
    network approved, the others rejected: those are not published)."""
    decided = list(reviews)
    if not decided or R.PENDING in decided:
        return None
    if R.CHANGES_REQUESTED in decided:
        return R.CHANGES_REQUESTED
    if all(r == R.REJECTED for r in decided):
        return R.REJECTED
    return R.APPROVED
