"""Posts with their variants: create, edit, submit, schedule, cancel, and a calendar range."""

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from agency import permissions
from agency.api.base import TenantViewSet
from agency.datetimes import parse_instant
from campaigns.api.serializers import (
    CalendarSerializer,
    PostSerializer,
    PostWriteSerializer,
    ScheduleSerializer,
)
from campaigns.models import Post
from campaigns.selectors.planning import campaigns_visible_to
from campaigns.selectors.posts import post_get_for, posts_filtered
from campaigns.services.posts import post_create, post_update
from campaigns.services.workflow import post_cancel, post_schedule, post_submit
from campaigns.times import to_utc
from clients.selectors import brands_visible_to


def _campaign_of(actor, brand, campaign_id):
    if not campaign_id:
        return None
    campaign = campaigns_visible_to(actor, brand_id=brand.pk).filter(pk=campaign_id).first()
    if campaign is None:
        raise exceptions.ValidationError({"campaign": [_("Choose a campaign of the brand.")]})
    return campaign


def _when(data: dict, brand):
    if data.get("scheduled_at_local"):
        naive = data["scheduled_at_local"].replace(tzinfo=None)
        return to_utc(naive, brand.time_zone)
    if "scheduled_at" in data:
        return data["scheduled_at"]
    return ...


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
        return queryset.select_related("brand", "campaign", "author").prefetch_related(
            "variants__social_account"
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
        post = post_create(
            actor=request.actor,
            brand=brand,
            campaign=_campaign_of(request.actor, brand, values.pop("campaign", None)),
            account_ids=values.pop("accounts", []),
            overrides={int(k): v for k, v in values.pop("overrides", {}).items()},
            media_overrides={int(k): v for k, v in values.pop("media_overrides", {}).items()},
            network_options={int(k): v for k, v in values.pop("network_options", {}).items()},
            labels=values.pop("labels", None),
            scheduled_at=None if when is ... else when,
            **values,
        )
        post = post_get_for(actor=request.actor, post_id=post.pk)
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
        if "network_options" in values:
            kwargs["network_options"] = {
                int(k): v for k, v in values.pop("network_options").items()
            }
            if "account_ids" not in kwargs:  # the options alone: the same accounts
                variants = list(post.variants.all())
                kwargs["account_ids"] = [v.social_account_id for v in variants]
                kwargs["overrides"] = {v.social_account_id: v.text_override for v in variants}
                kwargs["media_overrides"] = {
                    v.social_account_id: v.media_override_ids
                    for v in variants
                    if v.media_override_ids
                }
        values.pop("overrides", None)
        values.pop("media_overrides", None)
        post_update(
            actor=request.actor,
            post=post,
            scheduled_at=when,
            labels=values.pop("labels", None),
            **kwargs,
            **values,
        )
        return Response(PostSerializer(post_get_for(actor=request.actor, post_id=pk)).data)

    def _act(self, service, **kwargs):
        post = self.get_object()
        service(actor=self.request.actor, post=post, **kwargs)
        return Response(
            PostSerializer(post_get_for(actor=self.request.actor, post_id=post.pk)).data
        )

    @extend_schema(request=None, responses=PostSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """Send for approval; refused (400) while any network's content rule is broken."""
        return self._act(post_submit)

    @extend_schema(request=ScheduleSerializer, responses=PostSerializer)
    @action(detail=True, methods=["post"])
    def schedule(self, request, pk=None):
        """Queue an approved post at its time (or the time given)."""
        data = ScheduleSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._act(post_schedule, scheduled_at=data.validated_data.get("scheduled_at"))

    @extend_schema(request=None, responses=PostSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        return self._act(post_cancel)

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
        posts = posts_filtered(
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
