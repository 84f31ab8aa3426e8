"""A brand's moderation rules through the API: the same validation and writes as the pages
(engagement.services.moderation.rules), the dry run as a read. For the agency's team only: a
client role gets 403 everywhere, even to list; another agency's rule is a 404."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from agency import permissions
from agency.api.base import TenantViewSet
from agency.api.pagination import CursorPagination
from clients.models import Brand
from engagement.models import AuthorList, ConversationKind, MatchMode, ModerationRule, RuleAction
from engagement.services.moderation import rules
from engagement.services.moderation.dry_run import rule_dry_run
from networks.registry import NETWORK_CHOICES
from reputation.models.mentions import AbuseLabel, MentionLanguage, SentimentLabel

DRY_RUN_PAGE = 25


def _choices(choices, **kwargs):
    return serializers.ListField(
        child=serializers.ChoiceField(choices=choices), required=False, max_length=20, **kwargs
    )


def _number(**kwargs):
    return serializers.IntegerField(required=False, allow_null=True, min_value=0, **kwargs)


class ModerationRuleSerializer(serializers.ModelSerializer):
    brand = serializers.IntegerField(source="brand_id")
    match = serializers.ChoiceField(choices=MatchMode.choices, required=False)
    expression = serializers.CharField(
        required=False, allow_blank=True, max_length=2000, trim_whitespace=True
    )
    languages = _choices(MentionLanguage.choices)
    sentiments = _choices(SentimentLabel.choices)
    abuse_label = serializers.ChoiceField(
        choices=[("", ""), *AbuseLabel.choices], required=False, allow_blank=True
    )
    abuse_min_score = serializers.FloatField(required=False, min_value=0.5, max_value=1.0)
    kinds = _choices(ConversationKind.choices)
    networks = _choices(NETWORK_CHOICES)
    min_words = _number(max_value=rules.MAX_WORDS)
    max_words = _number(max_value=rules.MAX_WORDS)
    author_list = serializers.ChoiceField(
        choices=[("", ""), *AuthorList.choices], required=False, allow_blank=True
    )
    min_followers = _number(max_value=rules.MAX_FOLLOWERS)
    actions = _choices(RuleAction.choices, min_length=1)
    assignee = serializers.IntegerField(
        source="assignee_id", required=False, allow_null=True, min_value=1
    )
    label = serializers.IntegerField(
        source="label_id", required=False, allow_null=True, min_value=1
    )
    priority = serializers.IntegerField(required=False, allow_null=True, min_value=0, max_value=3)
    saved_reply = serializers.IntegerField(
        source="saved_reply_id", required=False, allow_null=True, min_value=1
    )
    notify_user = serializers.IntegerField(
        source="notify_user_id", required=False, allow_null=True, min_value=1
    )

    class Meta:
        model = ModerationRule
        fields = [
            "id",
            "brand",
            "name",
            "position",
            "enabled",
            *[f for f in rules.FIELDS if f not in ("name", "enabled")],
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "position", "created_at", "updated_at"]
        extra_kwargs = {"name": {"max_length": 120}}


def _service_data(validated: dict, base: dict | None = None) -> dict:
    """The serializer's values under the names ``rule_clean`` takes, over ``base``."""
    data = dict(base or {})
    renamed = {
        "assignee_id": "assignee",
        "label_id": "label",
        "saved_reply_id": "saved_reply",
        "notify_user_id": "notify_user",
    }
    for key, value in validated.items():
        if key != "brand_id":
            data[renamed.get(key, key)] = value
    return data


class MoveInput(serializers.Serializer):
    direction = serializers.ChoiceField(choices=[("up", "up"), ("down", "down")])


class DryRunMatchSerializer(serializers.Serializer):
    message = serializers.IntegerField(source="message_id")
    conversation = serializers.IntegerField(source="conversation_id")
    network = serializers.CharField()
    author = serializers.CharField()
    text = serializers.CharField()
    sent_at = serializers.DateTimeField()
    reasons = serializers.ListField(child=serializers.CharField())
    actions = serializers.ListField(child=serializers.CharField())
    refused = serializers.DictField(child=serializers.CharField())


