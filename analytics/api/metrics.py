"""Metrics through the API: per published post variant, per social account and per brand, for
a period (``preset``, or ``start`` and ``end``; ``compare``: analytics.periods.period_choose).

Every answer says how fresh its figures are (``as_of``: when the newest figure was collected,
analytics.selectors.metrics.metrics_freshness) and gives a figure nobody collected as null
("not available"), never 0. A bad period is a 400 naming the field. Client roles see their
brands only (the base viewset's ``visible_to``). Reads only; a page of a list is a fixed number
of queries whatever its length.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.utils import timezone
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from agency import permissions
from agency.api.base import TenantViewSet
from agency.api.pagination import CursorPagination
from analytics.periods import Compare, PeriodChoice, Preset, change_ratio, period_choose
from analytics.rates import engagement_rate
from analytics.selectors import metrics
from campaigns.models import PostVariant
from campaigns.models.posts import VariantState
from clients.models import Brand, SocialAccount

PERIOD_PARAMETERS = [
    OpenApiParameter("preset", str, enum=Preset.values, description="default last_30"),
    OpenApiParameter("start", OpenApiTypes.DATE, description="with preset=custom"),
    OpenApiParameter("end", OpenApiTypes.DATE, description="with preset=custom"),
    OpenApiParameter("compare", str, enum=Compare.values, description="default previous"),
]
_READ = {"list": permissions.BRANDS_VIEW, "retrieve": permissions.BRANDS_VIEW}


# --- What the answers hold (the rows are built in bulk, then written through these) ---------


class _Dates(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()


class PeriodSerializer(serializers.Serializer):
    preset = serializers.CharField()
    start = serializers.DateField()
    end = serializers.DateField()
    compare = serializers.CharField()
    comparison = _Dates(allow_null=True)


class DayValueSerializer(serializers.Serializer):
    day = serializers.DateField()
    value = serializers.IntegerField()


class EngagementRateSerializer(serializers.Serializer):
    rate = serializers.FloatField(help_text="a fraction: 0.05 is 5 %")
    base = serializers.ChoiceField(choices=["reach", "impressions", "followers"])
    interactions = serializers.IntegerField()


class ComparedSerializer(serializers.Serializer):
    value = serializers.IntegerField(allow_null=True, help_text="null: not available")
    previous = serializers.IntegerField(allow_null=True)
    change = serializers.FloatField(allow_null=True)


class PostVariantMetricsSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    post = serializers.IntegerField()
    brand = serializers.IntegerField()
    social_account = serializers.IntegerField()
    network = serializers.CharField()
    published_at = serializers.DateTimeField(allow_null=True)
    url = serializers.CharField()
    as_of = serializers.DateTimeField(allow_null=True, help_text="newest figure collected")
    metrics = serializers.DictField(
        child=serializers.IntegerField(allow_null=True), help_text="null: not available"
    )
    engagement_rate = EngagementRateSerializer(allow_null=True)
    series = serializers.DictField(
        child=DayValueSerializer(many=True), required=False, help_text="one variant only"
    )
    period = PeriodSerializer(required=False, help_text="one variant only")


class SocialAccountMetricsSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    brand = serializers.IntegerField()
    network = serializers.CharField()
    handle = serializers.CharField()
    display_name = serializers.CharField()
    as_of = serializers.DateTimeField(allow_null=True, help_text="newest figure collected")
    metrics = serializers.DictField(child=ComparedSerializer())
    series = serializers.DictField(
        child=DayValueSerializer(many=True), required=False, help_text="one account only"
    )
    period = PeriodSerializer(required=False, help_text="one account only")


def period_json(choice: PeriodChoice) -> dict:
    comparison = choice.comparison
    return {
        "preset": choice.preset,
        "start": choice.period.start.isoformat(),
        "end": choice.period.end.isoformat(),
        "compare": choice.compare,
        "comparison": (
            {"start": comparison.start.isoformat(), "end": comparison.end.isoformat()}
            if comparison
            else None
        ),
    }


def _rate_json(values, *, followers=None) -> dict | None:
    rate = engagement_rate(values, followers=followers)
    if rate is None:
        return None
    return {"rate": rate.rate, "base": rate.base, "interactions": rate.interactions}


def _series_json(days: dict[str, list[tuple[dt.date, int]]]) -> dict[str, list[dict]]:
    return {
        name: [{"day": day.isoformat(), "value": value} for day, value in points]
        for name, points in days.items()
    }


def _compared(current: dict, previous: dict | None) -> dict[str, dict]:
    return {
        name: {
            "value": value,
            "previous": previous.get(name) if previous is not None else None,
            "change": change_ratio(value, previous.get(name) if previous is not None else None),
        }
        for name, value in current.items()
    }


class PeriodMixin:
    """The period of the request, chosen on the agency's calendar; a bad one is a 400."""

    def period_choice(self) -> PeriodChoice:
        cached = getattr(self, "_period_choice", None)
        if cached is not None:
            return cached
        zone = ZoneInfo(self.request.actor.agency.time_zone or "Africa/Casablanca")
        today = timezone.localdate(timezone=zone)
        choice, errors = period_choose(self.request.query_params, today=today)
        if errors:
            raise ValidationError({field: [message] for field, message in errors.items()})
        self._period_choice = choice
        self._zone = zone
        return choice

    def list(self, request, *args, **kwargs):
        choice = self.period_choice()  # before the page: a bad period is a 400, not a list
        response = super().list(request, *args, **kwargs)
        response.data["period"] = period_json(choice)
        return response

    def retrieve(self, request, *args, **kwargs):
        choice = self.period_choice()
        row = self.rows([self.get_object()], detail=True)[0]
        return Response(self.serializer_class({**row, "period": period_json(choice)}).data)

    def get_serializer(self, *args, **kwargs):
        # A page's rows are built in bulk by ``rows`` (a fixed number of queries per page),
        # then written out through the serializer, which also describes them in the schema.
        if not args:
            return self.serializer_class()
        return self.serializer_class(self.rows(list(args[0])), many=True)

    def rows(self, objects, *, detail=False) -> list[dict]:
        raise NotImplementedError


