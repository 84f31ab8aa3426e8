"""The post's state machine as the services drive it: every move goes through
`post_transition()`, which refuses any move POST_TRANSITIONS does not list; variants follow
through `variants_sync()`; the engine derives the post's state from its variants."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from agency.services import audit_record
from agency.tenancy import tenant_scope
from campaigns.models import (
    POST_TRANSITIONS,
    VARIANT_TRANSITIONS,
    Post,
    PostState,
    PostVariant,
    VariantState,
)


def post_lock(post: Post) -> Post:
    """Re-read the post under a row lock (only its own row: PostgreSQL will not lock the
    nullable side of the campaign join), so that concurrent transitions queue up."""
    return (
        Post.objects.select_for_update(of=("self",))
        .select_related("brand", "campaign")
        .get(pk=post.pk)
    )


def post_transition(post: Post, to: str, *, actor, verb: str, data: dict | None = None) -> Post:
    """The one place a post changes state: checks the table, saves, syncs variants, audits."""
    if to not in POST_TRANSITIONS[post.state]:
        raise ValidationError(
            _("A post that is %(state)s cannot become %(to)s.")
            % {"state": post.get_state_display(), "to": PostState(to).label}
        )
    previous = post.state
    post.state = to
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


def _variant_move(variant: PostVariant, to: str, **fields) -> None:
    if variant.state == to:
        return
    if to not in VARIANT_TRANSITIONS[variant.state]:
        return  # published or publishing variants are the engine's, never moved back here
    variant.state = to
    for key, value in fields.items():
        setattr(variant, key, value)
    variant.save()


def variants_sync(post: Post) -> None:
    """Variants follow the post: scheduled with the post's time, pending before, cancelled
    with it. Published (and publishing) variants are never touched."""
    for variant in PostVariant.objects.filter(agency_id=post.agency_id, post=post):
        if post.state == PostState.SCHEDULED:
            if variant.state in (VariantState.PENDING, VariantState.SCHEDULED):
                variant.due_at = post.scheduled_at
                variant.state = VariantState.SCHEDULED
                variant.save(update_fields=["due_at", "state"])
        elif post.state == PostState.CANCELLED:
            _variant_move(variant, VariantState.CANCELLED, due_at=None)
        elif post.state in (
            PostState.DRAFT,
            PostState.IN_REVIEW,
            PostState.CHANGES_REQUESTED,
            PostState.APPROVED,
        ):
            if variant.state == VariantState.CANCELLED:
                _variant_move(variant, VariantState.PENDING)
            _variant_move(variant, VariantState.PENDING, due_at=None)


def post_refresh_state_from_variants(*, post: Post) -> Post:
    """For the publishing engine: the post's state from its variants (published, partly
    published, failed, publishing). Call inside the engine's transaction.

    Read in the post's own agency: the engine's dispatcher calls this while it walks every
    agency's due variants, before it enters any one agency's scope.
    """
    with tenant_scope(post.agency_id):
        states = list(
            PostVariant.objects.filter(agency_id=post.agency_id, post=post)
            .exclude(state=VariantState.CANCELLED)
            .values_list("state", flat=True)
        )
    if not states or post.state not in (
        PostState.SCHEDULED,
        PostState.PUBLISHING,
        PostState.PARTLY_PUBLISHED,
        PostState.FAILED,
    ):
        return post
    if any(s in (VariantState.PUBLISHING, VariantState.SCHEDULED) for s in states):
        target = PostState.PUBLISHING
    elif all(s == VariantState.PUBLISHED for s in states):
        target = PostState.PUBLISHED
    elif any(s == VariantState.PUBLISHED for s in states):
        target = PostState.PARTLY_PUBLISHED
    else:
        target = PostState.FAILED
    if target != post.state and target in POST_TRANSITIONS[post.state]:
        post.state = target
        post.save(update_fields=["state", "updated_at"])
        audit_record(agency=post.brand.agency, actor=None, verb=f"post.{target}", target=post)
    return post
