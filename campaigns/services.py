"""Every write of campaigns, posts, media, approvals, links and imports.

Each service is one transaction, takes the actor explicitly, checks the permission matrix
(agency.permissions) and records an audit event. Post states move only through
`_transition()`, which refuses any move that POST_TRANSITIONS does not list; variants follow
through `_sync_variants()`. Content edits keep a PostRevision; an edit after approval sends the
post back to review.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import re
import zoneinfo
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from agency import permissions
from agency.datetimes import check_instant
from agency.models import ApiKey, BrandAccess, Membership, User
from agency.outbound import outbound_url_problem
from agency.services import actor_label, audit_record
from campaigns import selectors
from campaigns.composer import Composition, check_composition, check_draft_size, composition_of
from campaigns.models import (
    POST_TRANSITIONS,
    VARIANT_TRANSITIONS,
    ApprovalMode,
    Campaign,
    CommentKind,
    Idea,
    IdeaStatus,
    MediaAsset,
    MediaKind,
    Post,
    PostComment,
    PostImport,
    PostImportStatus,
    PostRevision,
    PostState,
    PostVariant,
    PublishingPolicy,
    ReviewStage,
    ShareLink,
    ShareLinkKind,
    VariantState,
)
from clients.models import AccountStatus, Brand, SocialAccount
from core.uploads import MEDIA_IMAGE_RULES, check_image, check_video

Actor = Membership | ApiKey


# --- Helpers ---------------------------------------------------------------------------------


def _require(actor, action: str) -> None:
    permissions.require(actor, action)


def _require_brand(actor, brand: Brand) -> None:
    """Client roles act only on their brands (selectors already narrow; this is the backstop)."""
    if brand.agency_id != actor.agency_id:
        raise PermissionDenied(_("This brand belongs to another agency."))
    is_client = isinstance(actor, Membership) and actor.is_client
    if is_client and not BrandAccess.unscoped.filter(membership=actor, brand=brand).exists():
        raise PermissionDenied(_("You were not given this brand."))


def _user(actor) -> User | None:
    return actor.user if isinstance(actor, Membership) else None


def to_utc(local: dt.datetime, tz_name: str) -> dt.datetime:
    """A wall-clock time in the brand's zone, in UTC. Refuses a time the clock skips (spring
    forward, Morocco's return to UTC+1 after Ramadan); an ambiguous time (clocks going back)
    is the first of the two occurrences."""
    tz = zoneinfo.ZoneInfo(tz_name)
    if local.tzinfo is not None:
        return local.astimezone(dt.UTC)
    aware = local.replace(tzinfo=tz, fold=0)
    back = aware.astimezone(dt.UTC).astimezone(tz).replace(tzinfo=None)
    if back != local:
        raise ValidationError(
            {
                "scheduled_at": _(
                    "%(time)s does not exist in %(zone)s: the clocks change that night. "
                    "Choose another time."
                )
                % {"time": local.strftime("%Y-%m-%d %H:%M"), "zone": tz_name}
            }
        )
    return aware.astimezone(dt.UTC)


def _check_schedule(when: dt.datetime | None) -> None:
    # The one range every input path shares: a post dated 9999 would break every page
    # that shows it on its brand's wall clock.
    check_instant(when, field="scheduled_at")
    if when is not None and when <= timezone.now():
        raise ValidationError({"scheduled_at": _("Choose a time in the future.")})


def _notify(*, agency, user_ids, verb: str, message: str, url: str = "") -> None:
    """Tell people in the app and by email, through the notification centre.

    `alert_send` honours a channel the person chose for this verb (off, in-app, immediate
    email, digest, quiet hours). Campaign verbs are not yet among the centre's tunable kinds,
    so a person who chose nothing for them gets the email at once, after the commit.
    """
    from agency.services import alert_send, notification_preference_for

    user_ids = sorted(set(uid for uid in user_ids if uid))
    if not user_ids:
        return
    notifications = alert_send(
        agency=agency,
        recipients=User.objects.filter(pk__in=user_ids),
        kind=verb,
        message=message,
        url=url,
    )
    by_default = [
        n.pk
        for n in notifications
        if not n.email_state
        and verb
        not in notification_preference_for(agency_id=agency.pk, user_id=n.recipient_id).channels
    ]
    if by_default:
        from campaigns.tasks import send_notification_emails

        transaction.on_commit(
            lambda: send_notification_emails.delay(agency_id=agency.pk, notification_ids=by_default)
        )


def _post_url(post: Post) -> str:
    return reverse("campaigns:post_detail", kwargs={"post_id": post.pk})


# --- Publishing policy -----------------------------------------------------------------------


def _lock(post: Post) -> Post:
    """Re-read the post under a row lock (only its own row: PostgreSQL will not lock the
    nullable side of the campaign join), so that concurrent transitions queue up."""
    return (
        Post.unscoped.select_for_update(of=("self",))
        .select_related("brand", "campaign")
        .get(pk=post.pk)
    )


def _mark_used(link: ShareLink | None) -> None:
    if link is not None:
        link.last_used_at = timezone.now()
        link.save(update_fields=["last_used_at"])


@transaction.atomic
def publishing_policy_update(
    *, actor: Actor, brand: Brand, approval_mode: str, duplicate_window_hours: int | None = None
) -> PublishingPolicy:
    """Set how the brand's posts are approved. Posts already in review keep their stage."""
    _require(actor, permissions.CAMPAIGNS_MANAGE)
    _require_brand(actor, brand)
    if approval_mode not in ApprovalMode.values:
        raise ValidationError({"approval_mode": _("Unknown approval mode.")})
    policy = selectors.policy_of(brand)
    policy.approval_mode = approval_mode
    if duplicate_window_hours is not None:
        policy.duplicate_window_hours = duplicate_window_hours
    policy.full_clean(exclude=["brand"])
    policy.save()
    audit_record(
        agency=brand.agency,
        actor=actor,
        verb="publishing_policy.updated",
        target=brand,
        data={"approval_mode": approval_mode},
    )
    return policy


# --- Campaigns -------------------------------------------------------------------------------

CAMPAIGN_FIELDS = {
    "name",
    "objective",
    "recruitment_channel",
    "starts_on",
    "ends_on",
    "budget",
    "currency",
    "kpi_targets",
    "status",
    "tags",
    "utm_enabled",
    "utm_source",
    "utm_medium",
    "utm_campaign",
}


