"""Reads of the planning side: brands' approval policies, who approves, campaigns and ideas."""

from django.db.models import Count, QuerySet

from agency.models import Membership, Role
from agency.visibility import get_visible_or_404
from campaigns.models import (
    ApprovalMode,
    Campaign,
    Idea,
    IdeaStatus,
    Post,
    PostState,
    PublishingPolicy,
    ReviewStage,
)
from campaigns.selectors.access import Actor, brand_content_visible_to

# --- Policy and approvers --------------------------------------------------------------------


def policy_of(brand) -> PublishingPolicy:
    """The brand's policy, or an unsaved default (internal then client) when never set."""
    found = PublishingPolicy.objects.filter(agency_id=brand.agency_id, brand=brand).first()
    return found or PublishingPolicy(agency_id=brand.agency_id, brand=brand)


def approval_required(brand) -> bool:
    """Whether the brand's posts need an approval before they can be scheduled."""
    return policy_of(brand).approval_mode != ApprovalMode.NONE


def approver_user_ids(*, brand, stage: str) -> list[int]:
    """Who decides at this stage: internal approvers, or the brand's client approvers."""
    if stage == ReviewStage.CLIENT:
        return list(
            Membership.objects.filter(
                agency_id=brand.agency_id,
                role=Role.CLIENT_APPROVER,
                brand_accesses__brand=brand,
            ).values_list("user_id", flat=True)
        )
    return list(
        Membership.objects.filter(
            agency_id=brand.agency_id, role__in=[Role.OWNER, Role.ADMIN, Role.MANAGER]
        ).values_list("user_id", flat=True)
    )


def agencies_with_pending_reviews_across_agencies() -> list[int]:
    """Agencies with a post in review (the reminder dispatcher's read, before it enters each
    agency)."""
    return sorted(
        set(Post.unscoped.filter(state=PostState.IN_REVIEW).values_list("agency_id", flat=True))
    )


# --- Campaigns and ideas ---------------------------------------------------------------------


def campaigns_visible_to(actor: Actor, *, brand_id=None) -> QuerySet[Campaign]:
    return (
        brand_content_visible_to(Campaign, actor, brand_id=brand_id)
        .select_related("brand")
        .prefetch_related("personas")
        .annotate(post_count=Count("posts", distinct=True))
        .order_by("-starts_on", "-id")
    )


def campaign_get_for(*, actor: Actor, campaign_id) -> Campaign:
    return get_visible_or_404(campaigns_visible_to(actor), campaign_id, actor=actor)


def ideas_visible_to(actor: Actor, *, brand_id=None, status=None) -> QuerySet[Idea]:
    queryset = brand_content_visible_to(Idea, actor, brand_id=brand_id).select_related(
        "brand", "campaign"
    )
    if status:
        queryset = queryset.filter(status=status)
    return queryset.order_by("-created_at", "-id")


def idea_get_for(*, actor: Actor, idea_id) -> Idea:
    return get_visible_or_404(ideas_visible_to(actor), idea_id, actor=actor)


def open_ideas(actor: Actor, *, brand_id=None) -> QuerySet[Idea]:
    return ideas_visible_to(actor, brand_id=brand_id, status=IdeaStatus.OPEN)