class DryRunSerializer(serializers.Serializer):
    since = serializers.DateTimeField()
    examined = serializers.IntegerField()
    matched = serializers.IntegerField()
    actions = serializers.DictField(child=serializers.IntegerField())
    refused = serializers.DictField(child=serializers.IntegerField())
    page = serializers.IntegerField()
    pages = serializers.IntegerField()
    results = DryRunMatchSerializer(many=True)


class RulePagination(CursorPagination):
    ordering = ("brand_id", "position", "id")


class ModerationRuleViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, TenantViewSet):
    model = ModerationRule
    serializer_class = ModerationRuleSerializer
    pagination_class = RulePagination
    filter_backends: list = []
    required_actions = {
        "list": permissions.INBOX_VIEW,
        "retrieve": permissions.INBOX_VIEW,
        "dry_run": permissions.INBOX_VIEW,
        "create": permissions.INBOX_MANAGE,
        "update": permissions.INBOX_MANAGE,
        "partial_update": permissions.INBOX_MANAGE,
        "destroy": permissions.INBOX_MANAGE,
        "move": permissions.INBOX_MANAGE,
    }

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        rules.require_team(request.actor)  # client roles: 403, even to list

    def scope_queryset(self, queryset):
        if self.action == "list":
            brand = self.request.query_params.get("brand")
            if brand is not None:
                if not brand.isdigit():
                    raise ValidationError({"brand": _("Give a brand id.")})
                queryset = queryset.filter(brand_id=int(brand))
        return queryset

    @extend_schema(
        parameters=[OpenApiParameter("brand", int, description="only this brand's rules")]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def create(self, request):
        data = self.get_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        brand = (
            Brand.objects.visible_to(request.actor)
            .filter(pk=data.validated_data["brand_id"])
            .first()
        )
        if brand is None:
            raise ValidationError({"brand": _("Choose one of the agency's brands.")})
        rule = rules.rule_create(
            actor=request.actor, brand=brand, data=_service_data(data.validated_data)
        )
        return Response(self.get_serializer(rule).data, status=status.HTTP_201_CREATED)

    def _save(self, request, *, partial: bool):
        rule = self.get_object()
        data = self.get_serializer(rule, data=request.data, partial=partial)
        data.is_valid(raise_exception=True)
        if data.validated_data.get("brand_id", rule.brand_id) != rule.brand_id:
            raise ValidationError({"brand": _("A rule stays with its brand.")})
        base = rules.rule_data(rule) if partial else {}
        rule = rules.rule_update(
            actor=request.actor, rule=rule, data=_service_data(data.validated_data, base)
        )
        return Response(self.get_serializer(rule).data)

    def update(self, request, pk=None):
        return self._save(request, partial=False)

    def partial_update(self, request, pk=None):
        return self._save(request, partial=True)

    def destroy(self, request, pk=None):
        rules.rule_delete(actor=request.actor, rule=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=MoveInput, responses=ModerationRuleSerializer)
    @action(detail=True, methods=["post"])
    def move(self, request, pk=None):
        rule = self.get_object()
        data = MoveInput(data=request.data)
        data.is_valid(raise_exception=True)
        rules.rule_move(actor=request.actor, rule=rule, direction=data.validated_data["direction"])
        rule.refresh_from_db()
        return Response(self.get_serializer(rule).data)

    @extend_schema(
        parameters=[OpenApiParameter("page", int, description="25 matches per page")],
        responses=DryRunSerializer,
    )
    @action(detail=True, methods=["get"], url_path="dry-run", pagination_class=None)
    def dry_run(self, request, pk=None):
        rule = self.get_object()
        page_number = request.query_params.get("page", "1")
        if not page_number.isdigit() or int(page_number) < 1:
            raise ValidationError({"page": _("Give a page number from 1.")})
        result = rule_dry_run(rule)
        paginator = Paginator(result.matches, DRY_RUN_PAGE)
        page = paginator.get_page(int(page_number))
        body = {
            "since": result.since,
            "examined": result.examined,
            "matched": result.matched,
            "actions": dict(result.actions),
            "refused": dict(result.refused),
            "page": page.number,
            "pages": paginator.num_pages,
            "results": list(page.object_list),
        }
        return Response(DryRunSerializer(body).data)