def _campaign_save(campaign: Campaign, personas) -> None:
    if campaign.budget is not None:
        campaign.budget = Decimal(campaign.budget).quantize(Decimal("0.01"))
    campaign.currency = (campaign.currency or "MAD").upper()
    campaign.full_clean(exclude=["brand"])
    campaign.save()
    if personas is not None:
        personas = list(personas)
        wrong = [p for p in personas if p.brand_id != campaign.brand_id]
        if wrong:
            raise ValidationError(
                {"personas": _("Audiences must be audiences of the campaign's brand.")}
            )
        campaign.personas.set(personas, through_defaults={"agency_id": campaign.agency_id})


@transaction.atomic
def campaign_create(*, actor: Actor, brand: Brand, personas=None, **fields) -> Campaign:
    """Create a campaign of a brand. Dates are validated (end on or after start)."""
    _require(actor, permissions.CAMPAIGNS_MANAGE)
    _require_brand(actor, brand)
    unknown = set(fields) - CAMPAIGN_FIELDS
    if unknown:
        raise ValueError(f"Not campaign fields: {sorted(unknown)}")
    if not (fields.get("name") or "").strip():
        raise ValidationError({"name": _("Give the campaign a name.")})
    campaign = Campaign(agency_id=brand.agency_id, brand=brand, created_by=_user(actor), **fields)
    _campaign_save(campaign, personas)
    audit_record(agency=brand.agency, actor=actor, verb="campaign.created", target=campaign)
    return campaign


@transaction.atomic
def campaign_update(*, actor: Actor, campaign: Campaign, personas=None, **fields) -> Campaign:
    _require(actor, permissions.CAMPAIGNS_MANAGE)
    _require_brand(actor, campaign.brand)
    unknown = set(fields) - CAMPAIGN_FIELDS
    if unknown:
        raise ValueError(f"Not campaign fields: {sorted(unknown)}")
    for key, value in fields.items():
        setattr(campaign, key, value)
    _campaign_save(campaign, personas)
    audit_record(
        agency=campaign.brand.agency,
        actor=actor,
        verb="campaign.updated",
        target=campaign,
        data={"fields": sorted(fields)},
    )
    return campaign


@transaction.atomic
def campaign_delete(*, actor: Actor, campaign: Campaign) -> None:
    """Delete a campaign; its posts stay, without a campaign."""
    _require(actor, permissions.CAMPAIGNS_MANAGE)
    _require_brand(actor, campaign.brand)
    audit_record(
        agency=campaign.brand.agency, actor=actor, verb="campaign.deleted", target=campaign
    )
    campaign.delete()


# --- Ideas -----------------------------------------------------------------------------------


@transaction.atomic
def idea_create(
    *,
    actor: Actor,
    brand: Brand,
    kind: str,
    title: str,
    description: str = "",
    campaign: Campaign | None = None,
) -> Idea:
    _require(actor, permissions.CAMPAIGNS_MANAGE)
    _require_brand(actor, brand)
    if campaign is not None and campaign.brand_id != brand.pk:
        raise ValidationError({"campaign": _("The campaign must be one of the brand's.")})
    idea = Idea(
        agency_id=brand.agency_id,
        brand=brand,
        kind=kind,
        title=title.strip(),
        description=description,
        campaign=campaign,
        created_by=_user(actor),
    )
    idea.full_clean(exclude=["brand", "campaign", "post"])
    idea.save()
    audit_record(agency=brand.agency, actor=actor, verb="idea.created", target=idea)
    return idea


@transaction.atomic
def idea_update(*, actor: Actor, idea: Idea, **fields) -> Idea:
    _require(actor, permissions.CAMPAIGNS_MANAGE)
    _require_brand(actor, idea.brand)
    for key in set(fields) - {"kind", "title", "description", "status", "campaign"}:
        raise ValueError(f"Not an idea field: {key}")
    for key, value in fields.items():
        setattr(idea, key, value)
    idea.full_clean(exclude=["brand", "campaign", "post"])
    idea.save()
    audit_record(agency=idea.brand.agency, actor=actor, verb="idea.updated", target=idea)
    return idea


@transaction.atomic
def idea_delete(*, actor: Actor, idea: Idea) -> None:
    _require(actor, permissions.CAMPAIGNS_MANAGE)
    _require_brand(actor, idea.brand)
    audit_record(agency=idea.brand.agency, actor=actor, verb="idea.deleted", target=idea)
    idea.delete()


@transaction.atomic
def idea_convert(*, actor: Actor, idea: Idea) -> Post:
    """Turn an idea into a draft post of the same brand (and campaign); the idea is marked used."""
    _require(actor, permissions.POSTS_WRITE)
    if idea.status == IdeaStatus.USED and idea.post_id:
        raise ValidationError(_("This idea was already turned into a post."))
    post = post_create(
        actor=actor,
        brand=idea.brand,
        campaign=idea.campaign,
        title=idea.title[:200],
        text=idea.description,
        account_ids=[],
    )
    idea.status = IdeaStatus.USED
    idea.post = post
    idea.save(update_fields=["status", "post"])
    audit_record(
        agency=idea.brand.agency,
        actor=actor,
        verb="idea.converted",
        target=idea,
        data={"post_id": post.pk},
    )
    return post


# --- Media -----------------------------------------------------------------------------------

THUMBNAIL_SIDE = 400


@dataclass
class _Sniffed:
    kind: str
    mime: str
    extension: str
    width: int | None = None
    height: int | None = None
    thumbnail: bytes | None = None


def media_check_upload(upload, *, thumbnail: bool = False) -> _Sniffed:
    """What the file really is (its bytes, not its name or declared type), or a ValidationError
    that says why it is refused. The checks are core.uploads' (pixel budget from the header
    before any decode, full decode, container probe for videos); nothing is stored here."""
    try:
        video = check_video(upload)
        if video is not None:
            return _Sniffed(MediaKind.VIDEO, video.mime, video.extension)
        image = check_image(
            upload,
            rules=MEDIA_IMAGE_RULES,
            thumbnail_side=THUMBNAIL_SIDE if thumbnail else None,
        )
    except ValidationError as exc:
        if exc.error_list[0].code == "unreadable":
            raise ValidationError(
                {
                    "file": _(
                        "This file is not an image or video we accept. Upload JPEG, PNG, WebP "
                        "or GIF images, or MP4, MOV or WebM videos."
                    )
                }
            ) from None
        raise ValidationError({"file": exc.messages}) from None
    kind = MediaKind.GIF if image.format == "GIF" and image.animated else MediaKind.IMAGE
    return _Sniffed(kind, image.mime, image.extension, image.width, image.height, image.thumbnail)


