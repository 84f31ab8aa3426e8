"""Writes of the planning side: the brand's approval policy, campaigns, ideas."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from agency import permissions
from agency.services.audit import audit_record
from campaigns.models import (
    CAMPAIGN_FIELDS,
    ApprovalMode,
    Campaign,
    Idea,
    IdeaStatus,
    Post,
    PublishingPolicy,
)
from campaigns.selectors.planning import policy_of
from campaigns.services.access import Actor, require, require_brand, user_of
from campaigns.services.posts import post_create
from clients.models import Brand


@transaction.atomic
def publishing_policy_update(
    *, actor: Actor, brand: Brand, approval_mode: str, duplicate_window_hours: int | None = None
) -> PublishingPolicy:
    """Set how the brand's posts are approved. Posts already in review keep their stage."""
    require(actor, permissions.CAMPAIGNS_MANAGE)
    require_brand(actor, brand)
    if approval_mode not in ApprovalMode.values:
        raise ValidationError({"approval_mode": _("Unknown approval mode.")})
    policy = policy_of(brand)
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
    require(actor, permissions.CAMPAIGNS_MANAGE)
    require_brand(actor, brand)
    unknown = set(fields).difference(CAMPAIGN_FIELDS)
    if unknown:
        raise ValueError(f"Not campaign fields: {sorted(unknown)}")
    if not (fields.get("name") or "").strip():
        raise ValidationError({"name": _("Give the campaign a name.")})
    campaign = Campaign(agency_id=brand.agency_id, brand=brand, created_by=user_of(actor), **fields)
    _campaign_save(campaign, personas)
    audit_record(agency=brand.agency, actor=actor, verb="campaign.created", target=campaign)
    return campaign


@transaction.atomic
def campaign_update(*, actor: Actor, campaign: Campaign, personas=None, **fields) -> Campaign:
    """Change a campaign's fields (and its audiences when given); validated like a new one."""
    require(actor, permissions.CAMPAIGNS_MANAGE)
    require_brand(actor, campaign.brand)
    unknown = set(fields).difference(CAMPAIGN_FIELDS)
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
    require(actor, permissions.CAMPAIGNS_MANAGE)
    require_brand(actor, campaign.brand)
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
    """An idea in the brand's backlog (optionally for one of its campaigns)."""
    require(actor, permissions.CAMPAIGNS_MANAGE)
    require_brand(actor, brand)
    if campaign is not None and campaign.brand_id != brand.pk:
        raise ValidationError({"campaign": _("The campaign must be one of the brand's.")})
    idea = Idea(
        agency_id=brand.agency_id,
        brand=brand,
        kind=kind,
        title=title.strip(),
        description=description,
        campaign=campaign,
        created_by=user_of(actor),
    )
    idea.full_clean(exclude=["brand", "campaign", "post"])
    idea.save()
    audit_record(agency=brand.agency, actor=actor, verb="idea.created", target=idea)
    return idea


@transaction.atomic
def idea_update(*, actor: Actor, idea: Idea, **fields) -> Idea:
    """Change an idea's kind, title, description, status or campaign."""
    require(actor, permissions.CAMPAIGNS_MANAGE)
    require_brand(actor, idea.brand)
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
    """Delete an idea (a post made from it stays)."""
    require(actor, permissions.CAMPAIGNS_MANAGE)
    require_brand(actor, idea.brand)
    audit_record(agency=idea.brand.agency, actor=actor, verb="idea.deleted", target=idea)
    idea.delete()


@transaction.atomic
def idea_convert(*, actor: Actor, idea: Idea) -> Post:
    """Turn an idea into a draft post of the same brand (and campaign); the idea is marked used."""
    require(actor, permissions.POSTS_WRITE)
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
