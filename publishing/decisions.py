"""A person's decisions on the publishing queue: publish a failed variant again, or resolve
one that needs attention (it went out / publish it again). Run in the actor's tenant scope."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agency.services.audit import audit_record
from campaigns.models import PostVariant, VariantState
from publishing.access import post_writer_require
from publishing.outcomes import post_state_refresh, variant_for_update, variant_move_if

V = VariantState


def _require_variant_writer(actor, variant: PostVariant) -> None:
    post_writer_require(actor=actor, post=variant.post)


@transaction.atomic
def variant_retry(*, actor, post_variant: PostVariant) -> PostVariant:
    """Publish a failed variant again, now (a new attempt, so a new idempotency key). Acts on
    failed variants only: a published, publishing or scheduled one is never sent again here."""
    _require_variant_writer(actor, post_variant)
    post, variant = variant_for_update(post_variant.pk)
    now = timezone.now()
    if not variant_move_if(
        variant,
        from_states=(V.FAILED,),
        to=V.SCHEDULED,
        attempt=None,
        due_at=now,
        next_attempt_at=None,
        call_started_at=None,
        transient_failures=0,
        last_error="",
        sent_key="",
        unsettled_since=None,
    ):
        raise ValidationError(_("Only a failed publication can be retried."))
    post_state_refresh(post)
    audit_record(agency=post.brand.agency, actor=actor, verb="post_variant.retried", target=post)
    return variant


@transaction.atomic
def variant_resolve(
    *, actor, post_variant: PostVariant, outcome: str, external_url: str = ""
) -> PostVariant:
    """A person's decision about a variant that needs attention: `published` (it went out;
    optionally its address) or `publish_again` (it did not; a new attempt)."""
    _require_variant_writer(actor, post_variant)
    post, variant = variant_for_update(post_variant.pk)
    if variant is None or variant.state != V.NEEDS_ATTENTION:
        raise ValidationError(_("This publication does not need attention any more."))
    if outcome == "published":
        variant_move_if(
            variant,
            from_states=(V.NEEDS_ATTENTION,),
            to=V.PUBLISHED,
            attempt=None,
            published_at=timezone.now(),
            external_url=external_url[:1000],
            sent_key="",
            unsettled_since=None,
            last_error=_("Marked as published by a person."),
        )
    elif outcome == "publish_again":
        variant_move_if(
            variant,
            from_states=(V.NEEDS_ATTENTION,),
            to=V.SCHEDULED,
            attempt=None,
            due_at=timezone.now(),
            next_attempt_at=None,
            call_started_at=None,
            transient_failures=0,
            sent_key="",
            unsettled_since=None,
            last_error=_("Publishing again, at a person's request."),
        )
    else:
        raise ValidationError({"outcome": _("Choose published or publish again.")})
    post_state_refresh(post)
    audit_record(
        agency=post.brand.agency,
        actor=actor,
        verb="post_variant.resolved",
        target=post,
        data={"outcome": outcome, "post_variant_id": variant.pk},
    )
    return variant