def media_asset_upload(*, actor: Actor, brand: Brand, upload, alt_text: str = "") -> MediaAsset:
    """Store a verified image or video in the brand's library under a random name.

    Every check (and the thumbnail) runs before anything is written to storage; when the
    database write fails after that, the stored files are removed, so a refused or failed
    upload leaves no file behind."""
    _require(actor, permissions.POSTS_WRITE)
    _require_brand(actor, brand)
    sniffed = media_check_upload(upload, thumbnail=True)
    original = (getattr(upload, "name", "") or "media").rsplit("/", 1)[-1][:255]
    asset = MediaAsset(
        agency_id=brand.agency_id,
        brand=brand,
        original_name=original,
        kind=sniffed.kind,
        mime_type=sniffed.mime,
        extension=sniffed.extension,
        size=upload.size,
        width=sniffed.width,
        height=sniffed.height,
        alt_text=alt_text.strip()[:1500],
        uploaded_by=_user(actor),
    )
    try:
        with transaction.atomic():
            upload.seek(0)
            asset.file.save("upload" + sniffed.extension, upload, save=False)
            if sniffed.thumbnail:
                asset.thumbnail.save("thumb.jpg", ContentFile(sniffed.thumbnail), save=False)
            asset.save()
            audit_record(
                agency=brand.agency,
                actor=actor,
                verb="media.uploaded",
                target=asset,
                data={"kind": asset.kind, "size": asset.size},
            )
    except BaseException:
        for stored in (asset.file, asset.thumbnail):
            if stored.name:
                stored.storage.delete(stored.name)
        raise
    return asset


@transaction.atomic
def media_asset_update(*, actor: Actor, media_asset: MediaAsset, alt_text: str) -> MediaAsset:
    _require(actor, permissions.POSTS_WRITE)
    _require_brand(actor, media_asset.brand)
    media_asset.alt_text = alt_text.strip()[:1500]
    media_asset.save(update_fields=["alt_text"])
    return media_asset


@transaction.atomic
def media_asset_delete(*, actor: Actor, media_asset: MediaAsset) -> None:
    """Delete a media file, unless a post that is not yet published or cancelled uses it."""
    _require(actor, permissions.POSTS_WRITE)
    _require_brand(actor, media_asset.brand)
    in_use = [
        post.pk
        for post in Post.unscoped.filter(
            agency_id=media_asset.agency_id, brand_id=media_asset.brand_id
        )
        .exclude(state__in=[PostState.PUBLISHED, PostState.CANCELLED])
        .only("media_ids")
        if media_asset.pk in (post.media_ids or [])
    ]
    if in_use:
        raise ValidationError(
            _(
                "This media is used by %(count)s post(s) not yet published; "
                "remove it from them first."
            )
            % {"count": len(in_use)}
        )
    audit_record(
        agency=media_asset.brand.agency, actor=actor, verb="media.deleted", target=media_asset
    )
    media_asset.file.delete(save=False)
    if media_asset.thumbnail:
        media_asset.thumbnail.delete(save=False)
    media_asset.delete()


# --- Posts: content --------------------------------------------------------------------------

CONTENT_FIELDS = ("title", "text", "link", "first_comment", "media_ids", "media_urls")


def _snapshot(post: Post) -> dict:
    variants = list(
        PostVariant.unscoped.filter(agency_id=post.agency_id, post=post)
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
            }
            for v in variants
        ],
    }


def _save_revision(post: Post, actor) -> PostRevision:
    return PostRevision.unscoped.create(
        agency_id=post.agency_id,
        post=post,
        version=post.version,
        snapshot=_snapshot(post),
        author=_user(actor),
        author_label=actor_label(actor)[:200],
    )


def _accounts_of_brand(brand: Brand, account_ids) -> list[SocialAccount]:
    ids = [int(i) for i in account_ids]
    accounts = list(
        SocialAccount.unscoped.filter(agency_id=brand.agency_id, brand=brand, pk__in=ids)
    )
    if len(accounts) != len(set(ids)):
        raise ValidationError({"accounts": _("Choose accounts of this brand.")})
    return sorted(accounts, key=lambda a: ids.index(a.pk))


def _set_variants(
    post: Post,
    accounts: list[SocialAccount],
    overrides: dict[int, str],
    media_overrides: dict[int, list[int]] | None = None,
) -> bool:
    """Make the post's variants match the accounts (with their own text and media, when
    given). Returns whether anything changed."""
    media_overrides = {
        int(k): _check_media_ids(post.brand, v) for k, v in (media_overrides or {}).items()
    }
    changed = False
    existing = {v.social_account_id: v for v in PostVariant.unscoped.filter(post=post)}
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
        variant = existing.get(account.pk)
        if variant is None:
            PostVariant.unscoped.create(
                agency_id=post.agency_id,
                post=post,
                social_account=account,
                text_override=text,
                media_override_ids=media,
            )
            changed = True
        elif variant.text_override != text or variant.media_override_ids != media:
            variant.text_override = text
            variant.media_override_ids = media
            variant.save(update_fields=["text_override", "media_override_ids"])
            changed = True
    return changed


