"""Campaigns, ideas, posts with one variant per account, media, revisions, comments, links.

One module per topic; Django finds the models through the imports below (an app's models
package must import them), and the rest of the product imports them from `campaigns.models`.
The state machines of posts and variants (their allowed moves) live in campaigns/states.py; the
publishing engine's own tables (kill switch, backoff, metric snapshots) live in publishing/.
"""

from campaigns.models.imports import PostImport, PostImportStatus
from campaigns.models.links import ShareLink, ShareLinkKind
from campaigns.models.media import MediaAsset, MediaKind, media_upload_to, thumbnail_upload_to
from campaigns.models.planning import (
    CAMPAIGN_FIELDS,
    KPI_KEYS,
    Campaign,
    CampaignPersona,
    CampaignStatus,
    Idea,
    IdeaKind,
    IdeaStatus,
    Objective,
    RecruitmentChannel,
    currency_validator,
    validate_kpi_targets,
    validate_tags,
)
from campaigns.models.policy import ApprovalMode, ApprovalReminder, PublishingPolicy
from campaigns.models.posts import (
    CommentKind,
    CommentVisibility,
    Post,
    PostComment,
    PostRevision,
    PostState,
    PostVariant,
    ReviewStage,
    VariantReview,
    VariantState,
)

__all__ = [
    "CAMPAIGN_FIELDS",
    "KPI_KEYS",
    "ApprovalMode",
    "ApprovalReminder",
    "Campaign",
    "CampaignPersona",
    "CampaignStatus",
    "CommentKind",
    "CommentVisibility",
    "Idea",
    "IdeaKind",
    "IdeaStatus",
    "MediaAsset",
    "MediaKind",
    "Objective",
    "Post",
    "PostComment",
    "PostImport",
    "PostImportStatus",
    "PostRevision",
    "PostState",
    "PostVariant",
    "PublishingPolicy",
    "RecruitmentChannel",
    "ReviewStage",
    "ShareLink",
    "ShareLinkKind",
    "VariantReview",
    "VariantState",
    "currency_validator",
    "media_upload_to",
    "thumbnail_upload_to",
    "validate_kpi_targets",
    "validate_tags",
]
