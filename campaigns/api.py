"""Campaigns, ideas, posts with variants, media, links and approvals through the API.

Writes go through campaigns.services; approvals are their own small endpoints
(`/posts/{id}/approve/`, `/posts/{id}/request-changes/`); `/posts/calendar/` answers a date
range. List endpoints read through the selectors' joins (their query counts are tested).
"""

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from agency import permissions
from agency.api.base import TenantAPIView, TenantViewSet
from agency.api.fields import InstantField, ObjectIdField
from agency.api.fields import ModelSerializer as RangeCheckedModelSerializer
from agency.api.permissions import IsAgencyMember
from agency.datetimes import parse_instant
from agency.models import Membership
from campaigns import selectors, services
from campaigns.composer import MAX_DRAFT_CHARS, MAX_FIRST_COMMENT_CHARS
from campaigns.models import (
    Campaign,
    Idea,
    IdeaKind,
    MediaAsset,
    Post,
    PostComment,
    PostState,
    PostVariant,
    ShareLink,
    ShareLinkKind,
)
from clients.selectors import brands_visible_to


def _narrow_to_client_brands(queryset, actor):
    if isinstance(actor, Membership) and actor.is_client:
        return queryset.filter(brand__accesses__membership=actor)
    return queryset


class VisibleBrandField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        request = self.context.get("request")
        if request is None or getattr(request, "actor", None) is None:
            from clients.models import Brand

            return Brand.unscoped.none()
        return brands_visible_to(request.actor)


# --- Campaigns -------------------------------------------------------------------------------


class CampaignSerializer(RangeCheckedModelSerializer):
    brand = VisibleBrandField()
    personas = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    persona_ids = serializers.ListField(child=ObjectIdField(), write_only=True, required=False)
    tags = serializers.ListField(child=serializers.CharField(max_length=50), required=False)
    kpi_targets = serializers.DictField(child=serializers.FloatField(min_value=0), required=False)

    class Meta:
        model = Campaign
        fields = [
            "id",
            "brand",
            "name",
            "objective",
            "recruitment_channel",
            "starts_on",
            "ends_on",
            "budget",
            "currency",
            "kpi_targets",
            "personas",
            "persona_ids",
            "status",
            "tags",
            "utm_enabled",
            "utm_source",
            "utm_medium",
            "utm_campaign",
            "created_at",
        ]
        read_only_fields = ["id", "created_at"]
        validators = []


