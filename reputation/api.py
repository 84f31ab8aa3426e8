"""Listening through the API: queries, sources, mentions, authors and statistics.

Writes go through reputation.services; reads through reputation.selectors, so client roles and
API keys see exactly what the dashboard shows them.
"""

import datetime as dt
import zoneinfo

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from agency import permissions
from agency.api.base import TenantAPIView, TenantViewSet
from agency.api.fields import ObjectIdField
from agency.api.pagination import CursorPagination
from agency.datetimes import parse_instant
from reputation import selectors, services
from reputation.models import (
    QUERY_LANGUAGES,
    Author,
    ListeningQuery,
    Mention,
    MentionLanguage,
    MentionRollup,
    SentimentLabel,
    Source,
    SourceKind,
)


def _pagination(*fields):
    return type("Pagination", (CursorPagination,), {"ordering": fields})


def _int(value):
    return int(value) if value and str(value).isdigit() else None


# --- Queries --------------------------------------------------------------------------------


class ListeningQuerySerializer(serializers.ModelSerializer):
    brand = ObjectIdField(source="brand_id")
    excluded_words = serializers.ListField(
        child=serializers.CharField(max_length=100), required=False
    )
    languages = serializers.ListField(
        child=serializers.ChoiceField(choices=QUERY_LANGUAGES), required=False
    )

    class Meta:
        model = ListeningQuery
        fields = [
            "id",
            "brand",
            "name",
            "expression",
            "excluded_words",
            "languages",
            "is_competitor",
            "competitor_name",
            "active",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "created_at", "updated_at"]
        validators = []


class ListeningQueryViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.DestroyModelMixin, TenantViewSet
):
    """What each brand listens for. Invalid expressions answer 400 with the character where
    the problem is."""

    model = ListeningQuery
    serializer_class = ListeningQuerySerializer
    pagination_class = _pagination("-created_at", "-id")
    filterset_fields = ["brand", "active", "is_competitor"]
    required_actions = {
        "list": permissions.LISTENING_VIEW,
        "retrieve": permissions.LISTENING_VIEW,
        "create": permissions.LISTENING_MANAGE,
        "update": permissions.LISTENING_MANAGE,
        "partial_update": permissions.LISTENING_MANAGE,
        "destroy": permissions.LISTENING_MANAGE,
    }

    def scope_queryset(self, queryset):
        return selectors.listening_queries_visible_to(self.request.actor)

    @extend_schema(request=ListeningQuerySerializer, responses={201: ListeningQuerySerializer})
    def create(self, request):
        data = ListeningQuerySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        query = services.listening_query_create(
            actor=request.actor, brand_id=fields.pop("brand_id"), **fields
        )
        return Response(ListeningQuerySerializer(query).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ListeningQuerySerializer, responses=ListeningQuerySerializer)
    def update(self, request, pk=None):
        return self._update(request, partial=False)

    @extend_schema(request=ListeningQuerySerializer, responses=ListeningQuerySerializer)
    def partial_update(self, request, pk=None):
        return self._update(request, partial=True)

    def _update(self, request, *, partial):
        query = self.get_object()
        data = ListeningQuerySerializer(query, data=request.data, partial=partial)
        data.is_valid(raise_exception=True)
        query = services.listening_query_update(
            actor=request.actor, query=query, **data.validated_data
        )
        return Response(ListeningQuerySerializer(query).data)

    def perform_destroy(self, instance):
        services.listening_query_delete(actor=self.request.actor, query=instance)


# --- Sources --------------------------------------------------------------------------------


class SourceSerializer(serializers.ModelSerializer):
    brand = ObjectIdField(source="brand_id", required=False, allow_null=True)
    kind = serializers.ChoiceField(choices=SourceKind.choices)

    class Meta:
        model = Source
        fields = [
            "id",
            "kind",
            "name",
            "url",
            "brand",
            "network",
            "search_terms",
            "poll_interval_minutes",
            "active",
            "next_poll_at",
            "last_polled_at",
            "last_success_at",
            "consecutive_failures",
            "last_error",
            "last_error_at",
            "mentions_found",
            "created_at",
        ]
        read_only_fields = [
            "id",
            "next_poll_at",
            "last_polled_at",
            "last_success_at",
            "consecutive_failures",
            "last_error",
            "last_error_at",
            "mentions_found",
            "created_at",
        ]
        validators = []
        extra_kwargs = {"name": {"required": False}, "url": {"required": False}}


class SourceViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.DestroyModelMixin, TenantViewSet
):
    """Where mentions come from; ``last_error`` says why the last poll failed."""

    model = Source
    serializer_class = SourceSerializer
    pagination_class = _pagination("-created_at", "-id")
    filterset_fields = ["kind", "brand", "active"]
    required_actions = {
        "list": permissions.LISTENING_VIEW,
        "retrieve": permissions.LISTENING_VIEW,
        "create": permissions.LISTENING_MANAGE,
        "partial_update": permissions.LISTENING_MANAGE,
        "destroy": permissions.LISTENING_MANAGE,
    }

    def scope_queryset(self, queryset):
        return selectors.sources_visible_to(self.request.actor)

    @extend_schema(request=SourceSerializer, responses={201: SourceSerializer})
    def create(self, request):
        data = SourceSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        source = services.source_create(
            actor=request.actor, brand_id=fields.pop("brand_id", None), **fields
        )
        return Response(SourceSerializer(source).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=SourceSerializer, responses=SourceSerializer)
    def partial_update(self, request, pk=None):
        source = self.get_object()
        data = SourceSerializer(source, data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        allowed = {"name", "url", "poll_interval_minutes", "active", "search_terms"}
        fields = {k: v for k, v in data.validated_data.items() if k in allowed}
        source = services.source_update(actor=request.actor, source=source, **fields)
        return Response(SourceSerializer(source).data)

    def perform_destroy(self, instance):
        services.source_delete(actor=self.request.actor, source=instance)


# --- Mentions -------------------------------------------------------------------------------


class AuthorSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = Author
        fields = ["id", "network", "handle", "name", "followers", "url"]


class MentionSerializer(serializers.ModelSerializer):
    brand = serializers.IntegerField(source="brand_id", read_only=True)
    source = serializers.IntegerField(source="source_id", read_only=True, allow_null=True)
    assigned_to = serializers.IntegerField(source="assigned_to_id", read_only=True, allow_null=True)
    author = AuthorSummarySerializer(read_only=True)

    class Meta:
        model = Mention
        fields = [
            "id",
            "brand",
            "voice",
            "source",
            "external_id",
            "url",
            "title",
            "text",
            "language",
            "sentiment_score",
            "sentiment_label",
            "sentiment_corrected",
            "author",
            "published_at",
            "collected_at",
            "reach",
            "engagement",
            "matched_terms",
            "tags",
            "assigned_to",
            "reviewed",
        ]
        read_only_fields = fields


class SentimentCorrectionInput(serializers.Serializer):
    label = serializers.ChoiceField(choices=SentimentLabel.choices)


class TriageInput(serializers.Serializer):
    tags = serializers.ListField(child=serializers.CharField(max_length=40), required=False)
    assigned_to = ObjectIdField(required=False, allow_null=True)
    reviewed = serializers.BooleanField(required=False)


_MENTION_FILTERS = [
    OpenApiParameter("brand", int),
    OpenApiParameter("query", int),
    OpenApiParameter("source", int),
    OpenApiParameter("author", int),
    OpenApiParameter("sentiment", str, enum=SentimentLabel.values),
    OpenApiParameter("language", str, enum=MentionLanguage.values),
    OpenApiParameter("since", OpenApiTypes.DATETIME),
    OpenApiParameter("until", OpenApiTypes.DATETIME),
    OpenApiParameter("q", str, description="words that must all appear"),
    OpenApiParameter("tag", str),
    OpenApiParameter("reviewed", bool),
]


class MentionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, TenantViewSet):
    """The mention stream, newest first, with cursor pagination."""

    model = Mention
    serializer_class = MentionSerializer
    pagination_class = _pagination("-published_at", "-id")
    filter_backends: list = []
    required_actions = {
        "list": permissions.LISTENING_VIEW,
        "retrieve": permissions.LISTENING_VIEW,
        "sentiment": permissions.MENTIONS_TRIAGE,
        "triage": permissions.MENTIONS_TRIAGE,
    }

    def scope_queryset(self, queryset):
        params = self.request.query_params
        reviewed = params.get("reviewed")
        filters = selectors.MentionFilters(
            brand_id=_int(params.get("brand")),
            query_id=_int(params.get("query")),
            source_id=_int(params.get("source")),
            author_id=_int(params.get("author")),
            sentiment=params.get("sentiment", ""),
            language=params.get("language", ""),
            since=parse_instant(params.get("since"), field="since"),
            until=parse_instant(params.get("until"), field="until"),
            search=params.get("q", "")[:200],
            tag=params.get("tag", "")[:40],
            reviewed={"true": True, "false": False}.get((reviewed or "").lower()),
        )
        if self.action != "list":
            filters = selectors.MentionFilters()
        return selectors.mentions_list(self.request.actor, filters)

    @extend_schema(parameters=_MENTION_FILTERS)
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=SentimentCorrectionInput, responses=MentionSerializer)
    @action(detail=True, methods=["post"])
    def sentiment(self, request, pk=None):
        """Correct the sentiment by hand; the analyser's verdict is kept to measure it."""
        mention = self.get_object()
        data = SentimentCorrectionInput(data=request.data)
        data.is_valid(raise_exception=True)
        mention = services.mention_correct_sentiment(
            actor=request.actor, mention=mention, label=data.validated_data["label"]
        )
        return Response(MentionSerializer(mention).data)

    @extend_schema(request=TriageInput, responses=MentionSerializer)
    @action(detail=True, methods=["post"])
    def triage(self, request, pk=None):
        """Tag, assign (a user id, or null) and mark reviewed; fields left out do not change."""
        mention = self.get_object()
        data = TriageInput(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        if "assigned_to" in fields:
            fields["assigned_to_id"] = fields.pop("assigned_to")
        mention = services.mention_triage(actor=request.actor, mention=mention, **fields)
        return Response(MentionSerializer(mention).data)


# --- Authors --------------------------------------------------------------------------------


class AuthorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Author
        fields = [
            "id",
            "network",
            "handle",
            "name",
            "followers",
            "url",
            "first_seen_at",
            "last_seen_at",
        ]


class AuthorViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, TenantViewSet):
    """People who wrote mentions (ranked views are in the statistics)."""

    model = Author
    serializer_class = AuthorSerializer
    pagination_class = _pagination("-last_seen_at", "-id")
    filterset_fields = ["network"]
    required_actions = {
        "list": permissions.LISTENING_VIEW,
        "retrieve": permissions.LISTENING_VIEW,
    }

    def scope_queryset(self, queryset):
        return selectors.authors_visible_to(self.request.actor)


# --- Statistics -----------------------------------------------------------------------------


class StatisticsView(TenantAPIView):
    """Volume by day and sentiment, e-reputation score, share of voice, top sources and
    authors, for one brand or all the caller may see, over ``days`` days (default 30)."""

    model = MentionRollup
    required_actions = {"get": permissions.LISTENING_VIEW}

    @extend_schema(
        parameters=[OpenApiParameter("brand", int), OpenApiParameter("days", int)],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request):
        actor = request.actor
        brand_id = _int(request.query_params.get("brand"))
        days = min(_int(request.query_params.get("days")) or 30, 366)
        tz = zoneinfo.ZoneInfo(actor.agency.time_zone or "Africa/Casablanca")
        until = dt.datetime.now(dt.UTC)
        since = until - dt.timedelta(days=days)
        stats = selectors.statistics(actor, tz=tz, brand_id=brand_id, since=since, until=until)
        for row in stats["by_day"]:
            row["day"] = row["day"].isoformat()
        return Response({"brand": brand_id, "since": since, "until": until, "days": days, **stats})
