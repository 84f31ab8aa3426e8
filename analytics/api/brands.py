"""One brand's metrics for a period through the API: the analytics page's KPIs with the
comparison and the change, and the per-network breakdown (analytics.selectors.performance, the
same figures as the page and the reports), with ``as_of``; the period on the brand's calendar.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from agency import permissions
from agency.api.base import TenantViewSet
from analytics.api.metrics import PERIOD_PARAMETERS, PeriodSerializer, period_json
from analytics.periods import period_choose
from analytics.selectors.metrics import metrics_freshness
from analytics.selectors.performance import brand_kpis, network_breakdown
from clients.models import Brand, SocialAccount


class KpiSerializer(serializers.Serializer):
    label = serializers.CharField()
    value = serializers.FloatField(allow_null=True, help_text="null: not available")
    previous = serializers.FloatField(allow_null=True)
    change = serializers.FloatField(allow_null=True)
    unit = serializers.ChoiceField(choices=["count", "ratio"], help_text="ratio: 0.05 is 5 %")


class NetworkRowSerializer(serializers.Serializer):
    network = serializers.CharField()
    accounts = serializers.IntegerField()
    posts_published = serializers.IntegerField()
    impressions = serializers.IntegerField(allow_null=True)
    reach = serializers.IntegerField(allow_null=True)
    engagements = serializers.IntegerField(allow_null=True)
    engagement_rate = serializers.FloatField(allow_null=True)
    followers = serializers.IntegerField(allow_null=True)
    follower_growth = serializers.IntegerField(allow_null=True)


class BrandMetricsSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    time_zone = serializers.CharField()
    as_of = serializers.DateTimeField(allow_null=True, help_text="newest figure collected")
    period = PeriodSerializer()
    kpis = serializers.DictField(child=KpiSerializer())
    networks = NetworkRowSerializer(many=True)


@extend_schema_view(retrieve=extend_schema(parameters=PERIOD_PARAMETERS))
class BrandMetricsViewSet(mixins.RetrieveModelMixin, TenantViewSet):
    """A brand's KPIs over the period against the comparison (posts published in the period
    at their latest reading; followers on the period's last day; the engagement rate is the
    mean of the posts' rates) and the same per network."""

    model = Brand
    serializer_class = BrandMetricsSerializer
    required_actions = {"retrieve": permissions.BRANDS_VIEW}

    def retrieve(self, request, *args, **kwargs):
        brand = self.get_object()
        zone = ZoneInfo(brand.time_zone or request.actor.agency.time_zone)
        choice, errors = period_choose(
            request.query_params, today=timezone.localdate(timezone=zone)
        )
        if errors:
            raise ValidationError({field: [message] for field, message in errors.items()})
        actor, ids = request.actor, [brand.pk]
        kpis = brand_kpis(
            actor, brand_ids=ids, period=choice.period, comparison=choice.comparison, tz=zone
        )
        networks = network_breakdown(actor, brand_ids=ids, period=choice.period, tz=zone)
        accounts = SocialAccount.objects.filter(brand=brand).values_list("pk", flat=True)
        body = {
            "id": brand.pk,
            "name": brand.name,
            "time_zone": zone.key,
            "as_of": metrics_freshness(social_account_ids=list(accounts)),
            "period": period_json(choice),
            "kpis": {kpi.key: kpi.__dict__ for kpi in kpis},
            "networks": [row.__dict__ for row in networks],
        }
        return Response(BrandMetricsSerializer(body).data)