# --- Post variants ------------------------------------------------------------------------


class VariantFilter(filters.FilterSet):
    brand = filters.ModelChoiceFilter(field_name="post__brand", queryset=Brand.objects.all())

    class Meta:
        model = PostVariant
        fields = ["brand", "social_account"]


class VariantPagination(CursorPagination):
    ordering = ("-published_at", "-id")


@extend_schema_view(
    list=extend_schema(parameters=PERIOD_PARAMETERS),
    retrieve=extend_schema(parameters=PERIOD_PARAMETERS),
)
class PostVariantMetricsViewSet(
    PeriodMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, TenantViewSet
):
    """Published post variants with their metrics as of the period's end (lifetime counters at
    the last reading on or before it), the engagement rate and ``as_of``. The list holds the
    variants published in the period; one variant adds its daily readings in the period."""

    model = PostVariant
    serializer_class = PostVariantMetricsSerializer
    pagination_class = VariantPagination
    filterset_class = VariantFilter
    required_actions = _READ

    def scope_queryset(self, queryset):
        queryset = queryset.filter(state=VariantState.PUBLISHED).select_related(
            "post", "social_account"
        )
        if self.action == "list":
            since, until = self.period_choice().period.utc_bounds(self._zone)
            queryset = queryset.filter(published_at__gte=since, published_at__lt=until)
        return queryset

    def rows(self, objects, *, detail=False) -> list[dict]:
        period = self.period_choice().period
        values = metrics.post_metrics_latest(
            post_variant_ids=[v.pk for v in objects], until=period.end
        )
        accounts = {v.social_account_id for v in objects}
        followers = metrics.account_metrics_period(
            social_account_ids=accounts, since=period.start, until=period.end
        )
        fresh = metrics.metrics_freshness_by_account(social_account_ids=accounts)
        out = []
        for variant in objects:
            row = {
                "id": variant.pk,
                "post": variant.post_id,
                "brand": variant.post.brand_id,
                "social_account": variant.social_account_id,
                "network": variant.social_account.network,
                "published_at": variant.published_at,
                "url": variant.external_url,
                "as_of": fresh.get(variant.social_account_id),
                "metrics": values[variant.pk],
                "engagement_rate": _rate_json(
                    values[variant.pk],
                    followers=followers[variant.social_account_id]["followers"],
                ),
            }
            if detail:
                row["series"] = _series_json(
                    metrics.post_metrics_days(
                        post_variant_id=variant.pk, since=period.start, until=period.end
                    )
                )
            out.append(row)
        return out


# --- Social accounts ----------------------------------------------------------------------


class AccountPagination(CursorPagination):
    ordering = ("-connected_at", "-id")


@extend_schema_view(
    list=extend_schema(parameters=PERIOD_PARAMETERS),
    retrieve=extend_schema(parameters=PERIOD_PARAMETERS),
)
class SocialAccountMetricsViewSet(
    PeriodMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, TenantViewSet
):
    """Each connected account's figures over the period, with the comparison period's and the
    change: followers on the period's last day read, the other figures (reach, impressions,
    views, profile views, follower growth) summed over its days; one account adds the daily
    values."""

    model = SocialAccount
    serializer_class = SocialAccountMetricsSerializer
    pagination_class = AccountPagination
    filterset_fields = ["brand", "network"]
    required_actions = _READ

    def rows(self, objects, *, detail=False) -> list[dict]:
        choice = self.period_choice()
        period, comparison = choice.period, choice.comparison
        ids = [a.pk for a in objects]
        current = metrics.account_metrics_period(
            social_account_ids=ids, since=period.start, until=period.end
        )
        previous = None
        if comparison is not None:
            previous = metrics.account_metrics_period(
                social_account_ids=ids, since=comparison.start, until=comparison.end
            )
        fresh = metrics.metrics_freshness_by_account(social_account_ids=ids)
        out = []
        for account in objects:
            row = {
                "id": account.pk,
                "brand": account.brand_id,
                "network": account.network,
                "handle": account.handle,
                "display_name": account.display_name,
                "as_of": fresh.get(account.pk),
                "metrics": _compared(
                    current[account.pk], previous[account.pk] if previous else None
                ),
            }
            if detail:
                row["series"] = _series_json(
                    metrics.account_metrics_days(
                        social_account_id=account.pk, since=period.start, until=period.end
                    )
                )
            out.append(row)
        return out