@extend_schema_view(list=extend_schema(summary="Campaigns; filter with ?brand=ID&status="))
class CampaignViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, TenantViewSet):
    model = Campaign
    serializer_class = CampaignSerializer
    filterset_fields = ["brand", "status", "objective"]
    required_actions = {
        "list": permissions.CAMPAIGNS_VIEW,
        "retrieve": permissions.CAMPAIGNS_VIEW,
        "create": permissions.CAMPAIGNS_MANAGE,
        "partial_update": permissions.CAMPAIGNS_MANAGE,
        "destroy": permissions.CAMPAIGNS_MANAGE,
    }

    def scope_queryset(self, queryset):
        return (
            _narrow_to_client_brands(queryset, self.request.actor)
            .select_related("brand")
            .prefetch_related("personas")
        )

    def _personas(self, brand, ids):
        if ids is None:
            return None
        from clients.models import Persona

        found = list(Persona.objects.filter(brand=brand, pk__in=ids))
        if len(found) != len(set(ids)):
            raise exceptions.ValidationError({"persona_ids": [_("Choose audiences of the brand.")]})
        return found

    def create(self, request):
        data = self.get_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        brand = fields.pop("brand")
        personas = self._personas(brand, fields.pop("persona_ids", None))
        campaign = services.campaign_create(
            actor=request.actor, brand=brand, personas=personas, **fields
        )
        return Response(self.get_serializer(campaign).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        campaign = self.get_object()
        data = self.get_serializer(campaign, data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        fields.pop("brand", None)
        personas = self._personas(campaign.brand, fields.pop("persona_ids", None))
        campaign = services.campaign_update(
            actor=request.actor, campaign=campaign, personas=personas, **fields
        )
        return Response(self.get_serializer(campaign).data)

    def destroy(self, request, pk=None):
        services.campaign_delete(actor=request.actor, campaign=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


class VariantSerializer(serializers.ModelSerializer):
    network = serializers.CharField(source="social_account.network", read_only=True)
    account = serializers.CharField(source="social_account.__str__", read_only=True)

    class Meta:
        model = PostVariant
        fields = [
            "id",
            "social_account",
            "network",
            "account",
            "text_override",
            "media_override_ids",
            "state",
            "due_at",
            "attempt",
            "external_id",
            "external_url",
            "last_error",
            "published_at",
        ]
        read_only_fields = fields


class PostSerializer(serializers.ModelSerializer):
    variants = VariantSerializer(many=True, read_only=True)
    author = serializers.EmailField(
        source="author.email", default=None, read_only=True, allow_null=True
    )
    time_zone = serializers.CharField(source="brand.time_zone", read_only=True)
    scheduled_at_local = serializers.SerializerMethodField()

    class Meta:
        model = Post
        fields = [
            "id",
            "brand",
            "campaign",
            "author",
            "title",
            "text",
            "link",
            "first_comment",
            "labels",
            "media_ids",
            "media_urls",
            "scheduled_at",
            "scheduled_at_local",
            "time_zone",
            "state",
            "review_stage",
            "version",
            "variants",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_scheduled_at_local(self, post) -> str | None:
        """The scheduled time on the brand's wall clock, ISO 8601 with its offset."""
        return post.local_scheduled_at.isoformat() if post.scheduled_at else None


class CalendarSerializer(serializers.Serializer):
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()
    results = PostSerializer(many=True)


# --- Ideas -----------------------------------------------------------------------------------


class IdeaSerializer(serializers.ModelSerializer):
    brand = VisibleBrandField()

    class Meta:
        model = Idea
        fields = [
            "id",
            "brand",
            "campaign",
            "kind",
            "title",
            "description",
            "status",
            "post",
            "created_at",
        ]
        read_only_fields = ["id", "status", "post", "created_at"]


class IdeaViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, TenantViewSet):
    model = Idea
    serializer_class = IdeaSerializer
    filterset_fields = ["brand", "status", "kind"]
    required_actions = {
        "list": permissions.CAMPAIGNS_VIEW,
        "retrieve": permissions.CAMPAIGNS_VIEW,
        "create": permissions.CAMPAIGNS_MANAGE,
        "destroy": permissions.CAMPAIGNS_MANAGE,
        "convert": permissions.POSTS_WRITE,
    }

    def scope_queryset(self, queryset):
        return _narrow_to_client_brands(queryset, self.request.actor).select_related("brand")

    def create(self, request):
        data = self.get_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        idea = services.idea_create(actor=request.actor, **fields)
        return Response(self.get_serializer(idea).data, status=status.HTTP_201_CREATED)

    def destroy(self, request, pk=None):
        services.idea_delete(actor=request.actor, idea=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=None, responses={201: PostSerializer})
    @action(detail=True, methods=["post"])
    def convert(self, request, pk=None):
        """Turn the idea into a draft post."""
        post = services.idea_convert(actor=request.actor, idea=self.get_object())
        post = selectors.post_get_for(actor=request.actor, post_id=post.pk)
        return Response(PostSerializer(post).data, status=status.HTTP_201_CREATED)


# --- Posts -----------------------------------------------------------------------------------


class PostWriteSerializer(serializers.Serializer):
    brand = ObjectIdField(required=False, help_text="Brand id (on creation).")
    campaign = ObjectIdField(required=False, allow_null=True)
    title = serializers.CharField(max_length=200, required=False, allow_blank=True)
    text = serializers.CharField(required=False, allow_blank=True, max_length=MAX_DRAFT_CHARS)
    link = serializers.URLField(required=False, allow_blank=True, max_length=2000)
    first_comment = serializers.CharField(
        required=False, allow_blank=True, max_length=MAX_FIRST_COMMENT_CHARS
    )
    labels = serializers.ListField(
        child=serializers.CharField(max_length=50), required=False, max_length=30
    )
    media_ids = serializers.ListField(child=ObjectIdField(), required=False)
    accounts = serializers.ListField(
        child=ObjectIdField(), required=False, help_text="Social account ids."
    )
    overrides = serializers.DictField(
        child=serializers.CharField(allow_blank=True, max_length=MAX_DRAFT_CHARS),
        required=False,
        help_text="Text per account id, for the accounts whose text differs.",
    )
    media_overrides = serializers.DictField(
        child=serializers.ListField(child=ObjectIdField()),
        required=False,
        help_text="Media ids per account id, for the accounts whose media differ.",
    )
    scheduled_at = InstantField(
        required=False, allow_null=True, help_text="An instant, with its UTC offset."
    )
    scheduled_at_local = InstantField(
        required=False,
        allow_null=True,
        default_timezone=dt.UTC,
        help_text="A wall-clock time in the brand's time zone, without offset.",
    )


def _campaign_of(actor, brand, campaign_id):
    if not campaign_id:
        return None
    campaign = (
        selectors.campaigns_visible_to(actor, brand_id=brand.pk).filter(pk=campaign_id).first()
    )
    if campaign is None:
        raise exceptions.ValidationError({"campaign": [_("Choose a campaign of the brand.")]})
    return campaign


def _when(data: dict, brand):
    if data.get("scheduled_at_local"):
        naive = data["scheduled_at_local"].replace(tzinfo=None)
        return services.to_utc(naive, brand.time_zone)
    if "scheduled_at" in data:
        return data["scheduled_at"]
    return ...


class ScheduleSerializer(serializers.Serializer):
    scheduled_at = InstantField(required=False)


@extend_schema_view(
    list=extend_schema(summary="Posts with their variants; filter with ?brand=&campaign=&state=")
)
class PostViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, TenantViewSet):
    model = Post
    serializer_class = PostSerializer
    filterset_fields = ["brand", "campaign", "state", "author"]
    required_actions = {
        "list": permissions.CAMPAIGNS_VIEW,
        "retrieve": permissions.CAMPAIGNS_VIEW,
        "calendar": permissions.CAMPAIGNS_VIEW,
        "create": permissions.POSTS_WRITE,
        "partial_update": permissions.POSTS_WRITE,
        "submit": permissions.POSTS_WRITE,
        "schedule": permissions.POSTS_WRITE,
        "cancel": permissions.POSTS_WRITE,
    }

    def scope_queryset(self, queryset):
        actor = self.request.actor
        return (
            _narrow_to_client_brands(queryset, actor)
            .select_related("brand", "campaign", "author")
            .prefetch_related("variants__social_account")
        )

    @extend_schema(request=PostWriteSerializer, responses={201: PostSerializer})
    def create(self, request):
        data = PostWriteSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        brand = brands_visible_to(request.actor).filter(pk=values.pop("brand", 0) or 0).first()
        if brand is None:
            raise exceptions.ValidationError({"brand": [_("Choose one of your brands.")]})
        when = _when(values, brand)
        values.pop("scheduled_at", None)
        values.pop("scheduled_at_local", None)
        post = services.post_create(
            actor=request.actor,
            brand=brand,
            campaign=_campaign_of(request.actor, brand, values.pop("campaign", None)),
            account_ids=values.pop("accounts", []),
            overrides={int(k): v for k, v in values.pop("overrides", {}).items()},
            media_overrides={int(k): v for k, v in values.pop("media_overrides", {}).items()},
            labels=values.pop("labels", None),
            scheduled_at=None if when is ... else when,
            **values,
        )
        post = selectors.post_get_for(actor=request.actor, post_id=post.pk)
        return Response(PostSerializer(post).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=PostWriteSerializer, responses=PostSerializer)
    def partial_update(self, request, pk=None):
        post = self.get_object()
        data = PostWriteSerializer(data=request.data, context={"request": request}, partial=True)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        values.pop("brand", None)
        when = _when(values, post.brand)
        values.pop("scheduled_at", None)
        values.pop("scheduled_at_local", None)
        kwargs = {}
        if "campaign" in values:
            kwargs["campaign"] = _campaign_of(request.actor, post.brand, values.pop("campaign"))
        if "accounts" in values:
            kwargs["account_ids"] = values.pop("accounts")
            kwargs["overrides"] = {int(k): v for k, v in values.pop("overrides", {}).items()}
            kwargs["media_overrides"] = {
                int(k): v for k, v in values.pop("media_overrides", {}).items()
            }
        values.pop("overrides", None)
        values.pop("media_overrides", None)
        services.post_update(
            actor=request.actor,
            post=post,
            scheduled_at=when,
            labels=values.pop("labels", None),
            **kwargs,
            **values,
        )
        return Response(
            PostSerializer(selectors.post_get_for(actor=request.actor, post_id=pk)).data
        )

    def _act(self, service, **kwargs):
        post = self.get_object()
        service(actor=self.request.actor, post=post, **kwargs)
        return Response(
            PostSerializer(selectors.post_get_for(actor=self.request.actor, post_id=post.pk)).data
        )

    @extend_schema(request=None, responses=PostSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """Send for approval; refused (400) while any network's content rule is broken."""
        return self._act(services.post_submit)

    @extend_schema(request=ScheduleSerializer, responses=PostSerializer)
    @action(detail=True, methods=["post"])
    def schedule(self, request, pk=None):
        """Queue an approved post at its time (or the time given)."""
        data = ScheduleSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._act(
            services.post_schedule, scheduled_at=data.validated_data.get("scheduled_at")
        )

    @extend_schema(request=None, responses=PostSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        return self._act(services.post_cancel)

    @extend_schema(
        parameters=[
            OpenApiParameter("start", OpenApiTypes.DATETIME, description="Default: now - 7 days"),
            OpenApiParameter("end", OpenApiTypes.DATETIME, description="Default: start + 35 days"),
            OpenApiParameter("brand", OpenApiTypes.INT),
            OpenApiParameter("campaign", OpenApiTypes.INT),
            OpenApiParameter("network", OpenApiTypes.STR),
            OpenApiParameter("state", OpenApiTypes.STR),
        ],
        responses=CalendarSerializer,
    )
    @action(detail=False, methods=["get"], pagination_class=None, filterset_fields=[])
    def calendar(self, request):
        """Posts scheduled in [start, end), at most 93 days; times in UTC and on each brand's
        wall clock."""
        params = request.query_params
        start = parse_instant(params.get("start"), field="start")
        start = start or timezone.now() - dt.timedelta(days=7)
        end = parse_instant(params.get("end"), field="end") or start + dt.timedelta(days=35)
        if end <= start or end - start > dt.timedelta(days=93):
            raise exceptions.ValidationError(
                {"end": [_("The range must be positive and at most 93 days.")]}
            )
        posts = selectors.posts_filtered(
            request.actor,
            brand_id=_int(params.get("brand")),
            campaign_id=_int(params.get("campaign")),
            network=params.get("network") or None,
            state=params.get("state") or None,
            start=start,
            end=end,
        ).order_by("scheduled_at", "id")
        return Response(
            {
                "start": start.isoformat(),
                "end": end.isoformat(),
                "results": PostSerializer(posts, many=True).data,
            }
        )


def _int(value):
    try:
        return int(value) if value else None
    except ValueError:
        raise exceptions.ValidationError({"filter": [_("Ids are numbers.")]}) from None


# --- Approvals: one small endpoint each ------------------------------------------------------


class MayReview(IsAgencyMember):
    """Internal or client approvers; the service checks which one the post's stage needs."""

    def has_permission(self, request, view):
        if not super().has_permission(request, view):
            return False
        return permissions.can(request.actor, permissions.POSTS_APPROVE) or permissions.can(
            request.actor, permissions.POSTS_CLIENT_APPROVE
        )


class ReviewInput(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, max_length=5000)


class _ReviewView(TenantAPIView):
    model = Post
    permission_classes = [MayReview]
    service = None

    @extend_schema(request=ReviewInput, responses=PostSerializer)
    def post(self, request, id):
        post = selectors.post_get_for(actor=request.actor, post_id=id)
        data = ReviewInput(data=request.data)
        data.is_valid(raise_exception=True)
        type(self).service(
            actor=request.actor, post=post, comment=data.validated_data.get("comment", "")
        )
        return Response(
            PostSerializer(selectors.post_get_for(actor=request.actor, post_id=id)).data
        )


class PostApproveView(_ReviewView):
    """Approve a post at its current review stage (internal, or client for client approvers)."""

    service = services.post_approve


class PostRequestChangesView(_ReviewView):
    """Send the post back to its author; a comment saying what to change is required."""

    service = services.post_request_changes


class CommentSerializer(serializers.ModelSerializer):
    class Meta:
        model = PostComment
        fields = ["id", "author_label", "kind", "body", "version", "created_at"]
        read_only_fields = ["id", "author_label", "kind", "version", "created_at"]


class PostCommentsView(TenantAPIView):
    """The post's comment thread; POST adds a comment (@mentions notify)."""

    model = Post
    required_actions = {"get": permissions.CAMPAIGNS_VIEW, "post": permissions.POSTS_COMMENT}

    @extend_schema(responses=CommentSerializer(many=True))
    def get(self, request, id):
        post = selectors.post_get_for(actor=request.actor, post_id=id)
        comments = selectors.post_comments(post, actor=request.actor)
        return Response(CommentSerializer(comments, many=True).data)

    @extend_schema(request=CommentSerializer, responses={201: CommentSerializer})
    def post(self, request, id):
        post = selectors.post_get_for(actor=request.actor, post_id=id)
        data = CommentSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        comment = services.post_comment_add(
            actor=request.actor, post=post, body=data.validated_data.get("body", "")
        )
        return Response(CommentSerializer(comment).data, status=status.HTTP_201_CREATED)


# --- Media -----------------------------------------------------------------------------------


class MediaAssetSerializer(serializers.ModelSerializer):
    brand = VisibleBrandField()
    file = serializers.FileField(write_only=True, help_text="Image or video (multipart).")
    url = serializers.SerializerMethodField()
    thumbnail_url = serializers.SerializerMethodField()

    class Meta:
        model = MediaAsset
        fields = [
            "id",
            "brand",
            "file",
            "url",
            "thumbnail_url",
            "original_name",
            "kind",
            "mime_type",
            "size",
            "width",
            "height",
            "alt_text",
            "created_at",
        ]
        read_only_fields = [
            "id",
            "original_name",
            "kind",
            "mime_type",
            "size",
            "width",
            "height",
            "created_at",
        ]

    def get_url(self, asset) -> str:
        return asset.file.url if asset.file else ""

    def get_thumbnail_url(self, asset) -> str:
        return asset.thumbnail.url if asset.thumbnail else ""


class MediaAssetViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, TenantViewSet):
    model = MediaAsset
    serializer_class = MediaAssetSerializer
    parser_classes = [MultiPartParser, FormParser, JSONParser]
    filterset_fields = ["brand", "kind"]
    required_actions = {
        "list": permissions.CAMPAIGNS_VIEW,
        "retrieve": permissions.CAMPAIGNS_VIEW,
        "create": permissions.POSTS_WRITE,
        "destroy": permissions.POSTS_WRITE,
    }

    def scope_queryset(self, queryset):
        return _narrow_to_client_brands(queryset, self.request.actor)

    def create(self, request):
        data = self.get_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        asset = services.media_asset_upload(
            actor=request.actor,
            brand=data.validated_data["brand"],
            upload=data.validated_data["file"],
            alt_text=data.validated_data.get("alt_text", ""),
        )
        return Response(self.get_serializer(asset).data, status=status.HTTP_201_CREATED)

    def destroy(self, request, pk=None):
        services.media_asset_delete(actor=request.actor, media_asset=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- Share links -----------------------------------------------------------------------------


class ShareLinkSerializer(serializers.ModelSerializer):
    brand = VisibleBrandField()
    url = serializers.SerializerMethodField()
    valid_days = serializers.IntegerField(
        write_only=True, required=False, min_value=1, max_value=365
    )
    kind = serializers.ChoiceField(choices=ShareLinkKind.choices)

    class Meta:
        model = ShareLink
        fields = [
            "id",
            "brand",
            "kind",
            "label",
            "url",
            "valid_days",
            "expires_at",
            "revoked_at",
            "created_at",
        ]
        read_only_fields = ["id", "url", "expires_at", "revoked_at", "created_at"]

    def get_url(self, link) -> str:
        from django.urls import reverse

        name = "campaigns:approval_link" if link.kind == ShareLinkKind.APPROVAL else "campaigns:ics"
        return services.site_url(reverse(name, kwargs={"token": selectors.share_link_token(link)}))


class ShareLinkViewSet(mixins.ListModelMixin, TenantViewSet):
    """Signed approval links and ICS feeds of brands (revocable)."""

    model = ShareLink
    serializer_class = ShareLinkSerializer
    filterset_fields = ["brand", "kind"]
    required_actions = {
        "list": permissions.SHARE_LINKS_MANAGE,
        "create": permissions.SHARE_LINKS_MANAGE,
        "revoke": permissions.SHARE_LINKS_MANAGE,
    }

    def scope_queryset(self, queryset):
        return _narrow_to_client_brands(queryset, self.request.actor)

    def create(self, request):
        data = self.get_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        link = services.share_link_create(actor=request.actor, **values)
        return Response(self.get_serializer(link).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=ShareLinkSerializer)
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        link = services.share_link_revoke(actor=request.actor, share_link=self.get_object())
        return Response(self.get_serializer(link).data)


__all__ = [
    "CampaignViewSet",
    "IdeaViewSet",
    "PostViewSet",
    "PostApproveView",
    "PostRequestChangesView",
    "PostCommentsView",
    "MediaAssetViewSet",
    "ShareLinkViewSet",
    "IdeaKind",
    "PostState",
]