def _check_media_ids(brand: Brand, media_ids) -> list[int]:
    ids = [int(i) for i in media_ids or []]
    if len(selectors.media_by_ids(brand=brand, ids=ids)) != len(ids):
        raise ValidationError({"media_ids": _("Choose media from this brand's library.")})
    return ids


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
    campaign: Campaign | None = None,
    scheduled_at: dt.datetime | None = None,
    labels: list[str] | None = None,
    **content,
) -> Post:
    """A draft post with one variant per chosen account of the brand. Version 1 is kept."""
    _require(actor, permissions.POSTS_WRITE)
    _require_brand(actor, brand)
    unknown = set(content) - set(CONTENT_FIELDS)
    if unknown:
        raise ValueError(f"Not post fields: {sorted(unknown)}")
    check_draft_size(
        text=content.get("text", ""),
        first_comment=content.get("first_comment", ""),
        overrides=overrides,
    )
    _check_campaign(brand, campaign)
    _check_schedule(scheduled_at)
    content["media_ids"] = _check_media_ids(brand, content.get("media_ids"))
    post = Post(
        agency_id=brand.agency_id,
        brand=brand,
        campaign=campaign,
        author=_user(actor),
        scheduled_at=scheduled_at,
        labels=labels or [],
        **content,
    )
    post.full_clean(exclude=["brand", "campaign", "author"])
    post.save()
    _set_variants(post, _accounts_of_brand(brand, account_ids), overrides or {}, media_overrides)
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
    campaign=...,
    scheduled_at=...,
    labels: list[str] | None = None,
    **content,
) -> Post:
    """Change a post. A content change is a new version (with its revision); after approval
    it sends the post back to review, and a scheduled post is unscheduled until approved."""
    _require(actor, permissions.POSTS_WRITE)
    _require_brand(actor, post.brand)
    post = _lock(post)
    if not post.is_editable:
        raise ValidationError(
            _("A post that is %(state)s cannot be edited.") % {"state": post.get_state_display()}
        )
    unknown = set(content) - set(CONTENT_FIELDS)
    if unknown:
        raise ValueError(f"Not post fields: {sorted(unknown)}")
    check_draft_size(
        text=content.get("text", ""),
        first_comment=content.get("first_comment", ""),
        overrides=overrides,
    )
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
        _check_schedule(scheduled_at)
        post.scheduled_at = scheduled_at
        time_changed = True
    post.full_clean(exclude=["brand", "campaign", "author"])
    if account_ids is not None:
        changed |= _set_variants(
            post, _accounts_of_brand(post.brand, account_ids), overrides or {}, media_overrides
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
        if post.state in (PostState.APPROVED, PostState.SCHEDULED) and selectors.approval_required(
            post.brand
        ):
            _back_to_review(post, actor)
    if time_changed and post.state == PostState.SCHEDULED:
        if post.scheduled_at is None:
            _transition(post, PostState.APPROVED, actor=actor, verb="post.unscheduled")
        else:
            _sync_variants(post)
    return post


def _back_to_review(post: Post, actor) -> None:
    post.review_stage = ReviewStage.INTERNAL
    post.submitted_at = timezone.now()
    post.approved_at = None
    post.approved_by_label = ""
    _transition(post, PostState.IN_REVIEW, actor=actor, verb="post.back_to_review")
    _notify_reviewers(post)


# --- Posts: the state machine ----------------------------------------------------------------


def _transition(post: Post, to: str, *, actor, verb: str, data: dict | None = None) -> Post:
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
    _sync_variants(post)
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


def _sync_variants(post: Post) -> None:
    """Variants follow the post: scheduled with the post's time, pending before, cancelled
    with it. Published (and publishing) variants are never touched."""
    for variant in PostVariant.unscoped.filter(agency_id=post.agency_id, post=post):
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


def post_errors(post: Post) -> list[str]:
    """Blocking problems: no account, or any network's content rule broken."""
    errors = []
    composition = composition_of(post)
    if not composition.accounts:
        errors.append(_("Choose at least one account to publish to."))
    for check in check_composition(composition):
        errors.extend(f"{check.account}: {message}" for message in check.errors)
    disconnected = [a for a in composition.accounts if a.status != AccountStatus.CONNECTED]
    for account in disconnected:
        errors.append(_("%(account)s needs reconnecting.") % {"account": account})
    return errors


def _require_valid(post: Post) -> None:
    errors = post_errors(post)
    if errors:
        raise ValidationError(errors)


def _notify_reviewers(post: Post) -> None:
    stage = post.review_stage or ReviewStage.INTERNAL
    _notify(
        agency=post.brand.agency,
        user_ids=selectors.approver_user_ids(brand=post.brand, stage=stage),
        verb="post.awaiting_approval",
        message=_("A post of %(brand)s awaits your approval: %(post)s")
        % {"brand": post.brand.name, "post": post},
        url=_post_url(post),
    )


@transaction.atomic
def post_submit(*, actor: Actor, post: Post) -> Post:
    """Send a draft (or a post with changes requested) for approval. Refused while any network's
    content rule is broken. Without approval (brand policy "none") it is approved at once and,
    with a time set, scheduled."""
    _require(actor, permissions.POSTS_WRITE)
    _require_brand(actor, post.brand)
    post = _lock(post)
    if post.state not in (PostState.DRAFT, PostState.CHANGES_REQUESTED):
        raise ValidationError(
            _("A post that is %(state)s cannot be submitted.") % {"state": post.get_state_display()}
        )
    _require_valid(post)
    post.submitted_at = timezone.now()
    if not selectors.approval_required(post.brand):
        post.reviewed_version = post.version
        post.approved_at = timezone.now()
        post.approved_by_label = _("No approval needed")
        _transition(
            post, PostState.APPROVED, actor=actor, verb="post.approved", data={"stage": "none"}
        )
        _schedule_if_timed(post, actor)
        return post
    post.review_stage = ReviewStage.INTERNAL
    _transition(post, PostState.IN_REVIEW, actor=actor, verb="post.submitted")
    _notify_reviewers(post)
    return post


def _check_reviewer(post: Post, actor, link: ShareLink | None) -> str:
    """Who may decide at the post's current stage; returns the label recorded for them."""
    if post.state != PostState.IN_REVIEW:
        raise ValidationError(_("This post is not awaiting approval."))
    if link is not None:
        if post.review_stage != ReviewStage.CLIENT or link.brand_id != post.brand_id:
            raise PermissionDenied(_("This post is not awaiting the client's approval."))
        if not link.is_active:
            raise PermissionDenied(_("This link is no longer valid."))
        return _("%(label)s (approval link)") % {"label": link.label or _("Client")}
    if post.review_stage == ReviewStage.CLIENT:
        _require(actor, permissions.POSTS_CLIENT_APPROVE)
        _require_brand(actor, post.brand)
    else:
        _require(actor, permissions.POSTS_APPROVE)
    return actor_label(actor)


def _comment(post: Post, *, actor, label: str, kind: str, body: str) -> PostComment:
    return PostComment.unscoped.create(
        agency_id=post.agency_id,
        post=post,
        author=_user(actor),
        author_label=label[:200],
        kind=kind,
        body=body.strip()[:5000],
        version=post.version,
    )


def _schedule_if_timed(post: Post, actor) -> None:
    if post.scheduled_at and post.scheduled_at > timezone.now():
        _transition(post, PostState.SCHEDULED, actor=actor, verb="post.scheduled")


@transaction.atomic
def post_approve(
    *, actor: Actor | None, post: Post, comment: str = "", link: ShareLink | None = None
) -> Post:
    """Approve at the current stage. Internal approval of an "internal, then client" brand
    moves the post to the client stage; the last approval makes it approved and, when it has a
    future time, scheduled. Client approvers act on their brands only; a signed link acts for
    its brand only."""
    post = _lock(post)
    label = _check_reviewer(post, actor, link)
    stage = post.review_stage
    _comment(post, actor=actor, label=label, kind=CommentKind.APPROVED, body=comment)
    policy = selectors.policy_of(post.brand)
    if stage == ReviewStage.INTERNAL and policy.approval_mode == ApprovalMode.INTERNAL_THEN_CLIENT:
        post.review_stage = ReviewStage.CLIENT
        post.save(update_fields=["review_stage"])
        audit_record(
            agency=post.brand.agency,
            actor=actor,
            verb="post.approved_internally",
            target=post,
            data={"by": label},
        )
        _notify_reviewers(post)
        return post
    post.reviewed_version = post.version
    post.approved_at = timezone.now()
    post.approved_by_label = label[:200]
    _transition(
        post,
        PostState.APPROVED,
        actor=actor,
        verb="post.approved",
        data={"stage": stage, "by": label},
    )
    _mark_used(link)
    _notify(
        agency=post.brand.agency,
        user_ids=[post.author_id],
        verb="post.approved",
        message=_("%(who)s approved: %(post)s") % {"who": label, "post": post},
        url=_post_url(post),
    )
    _schedule_if_timed(post, actor)
    return post


@transaction.atomic
def post_request_changes(
    *, actor: Actor | None, post: Post, comment: str, link: ShareLink | None = None
) -> Post:
    """Send the post back to its author with a comment saying what to change (required)."""
    if not (comment or "").strip():
        raise ValidationError({"comment": _("Say what should change.")})
    post = _lock(post)
    label = _check_reviewer(post, actor, link)
    stage = post.review_stage
    _comment(post, actor=actor, label=label, kind=CommentKind.CHANGES_REQUESTED, body=comment)
    post.reviewed_version = post.version
    _transition(
        post,
        PostState.CHANGES_REQUESTED,
        actor=actor,
        verb="post.changes_requested",
        data={"stage": stage, "by": label},
    )
    _mark_used(link)
    _notify(
        agency=post.brand.agency,
        user_ids=[post.author_id],
        verb="post.changes_requested",
        message=_("%(who)s asks for changes: %(post)s") % {"who": label, "post": post},
        url=_post_url(post),
    )
    return post


@transaction.atomic
def post_schedule(*, actor: Actor, post: Post, scheduled_at: dt.datetime | None = None) -> Post:
    """Put an approved post in the publishing queue at its (future) time."""
    _require(actor, permissions.POSTS_WRITE)
    _require_brand(actor, post.brand)
    post = _lock(post)
    if scheduled_at is not None:
        post.scheduled_at = scheduled_at
    if post.scheduled_at is None:
        raise ValidationError({"scheduled_at": _("Choose when to publish.")})
    _check_schedule(post.scheduled_at)
    if post.state != PostState.APPROVED:
        raise ValidationError(_("Only an approved post can be scheduled."))
    _require_valid(post)
    return _transition(post, PostState.SCHEDULED, actor=actor, verb="post.scheduled")


@transaction.atomic
def post_unschedule(*, actor: Actor, post: Post) -> Post:
    """Take a scheduled post out of the queue; it stays approved."""
    return _writer_transition(actor, post, PostState.APPROVED, verb="post.unscheduled")


@transaction.atomic
def post_reschedule(*, actor: Actor, post: Post, scheduled_at: dt.datetime) -> Post:
    """Move a post to another time (calendar drag and drop): the composer's validation — a
    future time that exists in the brand's zone, and, once submitted, no rule error."""
    _require(actor, permissions.POSTS_WRITE)
    _require_brand(actor, post.brand)
    post = _lock(post)
    if not post.is_editable:
        raise ValidationError(
            _("A post that is %(state)s cannot be moved.") % {"state": post.get_state_display()}
        )
    _check_schedule(scheduled_at)
    if post.state != PostState.DRAFT:
        _require_valid(post)
    previous = post.scheduled_at
    post.scheduled_at = scheduled_at
    post.save(update_fields=["scheduled_at", "updated_at"])
    if post.state == PostState.SCHEDULED:
        _sync_variants(post)
    audit_record(
        agency=post.brand.agency,
        actor=actor,
        verb="post.rescheduled",
        target=post,
        data={"from": previous.isoformat() if previous else None, "to": scheduled_at.isoformat()},
    )
    return post


def _writer_transition(actor: Actor, post: Post, to: str, *, verb: str) -> Post:
    """A move that any writer of the brand's posts may make, with no other condition."""
    _require(actor, permissions.POSTS_WRITE)
    _require_brand(actor, post.brand)
    return _transition(_lock(post), to, actor=actor, verb=verb)


@transaction.atomic
def post_cancel(*, actor: Actor, post: Post) -> Post:
    """Cancel a post: nothing more of it is published (variants already out stay out). Once
    the engine has started on it (a variant waits for a retry or a rate limit), the engine's
    cancel stops what still waits (campaigns.publishing_cancel)."""
    from campaigns.publishing_cancel import ENGINE_POST_STATES, post_publishing_cancel

    if _lock(post).state in ENGINE_POST_STATES:
        return post_publishing_cancel(actor=actor, post=post)
    return _writer_transition(actor, post, PostState.CANCELLED, verb="post.cancelled")


@transaction.atomic
def post_restore(*, actor: Actor, post: Post) -> Post:
    """A cancelled post back to draft."""
    return _writer_transition(actor, post, PostState.DRAFT, verb="post.restored")


@transaction.atomic
def post_withdraw(*, actor: Actor, post: Post) -> Post:
    """Take a post out of review (or approval) back to draft."""
    return _writer_transition(actor, post, PostState.DRAFT, verb="post.withdrawn")


def post_refresh_state_from_variants(*, post: Post) -> Post:
    """For the publishing engine: the post's state from its variants (published, partly
    published, failed, publishing). Call inside the engine's transaction."""
    states = list(
        PostVariant.unscoped.filter(agency_id=post.agency_id, post=post)
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


# --- Comments --------------------------------------------------------------------------------

MENTION_RE = re.compile(r"(?<![\w.])@([\w.+-]+(?:@[\w-]+(?:\.[\w-]+)+)?)")


def _mentioned_user_ids(post: Post, body: str) -> list[int]:
    """@local-part or @full@email.address of members who may see the post's brand."""
    handles = {h.lower() for h in MENTION_RE.findall(body)}
    if not handles:
        return []
    ids = []
    members = Membership.unscoped.filter(agency_id=post.agency_id).select_related("user")
    for member in members:
        email = member.user.email.lower()
        if email in handles or email.split("@")[0] in handles:
            if (
                member.is_client
                and not BrandAccess.unscoped.filter(
                    membership=member, brand_id=post.brand_id
                ).exists()
            ):
                continue
            ids.append(member.user_id)
    return ids


@transaction.atomic
def post_comment_add(*, actor: Actor, post: Post, body: str) -> PostComment:
    """A team comment on the post; people @mentioned are notified (in-app and by email)."""
    _require(actor, permissions.POSTS_COMMENT)
    _require_brand(actor, post.brand)
    if not body.strip():
        raise ValidationError({"body": _("Write a comment.")})
    comment = _comment(
        post, actor=actor, label=actor_label(actor), kind=CommentKind.COMMENT, body=body
    )
    mentioned = [
        uid for uid in _mentioned_user_ids(post, body) if uid != getattr(_user(actor), "pk", None)
    ]
    _notify(
        agency=post.brand.agency,
        user_ids=mentioned,
        verb="post.mentioned",
        message=_("%(who)s mentioned you on %(post)s") % {"who": actor_label(actor), "post": post},
        url=_post_url(post),
    )
    audit_record(agency=post.brand.agency, actor=actor, verb="post.commented", target=post)
    return comment


# --- Share links (approval page, ICS feed) ---------------------------------------------------


@transaction.atomic
def share_link_create(
    *, actor: Actor, brand: Brand, kind: str, label: str = "", valid_days: int | None = 30
) -> ShareLink:
    """A signed link to the brand's approval page (expiring) or ICS feed (until revoked)."""
    _require(actor, permissions.SHARE_LINKS_MANAGE)
    _require_brand(actor, brand)
    if kind not in ShareLinkKind.values:
        raise ValidationError({"kind": _("Unknown link kind.")})
    expires_at = None
    if kind == ShareLinkKind.APPROVAL:
        days = valid_days or 30
        if not 1 <= days <= 365:
            raise ValidationError({"valid_days": _("A link is valid for 1 to 365 days.")})
        expires_at = timezone.now() + dt.timedelta(days=days)
    link = ShareLink.unscoped.create(
        agency_id=brand.agency_id,
        brand=brand,
        kind=kind,
        label=label.strip()[:120],
        expires_at=expires_at,
        created_by=_user(actor),
    )
    audit_record(
        agency=brand.agency,
        actor=actor,
        verb="share_link.created",
        target=link,
        data={"kind": kind, "brand_id": brand.pk},
    )
    return link


@transaction.atomic
def share_link_revoke(*, actor: Actor, share_link: ShareLink) -> ShareLink:
    _require(actor, permissions.SHARE_LINKS_MANAGE)
    _require_brand(actor, share_link.brand)
    if share_link.revoked_at is None:
        share_link.revoked_at = timezone.now()
        share_link.save(update_fields=["revoked_at"])
        audit_record(
            agency=share_link.brand.agency,
            actor=actor,
            verb="share_link.revoked",
            target=share_link,
        )
    return share_link


@transaction.atomic
def link_comment_add(*, link: ShareLink, post: Post, body: str, name: str = "") -> PostComment:
    """A comment left through the approval link by a client who does not log in, on a post
    awaiting the client's approval (the only posts the link shows)."""
    if not link.is_active or post.brand_id != link.brand_id:
        raise PermissionDenied(_("This link is no longer valid."))
    if not (post.state == PostState.IN_REVIEW and post.review_stage == ReviewStage.CLIENT):
        raise ValidationError(_("This post is no longer awaiting you."))
    if not body.strip():
        raise ValidationError({"body": _("Write a comment.")})
    label = _("%(label)s (approval link)") % {"label": name.strip() or link.label or _("Client")}
    comment = _comment(post, actor=None, label=label, kind=CommentKind.COMMENT, body=body)
    _notify(
        agency=post.brand.agency,
        user_ids=[post.author_id],
        verb="post.commented",
        message=_("%(who)s commented on %(post)s") % {"who": label, "post": post},
        url=_post_url(post),
    )
    return comment


# --- Reminders -------------------------------------------------------------------------------

REMINDER_INTERVAL = dt.timedelta(hours=24)


@transaction.atomic
def approval_reminders_send(*, agency_id: int, now: dt.datetime | None = None) -> int:
    """Remind each brand's approvers of posts waiting for them, at most once a day per brand.
    Returns the number of brands reminded."""
    now = now or timezone.now()
    waiting = (
        Post.unscoped.filter(agency_id=agency_id, state=PostState.IN_REVIEW)
        .select_related("brand__agency")
        .order_by("brand_id", "scheduled_at")
    )
    by_brand: dict[int, list[Post]] = {}
    for post in waiting:
        by_brand.setdefault(post.brand_id, []).append(post)
    reminded = 0
    for posts in by_brand.values():
        brand = posts[0].brand
        policy = selectors.policy_of(brand)
        if policy.last_reminder_at and now - policy.last_reminder_at < REMINDER_INTERVAL:
            continue
        for stage in (ReviewStage.INTERNAL, ReviewStage.CLIENT):
            stage_posts = [p for p in posts if p.review_stage == stage]
            if not stage_posts:
                continue
            _notify(
                agency=brand.agency,
                user_ids=selectors.approver_user_ids(brand=brand, stage=stage),
                verb="post.approval_reminder",
                message=_("%(count)s post(s) of %(brand)s await your approval.")
                % {"count": len(stage_posts), "brand": brand.name},
                url=reverse("campaigns:approvals"),
            )
        policy.last_reminder_at = now
        policy.save()
        reminded += 1
    return reminded


# --- CSV import ------------------------------------------------------------------------------

CSV_COLUMNS = ["text", "accounts", "time", "media_url", "first_comment", "campaign"]
MAX_IMPORT_ROWS = 1000
# 1,000 rows of long posts fit in well under 5 MB; a cell holds more than the longest text any
# network takes (Facebook, 63,206 characters) and stays under the csv module's own 128 KB limit.
MAX_IMPORT_BYTES = 5 * 1024 * 1024
MAX_IMPORT_CELL_CHARS = 65_536
TIME_FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M", "%Y-%m-%d %H:%M:%S")


def _parse_local_time(value: str) -> dt.datetime:
    for fmt in TIME_FORMATS:
        try:
            return dt.datetime.strptime(value.strip(), fmt)
        except ValueError:
            continue
    raise ValueError(value)


def _account_index(brand: Brand) -> dict[str, SocialAccount]:
    index = {}
    for account in SocialAccount.unscoped.filter(agency_id=brand.agency_id, brand=brand):
        keys = {
            str(account.pk),
            account.handle.lower(),
            account.handle.lower().lstrip("@"),
            f"{account.network}:{account.handle.lower().lstrip('@')}",
        }
        for key in keys:
            if key:
                index[key] = account
    return index


def _check_row(
    data: dict, *, brand: Brand, accounts: dict, campaigns: dict
) -> tuple[list[str], dict]:
    """Errors of one CSV row, and the values a post would be created from."""
    errors: list[str] = []
    parsed: dict = {}
    text = (data.get("text") or "").strip()
    names = [n.strip() for n in re.split(r"[|;,]", data.get("accounts") or "") if n.strip()]
    chosen = []
    if not names:
        errors.append(_("accounts: name at least one account of the brand."))
    for name in names:
        account = accounts.get(name.lower()) or accounts.get(name.lower().lstrip("@"))
        if account is None:
            errors.append(
                _("accounts: “%(name)s” is not an account of this brand.") % {"name": name}
            )
        else:
            chosen.append(account)
    parsed["account_ids"] = [a.pk for a in chosen]
    when = (data.get("time") or "").strip()
    parsed["scheduled_at"] = None
    if when:
        try:
            local = _parse_local_time(when)
        except ValueError:
            errors.append(
                _("time: “%(value)s” is not a date and time like 2026-03-01 18:30.")
                % {"value": when}
            )
        else:
            try:
                utc = to_utc(local, brand.time_zone)
                _check_schedule(utc)
                parsed["scheduled_at"] = utc.isoformat()
            except ValidationError as exc:
                errors.extend(f"time: {m}" for m in exc.messages)
    media_url = (data.get("media_url") or "").strip()
    if media_url and not re.match(r"^https?://[^\s]+$", media_url):
        errors.append(_("media_url: “%(value)s” is not an http(s) address.") % {"value": media_url})
    elif media_url and (problem := outbound_url_problem(media_url)):
        # Downloaded later by the publishing worker, through the outbound guard (which checks
        # again then); refused now so that the row says why.
        errors.append(_("media_url: %(problem)s") % {"problem": problem})
    campaign_name = (data.get("campaign") or "").strip()
    parsed["campaign_id"] = None
    if campaign_name:
        campaign = campaigns.get(campaign_name.lower())
        if campaign is None:
            errors.append(
                _("campaign: no campaign of this brand is named “%(name)s”.")
                % {"name": campaign_name}
            )
        else:
            parsed["campaign_id"] = campaign.pk
    if chosen and not errors:
        composition = Composition(
            brand=brand,
            text=text,
            first_comment=(data.get("first_comment") or "").strip(),
            media_urls=[media_url] if media_url else [],
            accounts=chosen,
            campaign=campaigns.get(campaign_name.lower()) if campaign_name else None,
        )
        for check in check_composition(composition):
            errors.extend(f"{check.account}: {m}" for m in check.errors)
    return errors, parsed


@transaction.atomic
def post_import_preview(*, actor: Actor, brand: Brand, upload) -> PostImport:
    """Read a CSV (columns: text, accounts, time, media_url, first_comment, campaign) and check
    every row. Nothing is created: the preview lists each row's errors."""
    _require(actor, permissions.POSTS_WRITE)
    _require_brand(actor, brand)
    size = getattr(upload, "size", None) or 0
    if size > MAX_IMPORT_BYTES:
        raise ValidationError(
            {
                "file": _("The CSV has %(size)s MB; an import may have at most %(max)s MB.")
                % {"size": f"{size / 2**20:.1f}", "max": MAX_IMPORT_BYTES // 2**20}
            }
        )
    upload.seek(0)
    sample = upload.read(4096)
    upload.seek(0)
    if isinstance(sample, bytes):
        sample = sample.decode("utf-8-sig", errors="ignore")
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    with _csv_text(upload) as text:
        return _post_import_preview_read(
            actor=actor,
            brand=brand,
            reader=csv.DictReader(text, dialect=dialect),
            file_name=(getattr(upload, "name", "") or "posts.csv")[:255],
        )


@contextlib.contextmanager
def _csv_text(upload):
    """The upload as text, decoded as it is read (streamed: the file is never held whole)."""
    raw = getattr(upload, "file", upload)
    raw.seek(0)
    if isinstance(raw.read(0), str):
        yield raw
        return
    wrapper = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
    try:
        yield wrapper
    finally:
        wrapper.detach()  # the upload is Django's to close


def _csv_records(reader: csv.DictReader):
    """(line, record) of each CSV row. A row that cannot be read (encoding, a cell over the
    cap, a NUL byte, which no database text column holds) is a ValidationError naming it."""
    while True:
        line = reader.line_num + 1
        try:
            record = next(reader)
        except StopIteration:
            return
        except UnicodeDecodeError:
            raise ValidationError(
                {"file": _("Save the CSV as UTF-8 (line %(line)s is not).") % {"line": line}}
            ) from None
        except csv.Error as exc:
            if "field larger than field limit" in str(exc):
                raise ValidationError(
                    {
                        "file": _("Line %(line)s has a cell longer than %(max)s characters.")
                        % {"line": line, "max": MAX_IMPORT_CELL_CHARS}
                    }
                ) from None
            raise ValidationError(
                {"file": _("Line %(line)s cannot be read as CSV.") % {"line": line}}
            ) from None
        for key, value in record.items():
            values = value if isinstance(value, list) else [key, value]
            for cell in values:
                if not isinstance(cell, str):
                    continue
                if "\x00" in cell:
                    raise ValidationError(
                        {
                            "file": _(
                                "Line %(line)s holds a NUL character, which is not text: save "
                                "the file again as a CSV from your spreadsheet."
                            )
                            % {"line": line}
                        }
                    )
                if len(cell) > MAX_IMPORT_CELL_CHARS:
                    raise ValidationError(
                        {
                            "file": _("Line %(line)s has a cell longer than %(max)s characters.")
                            % {"line": line, "max": MAX_IMPORT_CELL_CHARS}
                        }
                    )
        yield line, record


def _post_import_preview_read(
    *, actor: Actor, brand: Brand, reader: csv.DictReader, file_name: str
) -> PostImport:
    try:
        fieldnames = reader.fieldnames
    except UnicodeDecodeError:
        raise ValidationError({"file": _("Save the CSV as UTF-8.")}) from None
    except csv.Error:
        raise ValidationError({"file": _("Line 1 cannot be read as CSV.")}) from None
    if any("\x00" in (h or "") or len(h or "") > MAX_IMPORT_CELL_CHARS for h in fieldnames or []):
        raise ValidationError({"file": _("Line 1 cannot be read as CSV.")})
    header = [h.strip().lower() for h in (fieldnames or [])]
    missing = [c for c in ("text", "accounts") if c not in header]
    if missing:
        raise ValidationError(
            {
                "file": _("The CSV needs the columns %(columns)s; missing: %(missing)s.")
                % {"columns": ", ".join(CSV_COLUMNS), "missing": ", ".join(missing)}
            }
        )
    accounts = _account_index(brand)
    campaigns = {
        c.name.lower(): c for c in Campaign.unscoped.filter(agency_id=brand.agency_id, brand=brand)
    }
    rows = []
    for number, record in _csv_records(reader):
        if len(rows) >= MAX_IMPORT_ROWS:
            raise ValidationError(
                {"file": _("At most %(max)s rows per import.") % {"max": MAX_IMPORT_ROWS}}
            )
        data = {
            (k or "").strip().lower(): (v or "").strip() if isinstance(v, str) else ""
            for k, v in record.items()
        }
        data = {k: data.get(k, "") for k in CSV_COLUMNS}
        if not any(data.values()):
            continue
        errors, parsed = _check_row(data, brand=brand, accounts=accounts, campaigns=campaigns)
        rows.append({"line": number, "data": data, "parsed": parsed, "errors": errors})
    if not rows:
        raise ValidationError({"file": _("The CSV has no rows.")})
    post_import = PostImport.unscoped.create(
        agency_id=brand.agency_id,
        brand=brand,
        file_name=file_name.replace("\x00", ""),
        rows=rows,
        created_by=_user(actor),
    )
    audit_record(
        agency=brand.agency,
        actor=actor,
        verb="post_import.previewed",
        target=post_import,
        data={"rows": len(rows), "errors": len(post_import.error_rows)},
    )
    return post_import


@transaction.atomic
def post_import_commit(
    *, actor: Actor, post_import: PostImport, valid_only: bool = False
) -> list[Post]:
    """Create the draft posts of a previewed import: all rows must be valid, unless the user
    chose to import only the valid ones. Rows are checked again (time passes, accounts change)."""
    _require(actor, permissions.POSTS_WRITE)
    post_import = (
        PostImport.unscoped.select_for_update(of=("self",))
        .select_related("brand")
        .get(pk=post_import.pk)
    )
    brand = post_import.brand
    _require_brand(actor, brand)
    if post_import.status != PostImportStatus.PREVIEW:
        raise ValidationError(_("This import was already done."))
    accounts = _account_index(brand)
    campaigns = {
        c.name.lower(): c for c in Campaign.unscoped.filter(agency_id=brand.agency_id, brand=brand)
    }
    for row in post_import.rows:
        row["errors"], row["parsed"] = _check_row(
            row["data"], brand=brand, accounts=accounts, campaigns=campaigns
        )
    bad = [row for row in post_import.rows if row["errors"]]
    if bad and not valid_only:
        post_import.save(update_fields=["rows"])
        raise ValidationError(
            _("%(count)s row(s) have errors: correct them, or import only the valid rows.")
            % {"count": len(bad)}
        )
    campaign_by_id = {c.pk: c for c in campaigns.values()}
    created = []
    for row in post_import.rows:
        if row["errors"]:
            continue
        parsed, data = row["parsed"], row["data"]
        created.append(
            post_create(
                actor=actor,
                brand=brand,
                account_ids=parsed["account_ids"],
                campaign=campaign_by_id.get(parsed["campaign_id"]),
                scheduled_at=dt.datetime.fromisoformat(parsed["scheduled_at"])
                if parsed["scheduled_at"]
                else None,
                text=data["text"],
                first_comment=data["first_comment"],
                media_urls=[data["media_url"]] if data["media_url"] else [],
            )
        )
    post_import.status = PostImportStatus.IMPORTED
    post_import.created_post_ids = [p.pk for p in created]
    post_import.save(update_fields=["rows", "status", "created_post_ids"])
    audit_record(
        agency=brand.agency,
        actor=actor,
        verb="post_import.imported",
        target=post_import,
        data={"created": len(created), "skipped": len(bad)},
    )
    return created


# Used by the CSV export and ICS feed.
def local_time_str(value: dt.datetime | None, tz_name: str) -> str:
    if value is None:
        return ""
    return value.astimezone(zoneinfo.ZoneInfo(tz_name)).strftime("%Y-%m-%d %H:%M")


def site_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path
