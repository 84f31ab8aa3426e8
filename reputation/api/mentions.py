"""Mentions (the stream, sentiment correction, triage) and their authors through the API."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from agency import permissions
from agency.api.base import TenantViewSet
from agency.api.fields import ObjectIdField
from agency.datetimes import parse_instant
from reputation.api.common import int_or_none, pagination
from reputation.models.mentions import (
    AbuseLabel,
    Author,
    Mention,
    MentionLanguage,
    SentimentLabel,
)
from reputation.selectors.listening import (
    ABUSE_ANY,
    MentionFilters,
    authors_visible_to,
    mentions_list,
)
from reputation.services.mentions import mention_correct_sentiment, mention_triage


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
            "abuse_labels",
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
    OpenApiParameter(
        "abuse",
        str,
        enum=[ABUSE_ANY, *AbuseLabel.values],
        description="an abuse label the mention carries, or 'any' for any label",
    ),
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
    pagination_class = pagination("-published_at", "-id")
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
        filters = MentionFilters(
            brand_id=int_or_none(params.get("brand")),
            query_id=int_or_none(params.get("query")),
            source_id=int_or_none(params.get("source")),
            author_id=int_or_none(params.get("author")),
            sentiment=params.get("sentiment", ""),
            language=params.get("language", ""),
            abuse=params.get("abuse", "")[:20],
            since=parse_instant(params.get("since"), field="since"),
            until=parse_instant(params.get("until"), field="until"),
            search=params.get("q", "")[:200],
            tag=params.get("tag", "")[:40],
            reviewed={"true": True, "false": False}.get((reviewed or "").lower()),
        )
        if self.action != "list":
            filters = MentionFilters()
        return mentions_list(self.request.actor, filters)

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
        mention = mention_correct_sentiment(
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
        mention = mention_triage(actor=request.actor, mention=mention, **fields)
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
    pagination_class = pagination("-last_seen_at", "-id")
    filterset_fields = ["network"]
    required_actions = {
        "list": permissions.LISTENING_VIEW,
        "retrieve": permissions.LISTENING_VIEW,
    }

    def scope_queryset(self, queryset):
        return authors_visible_to(self.request.actor)
