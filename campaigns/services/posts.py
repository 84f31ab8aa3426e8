"""A post's content: creating and editing it with one variant per account.

Content edits keep a PostRevision; an edit after approval sends the post back to review.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from agency import permissions
from agency.services.audit import actor_label, audit_record
from campaigns.composer import check_draft_size
from campaigns.models import Campaign, Post, PostRevision, PostState, PostVariant, VariantState
from campaigns.network_options import options_clean
from campaigns.selectors.media import media_by_ids
from campaigns.selectors.planning import approval_required
from campaigns.services.access import Actor, require, require_brand, user_of
from campaigns.services.transitions import post_lock, post_transition, variants_sync
from campaigns.services.workflow import post_back_to_review
from campaigns.times import check_schedule
from clients.models import Brand, SocialAccount

CONTENT_FIELDS = ("title", "text", "link", "first_comment", "media_ids", "media_urls")


def _snapshot(post: Post) -> dict:
    variants = list(
        PostVariant.objects.filter(agency_id=post.agency_id, post=post)
        .select_related("social_account")
        .order_by("social_account_id")
    )
    return {
        "title": post.title,
        "text": post.text,
        "link": post.link,
        "first_comment": post.first_comment,
        "media_ids": list(post.media_ids),
        "media_urls": list(post.media_urls),
        "variants": [
            {
                "account": str(v.social_account),
                "account_id": v.social_account_id,
                "text": v.text_override,
                "media_ids": v.media_override_ids,
                "options": v.network_options,
            }
            for v in variants
        ],
    }


def _save_revision(post: Post, actor) -> PostRevision:
    return PostRevision.objects.create(
        agency_id=post.agency_id,
        post=post,
        version=post.version,
        snapshot=_snapshot(post),
        author=user_of(actor),
        author_label=actor_label(actor)[:200],
    )


def _accounts_of_brand(brand: Brand, account_ids) -> list[SocialAccount]:
    ids = [int(i) for i in account_ids]
    accounts = list(
        SocialAccount.objects.filter(agency_id=brand.agency_id, brand=brand, pk__in=ids)
    )
    if len(accounts) != len(set(ids)):
        raise ValidationError({"accounts": _("Choose accounts of this brand.")})
    return sorted(accounts, key=lambda a: ids.index(a.pk))


def _options_in_effect(options: dict | None) -> dict:
    """A variant's options as they act: an unticked box is the same as one never given (no
    boolean option defaults to true), so saving a post unchanged is not a change."""
    return {name: value for name, value in (options or {}).items() if value is not False}


def _set_variants(
    post: Post,
    accounts: list[SocialAccount],
    overrides: dict[int, str],
    media_overrides: dict[int, list[int]] | None = None,
    network_options: dict[int, dict] | None = None,
) -> bool:
    """Make the post's variants match the accounts (with their own text, media and network
    options, when given). Returns whether anything changed."""
    media_overrides = {
        int(k): _check_media_ids(post.brand, v) for k, v in (media_overrides or {}).items()
    }
    changed = False
    existing = {v.social_account_id: v for v in PostVariant.objects.filter(post=post)}
    wanted = {a.pk for a in accounts}
    for account_id, variant in existing.items():
        if account_id not in wanted:
            if variant.state in (VariantState.PUBLISHED, VariantState.PUBLISHING):
                raise ValidationError(
                    {"accounts": _("An account this post was already sent to cannot be removed.")}
                )
            variant.delete()
            changed = True
    for account in accounts:
        text = (overrides.get(account.pk) or "").strip()
        media = media_overrides.get(account.pk) or None  # empty: the post's media
        current = existing.get(account.pk)
        if network_options is None or account.pk not in network_options:
            options = current.network_options if current else {}
        else:
            options = options_clean(account, network_options[account.pk])
        if current is None:
            PostVariant.objects.create(
                agency_id=post.agency_id,
                post=post,
                social_account=account,
                text_override=text,
                media_override_ids=media,
                network_options=options,
            )
            changed = True
        elif (current.text_override, current.media_override_ids) != (text, media) or (
            _options_in_effect(current.network_options) != _options_in_effect(options)
        ):
            current.text_override = text
            current.media_override_ids = media
            current.network_options = options
            current.save(update_fields=["text_override", "media_override_ids", "network_options"])
            changed = True
    return changed


def _check_media_ids(brand: Brand, media_ids) -> list[int]:
    ids = [int(i) for i in media_ids or []]
    if len(media_by_ids(brand=brand, ids=ids)) != len(ids):
        raise ValidationError({"media_ids": _("Choose media from this brand's library.")})
    return ids


def _check_content(content: dict, overrides: dict[int, str] | None) -> None:
    """Only content fields, and no text longer than any network takes (before any query)."""
    unknown = set(content) - set(CONTENT_FIELDS)
    if unknown:
        raise ValueError(f"Not post fields: {sorted(unknown)}")
    check_draft_size(
        text=content.get("text", ""),
        first_comment=content.get("first_comment", ""),
        overrides=overrides,
    )


def _check_campaign(brand: Brand, campaign) -> None:
    if campaign is not None and campaign.brand_id != brand.pk:
        raise ValidationError({"campaign": _("The campaign must be one of the brand's.")})


@transaction.atomic
def post_create(
    *,
    actor: Actor,
    brand: Brand,
    account_ids=(),
    overrides: dict[int, str] | None = None,
    media_overrides: dict[int, list[int]] | None = None,
    network_options: dict[int, dict] | None = None,
    campaign: Campaign | None = None,
    scheduled_at: dt.datetime | None = None,
    labels: list[str] | None = None,
    **content,
) -> Post:
    """A draft post with one variant per chosen account of the brand. Version 1 is kept."""
    require(actor, permissions.POSTS_WRITE)
    require_brand(actor, brand)
    _check_content(content, overrides)
    _check_campaign(brand, campaign)
    check_schedule(scheduled_at)
    content["media_ids"] = _check_media_ids(brand, content.get("media_ids"))
    post = Post(
        agency_id=brand.agency_id,
        brand=brand,
        campaign=campaign,
        author=user_of(actor),
        scheduled_at=scheduled_at,
        labels=labels or [],
        **content,
    )
    post.full_clean(exclude=["brand", "campaign", "author"])
    post.save()
    _set_variants(
        post,
        _accounts_of_brand(brand, account_ids),
        overrides or {},
        media_overrides,
        network_options,
    )
    _save_revision(post, actor)
    audit_record(agency=brand.agency, actor=actor, verb="post.created", target=post)
    return post


@transaction.atomic
def post_update(
    *,
    actor: Actor,
    post: Post,
    account_ids=None,
    overrides: dict[int, str] | None = None,
    media_overrides: dict[int, list[int]] | None = None,
    network_options: dict[int, dict] | None = None,
    campaign=...,
    scheduled_at=...,
    labels: list[str] | None = None,
    **content,
) -> Post:
    """Change a post. A content change is a new version (with its revision); after approval
    it sends the post back to review, and a scheduled post is unscheduled until approved."""
    require(actor, permissions.POSTS_WRITE)
    require_brand(actor, post.brand)
    post = post_lock(post)
    if not post.is_editable:
        raise ValidationError(
            _("A post that is %(state)s cannot be edited.") % {"state": post.get_state_display()}
        )
    _check_content(content, overrides)
    if "media_ids" in content:
        content["media_ids"] = _check_media_ids(post.brand, content["media_ids"])
    changed = any(getattr(post, key) != value for key, value in content.items())
    for key, value in content.items():
        setattr(post, key, value)
    if campaign is not ...:
        _check_campaign(post.brand, campaign)
        post.campaign = campaign
    if labels is not None:
        post.labels = labels
    time_changed = False
    if scheduled_at is not ... and scheduled_at != post.scheduled_at:
        check_schedule(scheduled_at)
        post.scheduled_at = scheduled_at
        time_changed = True
    post.full_clean(exclude=["brand", "campaign", "author"])
    if account_ids is not None:
        changed |= _set_variants(
            post,
            _accounts_of_brand(post.brand, account_ids),
            overrides or {},
            media_overrides,
            network_options,
        )
    if changed:
        post.version += 1
    post.save()
    if changed:
        _save_revision(post, actor)
        audit_record(
            agency=post.brand.agency,
            actor=actor,
            verb="post.edited",
            target=post,
            data={"version": post.version},
        )
        if post.state in (PostState.APPROVED, PostState.SCHEDULED) and approval_required(
            post.brand
        ):
            post_back_to_review(post, actor)
    if time_changed and post.state == PostState.SCHEDULED:
        if post.scheduled_at is None:
            post_transition(post, PostState.APPROVED, actor=actor, verb="post.unscheduled")
        else:
            variants_sync(post)
    return post
