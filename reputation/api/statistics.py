"""Listening statistics through the API."""

import datetime as dt
import zoneinfo

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from agency import permissions
from agency.api.base import TenantAPIView
from reputation.api.common import int_or_none
from reputation.models.mentions import Mention, MentionRollup
from reputation.selectors.census import CENSUS_ORDERS, census_page
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


class CensusView(TenantAPIView):
    """The community census: the places (sites, forums, subreddits, accounts) where the
    brand(s) the caller may see are discussed, over ``days`` days (default 90), ranked by
    ``order`` (volume, reach, negative, positive, recent), 25 a page."""

    model = Mention
    required_actions = {"get": permissions.LISTENING_VIEW}

    @extend_schema(
        parameters=[
            OpenApiParameter("brand", int),
            OpenApiParameter("days", int),
            OpenApiParameter("order", str, enum=list(CENSUS_ORDERS)),
            OpenApiParameter("page", int),
        ],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request):
        actor = request.actor
        brand_id = int_or_none(request.query_params.get("brand"))
        days = min(max(int_or_none(request.query_params.get("days")) or 90, 1), 366)
        order = request.query_params.get("order") or "volume"
        if order not in CENSUS_ORDERS:
            raise ValidationError({"order": [_("Choose one of: %s.") % ", ".join(CENSUS_ORDERS)]})
        page = min(max(int_or_none(request.query_params.get("page")) or 1, 1), 10_000)
        until = dt.datetime.now(dt.UTC)
        since = until - dt.timedelta(days=days)
        rows, total = census_page(
            actor, brand_id=brand_id, since=since, until=until, order=order, page=page
        )
        results = [
            {
                "place": row.place,
                "network": row.network,
                "name": row.name,
                "url": row.url,
                "mentions": row.volume,
                "reach": row.reach,
                "positive_share": round(row.positive_share, 4),
                "negative_share": round(row.negative_share, 4),
                "last_mention": row.last_mention,
                "followed": row.followed,
            }
            for row in rows
        ]
        return Response(
            {
                "brand": brand_id,
                "since": since,
                "until": until,
                "days": days,
                "order": order,
                "count": total,
                "page": page,
                "results": results,
            }
        )
