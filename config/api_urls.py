"""/api/v1/: one router for every app's endpoints, plus the schema and its two viewers."""

from django.urls import path, re_path
from drf_spectacular.views import SpectacularRedocView
from rest_framework.routers import DefaultRouter

from agency.api import errors as api_errors
from agency.api import views as agency_api
from agency.api.schema_views import CachedSchemaView, FastSwaggerView
from analytics.api.brands import BrandMetricsViewSet
from analytics.api.metrics import PostVariantMetricsViewSet, SocialAccountMetricsViewSet
from campaigns.api.approvals import (
    PostApproveView,
    PostCommentsView,
    PostHoldView,
    PostRejectView,
    PostReleaseView,
    PostRequestChangesView,
    PostsBulkApproveView,
    PostVariantDecisionView,
)
from campaigns.api.campaigns import CampaignViewSet, IdeaViewSet
from campaigns.api.media import MediaAssetViewSet
from campaigns.api.posts import PostViewSet
from campaigns.api.share_links import ShareLinkViewSet
from clients.api import (
    BrandViewSet,
    ClientContactViewSet,
    CompetitorViewSet,
    PersonaViewSet,
    SocialAccountViewSet,
)
from engagement.api.author_lists import ListedAuthorViewSet
from engagement.api.conversations import ConversationViewSet
from engagement.api.labels import LabelViewSet
from engagement.api.metrics import InboxMetricsView
from engagement.api.moderation import ModerationRuleViewSet
from engagement.api.replies import ReplyApprovalViewSet, SavedReplyViewSet
from notifications import api as notifications_api
from reports.api.runs import ReportRunViewSet
from reports.api.schedules import ReportScheduleViewSet
from reports.api.templates import ReportTemplateViewSet
from reputation.api.crises import CrisisIncidentViewSet
from reputation.api.mentions import AuthorViewSet, MentionViewSet
from reputation.api.queries import ListeningQueryViewSet
from reputation.api.sources import SourceViewSet
from reputation.api.statistics import CensusView, StatisticsView
from webhooks import api as webhooks_api

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("members", agency_api.MemberViewSet, basename="member")
router.register("invitations", agency_api.InvitationViewSet, basename="invitation")
router.register("api-keys", agency_api.ApiKeyViewSet, basename="api-key")
router.register("audit-events", agency_api.AuditEventViewSet, basename="audit-event")
router.register("crisis-incidents", CrisisIncidentViewSet, basename="crisis-incident")
router.register("notifications", notifications_api.NotificationViewSet, basename="notification")
router.register(
    "webhook-endpoints", webhooks_api.WebhookEndpointViewSet, basename="webhook-endpoint"
)
router.register(
    "webhook-deliveries", webhooks_api.WebhookDeliveryViewSet, basename="webhook-delivery"
)
router.register("brands", BrandViewSet, basename="brand")
router.register("personas", PersonaViewSet, basename="persona")
router.register("competitors", CompetitorViewSet, basename="competitor")
router.register("client-contacts", ClientContactViewSet, basename="client-contact")
router.register("social-accounts", SocialAccountViewSet, basename="social-account")
router.register("campaigns", CampaignViewSet, basename="campaign")
router.register("ideas", IdeaViewSet, basename="idea")
router.register("posts", PostViewSet, basename="post")
router.register("media", MediaAssetViewSet, basename="media-asset")
router.register("share-links", ShareLinkViewSet, basename="share-link")

router.register("listening/queries", ListeningQueryViewSet, basename="listening-query")
router.register("listening/sources", SourceViewSet, basename="listening-source")
router.register("listening/mentions", MentionViewSet, basename="mention")
router.register("listening/authors", AuthorViewSet, basename="author")
router.register("conversations", ConversationViewSet, basename="conversation")
router.register("labels", LabelViewSet, basename="label")
router.register("saved-replies", SavedReplyViewSet, basename="saved-reply")
router.register("reply-approvals", ReplyApprovalViewSet, basename="reply-approval")
router.register("moderation-rules", ModerationRuleViewSet, basename="moderation-rule")
router.register("listed-authors", ListedAuthorViewSet, basename="listed-author")
router.register("metrics/post-variants", PostVariantMetricsViewSet, basename="post-variant-metrics")
router.register(
    "metrics/social-accounts", SocialAccountMetricsViewSet, basename="social-account-metrics"
)
router.register("metrics/brands", BrandMetricsViewSet, basename="brand-metrics")
router.register("report-templates", ReportTemplateViewSet, basename="report-template")
router.register("report-schedules", ReportScheduleViewSet, basename="report-schedule")
router.register("report-runs", ReportRunViewSet, basename="report-run")

app_name = "api"
urlpatterns = [
    path("me/", agency_api.MeView.as_view(), name="me"),
    path("agency/", agency_api.AgencyView.as_view(), name="agency"),
    path(
        "listening/statistics/",
        StatisticsView.as_view(),
        name="listening-statistics",
    ),
    path("listening/census/", CensusView.as_view(), name="listening-census"),
    path("inbox-metrics/", InboxMetricsView.as_view(), name="inbox-metrics"),
    path("posts/<int:id>/approve/", PostApproveView.as_view(), name="post-approve"),
    path("posts/<int:id>/reject/", PostRejectView.as_view(), name="post-reject"),
    path(
        "posts/<int:id>/variants/<int:post_variant_id>/decision/",
        PostVariantDecisionView.as_view(),
        name="post-variant-decision",
    ),
    path("posts/bulk-approve/", PostsBulkApproveView.as_view(), name="posts-bulk-approve"),
    path("posts/<int:id>/hold/", PostHoldView.as_view(), name="post-hold"),
    path("posts/<int:id>/release/", PostReleaseView.as_view(), name="post-release"),
    path(
        "posts/<int:id>/request-changes/",
        PostRequestChangesView.as_view(),
        name="post-request-changes",
    ),
    path("posts/<int:id>/comments/", PostCommentsView.as_view(), name="post-comments"),
    path("schema/", CachedSchemaView.as_view(), name="schema"),
    path("docs/", FastSwaggerView.as_view(url_name="api:schema"), name="swagger"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api:schema"), name="redoc"),
    *router.urls,
    # Last: any other address under /api/v1/ answers the API's JSON 404, not an HTML page.
    re_path(r"^", api_errors.not_found, name="not-found"),
]
