"""The post's state machine as the services drive it: every move goes through
`post_transition()`, which makes it with campaigns.states (raising on a move its table does not
list); variants follow through `variants_sync()`; the engine derives the post's state from its
variants (`post_refresh_state_from_variants`)."""

from agency.services.audit import audit_record
from campaigns import states
from campaigns.models import Post, PostState, PostVariant, VariantReview, VariantState


def post_lock(post: Post) -> Post:
    """Re-read the post under a row lock (only its own row: PostgreSQL will not lock the
    nullable side of the campaign join), so that concurrent transitions queue up."""
    return (
        Post.objects.select_for_update(of=("self",))
        .select_related("brand", "campaign")
        .get(pk=post.pk)
    )


def post_transition(post: Post, to: str, *, actor, verb: str, data: dict | None = None) -> Post:
    """The one place a person's action moves a post: checks the table (campaigns.states),
    saves, syncs variants, audits. Raises IllegalTransition (a ValidationError) on a move the
    table does not list."""
    previous = states.post_move(post, to)
    if to != PostState.IN_REVIEW:
        post.review_stage = ""
    post.save()
    variants_sync(post)
    audit_record(
        agency=post.brand.agency,
        actor=actor,
        verb=verb,
        target=post,
        data={"from": previous, "to": to, **(data or {})},
    )
    return post


def _variant_follow(variant: PostVariant, to: str, **fields) -> None:
    """Move a variant with its post, if it is one of those that follow (see
    states.VARIANTS_FOLLOWING_POST): published or publishing variants are the engine's."""
    if variant.state not in states.VARIANTS_FOLLOWING_POST[to]:
        return
    states.variant_move(variant, to)
    for key, value in fields.items():
        setattr(variant, key, value)
    variant.save()


def variants_sync(post: Post) -> None:
    """Variants follow the post: scheduled with the post's time, pending before, cancelled
    with it. Published (and publishing) variants are never touched. A variant whose network
    was rejected by a reviewer is cancelled and stays so until the post is a draft again or a
    new review round starts (campaigns.services.decisions)."""
    for variant in PostVariant.objects.filter(agency_id=post.agency_id, post=post):
        if variant.review == VariantReview.REJECTED and post.state != PostState.DRAFT:
            _variant_follow(variant, VariantState.CANCELLED, due_at=None)
        elif post.state == PostState.SCHEDULED:
            if variant.state == VariantState.SCHEDULED:  # already queued: its time follows
                variant.due_at = post.scheduled_at
                variant.save(update_fields=["due_at"])
            else:
                _variant_follow(variant, VariantState.SCHEDULED, due_at=post.scheduled_at)
        elif post.state == PostState.CANCELLED:
            _variant_follow(variant, VariantState.CANCELLED, due_at=None)
        elif post.state in (
            PostState.DRAFT,
            PostState.IN_REVIEW,
            PostState.CHANGES_REQUESTED,
            PostState.APPROVED,
        ):
            if variant.state == VariantState.CANCELLED:
                _variant_follow(variant, VariantState.PENDING)
            else:
                _variant_follow(variant, VariantState.PENDING, due_at=None)


def post_refresh_state_from_variants(*, post: Post) -> Post:
    """For the publishing engine: the post's state from its variants (published, partly
    published, failed, publishing; campaigns.states.post_state_from_variants), for a post the
    engine holds (or scheduled). Raises IllegalTransition on a move the table does not list.
    Call inside the engine's transaction, with the post locked, in the post's tenant scope
    (the dispatcher enters it for each post it claims)."""
    if post.state not in states.CLAIMABLE_POST_STATES:
        return post
    target = states.post_state_from_variants(
        PostVariant.objects.filter(post=post)
        .exclude(state=VariantState.CANCELLED)
        .values_list("state", flat=True)
    )
    if target is not None and target != post.state:
        states.post_move(post, target)
        post.save(update_fields=["state", "updated_at"])
        audit_record(agency=post.brand.agency, actor=None, verb=f"post.{target}", target=post)
    return post
