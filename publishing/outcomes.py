"""Recording what happened to one publication, once.

Every outcome (published, failed, needs a person's check, tried again later) moves the variant
with a conditional update on (state, attempt) after checking the move against the state table
(campaigns.states), derives the post's state from its variants under the post's row lock, and
tells people and webhooks once. A second delivery of the same outcome changes nothing and
returns False. Runs in the variant's tenant scope.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns import states
from campaigns.models import Post, PostVariant, VariantState
from campaigns.services.notify import notify_about_post
from campaigns.services.transitions import post_refresh_state_from_variants
from clients.selectors import brand_manager_user_ids
from networks import PublishResult
from webhooks.events import WebhookEvent
from webhooks.services.emit import webhook_emit

V = VariantState


def variant_for_update(variant_id: int) -> tuple[Post | None, PostVariant | None]:
    """Lock the post (then read the variant): the order the campaigns services use. (None,
    None) when the post was deleted meanwhile."""
    post_id = PostVariant.objects.filter(pk=variant_id).values_list("post_id", flat=True).first()
    post = (
        Post.objects.select_for_update(of=("self",))
        .select_related("brand__agency")
        .filter(pk=post_id)
        .first()
    )
    variant = PostVariant.objects.select_related("social_account").filter(pk=variant_id).first()
    if post is None or variant is None:
        return None, None
    return post, variant


def variant_move_if(
    variant: PostVariant | None, *, from_states, to: str, attempt: int | None, **fields
) -> bool:
    """Conditional move: only from `from_states` and (when given) the same attempt. A move the
    state table does not allow raises (a bug), before anything is written."""
    if variant is None:
        return False
    states.variant_move_check(from_states, to)
    conditions = {"pk": variant.pk, "state__in": list(from_states)}
    if attempt is not None:
        conditions["attempt"] = attempt
    changed = PostVariant.objects.filter(**conditions).update(state=to, **fields)
    if changed:
        if any(hasattr(value, "resolve_expression") for value in fields.values()):
            variant.refresh_from_db()
        else:
            variant.state = to
            for name, value in fields.items():
                setattr(variant, name, value)
    return bool(changed)


def event_data(post: Post, variant: PostVariant) -> dict:
    """The payload of the post.published / post.failed webhook events."""
    return {
        "post_id": post.pk,
        "post_variant_id": variant.pk,
        "brand_id": post.brand_id,
        "network": variant.social_account.network,
        "account": variant.social_account.handle or variant.social_account.external_id,
        "external_id": variant.external_id,
        "url": variant.external_url,
        "published_at": variant.published_at.isoformat() if variant.published_at else None,
        "error": variant.last_error,
        "state": variant.state,
    }


def _notify_people(post: Post, *, verb: str, message: str) -> None:
    """The post's author and its brand's managers, in the app and by e-mail."""
    notify_about_post(
        post,
        user_ids=[post.author_id, *brand_manager_user_ids(brand=post.brand)],
        verb=verb,
        message=message,
    )


def post_state_refresh(post: Post) -> None:
    """The post follows its variants (campaigns owns the post's state)."""
    post_refresh_state_from_variants(post=post)


@transaction.atomic
def record_published(
    variant_id: int, attempt: int | None, result: PublishResult, *, note: str = ""
) -> bool:
    post, variant = variant_for_update(variant_id)
    now = timezone.now()
    if not variant_move_if(
        variant,
        from_states=(V.PUBLISHING, V.NEEDS_ATTENTION),
        to=V.PUBLISHED,
        attempt=attempt,
        external_id=result.external_id[:255],
        external_url=(result.url or "")[:1000],
        published_at=now,
        lease_until=None,
        last_error=note[:2000],
        transient_failures=0,
        sent_key="",
        unsettled_since=None,
    ):
        return False
    post_state_refresh(post)
    webhook_emit(
        agency=post.agency_id, event=WebhookEvent.POST_PUBLISHED, data=event_data(post, variant)
    )
    return True


@transaction.atomic
def record_failed(
    variant_id: int, attempt: int | None, reason: str, *, notify: bool = True
) -> bool:
    """`notify=False` when people are told once by another path (an account that must be
    reconnected notifies once per account, not once per queued post)."""
    post, variant = variant_for_update(variant_id)
    if not variant_move_if(
        variant,
        from_states=(V.PUBLISHING,),
        to=V.FAILED,
        attempt=attempt,
        last_error=reason[:2000],
        lease_until=None,
        sent_key="",
        unsettled_since=None,
    ):
        return False
    post_state_refresh(post)
    if notify:
        _notify_people(
            post,
            verb="post.failed",
            message=_("%(post)s was not published on %(account)s: %(reason)s")
            % {"post": post, "account": variant.social_account, "reason": reason[:300]},
        )
    webhook_emit(
        agency=post.agency_id, event=WebhookEvent.POST_FAILED, data=event_data(post, variant)
    )
    return True


@transaction.atomic
def record_needs_attention(variant_id: int, attempt: int | None, reason: str) -> bool:
    post, variant = variant_for_update(variant_id)
    if not variant_move_if(
        variant,
        from_states=(V.PUBLISHING,),
        to=V.NEEDS_ATTENTION,
        attempt=attempt,
        last_error=reason[:2000],
        lease_until=None,
    ):
        return False
    post_state_refresh(post)
    _notify_people(
        post,
        verb="post.needs_attention",
        message=_("Check whether %(post)s went out on %(account)s: %(reason)s")
        % {"post": post, "account": variant.social_account, "reason": reason[:300]},
    )
    return True


@transaction.atomic
def record_retry_later(
    variant_id: int, attempt: int | None, *, at: dt.datetime, reason: str, transient: bool
) -> bool:
    post, variant = variant_for_update(variant_id)
    fields = {
        "next_attempt_at": at,
        "last_error": reason[:2000],
        "lease_until": None,
        "call_started_at": None,
    }
    if transient:
        fields["transient_failures"] = F("transient_failures") + 1
    if not variant_move_if(
        variant, from_states=(V.PUBLISHING,), to=V.SCHEDULED, attempt=attempt, **fields
    ):
        return False
    post_state_refresh(post)
    return True
