"""Hourly mention rollups, recomputed from the mentions themselves."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncHour

from reputation.models.mentions import Mention, MentionRollup


def rollups_recompute(
    *, agency_id: int, brand_ids: set[int] | list[int], since: datetime, until: datetime
) -> int:
    """Recompute the hourly rollups of these brands between two instants (hours included).

    Idempotent: counts come from the mentions themselves, so re-running, or running after a
    sentiment correction, gives the right figures.
    """
    start = since.astimezone(UTC).replace(minute=0, second=0, microsecond=0)
    end = until.astimezone(UTC).replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    rows = (
        Mention.objects.filter(
            brand_id__in=brand_ids,
            published_at__gte=start,
            published_at__lt=end,
        )
        .annotate(hour=TruncHour("published_at", tzinfo=UTC))
        .values("brand_id", "hour", "voice")
        .annotate(
            volume=Count("id"),
            positive=Count("id", filter=Q(sentiment_label="positive")),
            neutral=Count("id", filter=Q(sentiment_label="neutral")),
            negative=Count("id", filter=Q(sentiment_label="negative")),
            reach_sum=Sum("reach"),
            score_sum=Sum("sentiment_score"),
        )
    )
    rollups = [
        MentionRollup(
            agency_id=agency_id,
            brand_id=row["brand_id"],
            hour=row["hour"],
            voice=row["voice"],
            volume=row["volume"],
            positive=row["positive"],
            neutral=row["neutral"],
            negative=row["negative"],
            reach=row["reach_sum"] or 0,
            sentiment_sum=row["score_sum"] or 0.0,
        )
        for row in rows
    ]
    MentionRollup.objects.bulk_create(
        rollups,
        update_conflicts=True,
        unique_fields=["agency", "brand", "hour", "voice"],
        update_fields=["volume", "positive", "neutral", "negative", "reach", "sentiment_sum"],
        batch_size=500,
    )
    return len(rollups)
