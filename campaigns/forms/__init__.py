"""Dashboard forms of campaigns: they parse and present; the services validate and write."""

from campaigns.forms.composer import PostForm, WallClockDateTimeField, option_field_name
from campaigns.forms.planning import (
    KPI_LABELS,
    CalendarFilterForm,
    CampaignForm,
    CommentForm,
    IdeaForm,
    ImportForm,
    MediaUploadForm,
    PolicyForm,
    RescheduleForm,
    ReviewForm,
    ShareLinkForm,
    split_labels,
)

__all__ = [
    "KPI_LABELS",
    "CalendarFilterForm",
    "CampaignForm",
    "CommentForm",
    "IdeaForm",
    "ImportForm",
    "MediaUploadForm",
    "PolicyForm",
    "PostForm",
    "RescheduleForm",
    "ReviewForm",
    "ShareLinkForm",
    "WallClockDateTimeField",
    "option_field_name",
    "split_labels",
]
