"""Listening statistics through the API."""

import datetime as dt
import zoneinfo

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response

from agency import permissions
from agency.api.base import TenantAPIView
from reputation.api.common import int_or_none
from reputation.models.mentions import (
    MentionRollup,
)
from reputation.selectors.statistics import statistics


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
        brand_id = int_or_none(request.query_params.get("brand"))
        days = min(int_or_none(request.query_params.get("days")) or 30, 366)
        tz = zoneinfo.ZoneInfo(actor.agency.time_zone or "Africa/Casablanca")
        until = dt.datetime.now(dt.UTC)
        since = until - dt.timedelta(days=days)
        stats = statistics(actor, tz=tz, brand_id=brand_id, since=since, until=until)
        for row in stats["by_day"]:
            row["day"] = row["day"].isoformat()
        return Response({"brand": brand_id, "since": since, "until": until, "days": days, **stats})
