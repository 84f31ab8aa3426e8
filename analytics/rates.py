"""The engagement rate, defined once (docs/analytics.md).

    engagement rate = interactions ÷ reach, else ÷ impressions, else ÷ followers

Interactions are likes (reactions), comments, shares and saves: what people did with the post
itself. Clicks are left out because only some networks count them, and rates of one brand's
networks must compare. The base is the first of reach, impressions and followers that the
network gave and that is not 0; the result names it, so that a page can say "per reach".
A rate needs at least one interaction count and a base: otherwise it is not available (None),
never 0.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import BigIntegerField, Case, CharField, F, FloatField, Q, Value, When
from django.db.models.functions import Cast, Coalesce, NullIf

INTERACTIONS = ("likes", "comments", "shares", "saves")
BASES = ("reach", "impressions", "followers")


@dataclass(frozen=True)
class EngagementRate:
    rate: float  # a fraction: 0.05 is 5 %
    base: str  # "reach", "impressions" or "followers"
    interactions: int

    @property
    def percent(self) -> float:
        return round(self.rate * 100, 2)


def interactions_of(values: Mapping[str, int | None]) -> int | None:
    """The sum of the interaction counts given, or None when none is given."""
    given = [values[name] for name in INTERACTIONS if values.get(name) is not None]
    return sum(v for v in given if v is not None) if given else None


def engagement_rate(
    values: Mapping[str, int | None], *, followers: int | None = None
) -> EngagementRate | None:
    """The engagement rate of ``values`` (a post's or a period's metrics by vocabulary name);
    ``followers`` is the account's count when the values carry none (a post's rate falls back
    to its account's followers)."""
    interactions = interactions_of(values)
    if interactions is None:
        return None
    bases = {**values}
    if bases.get("followers") is None:
        bases["followers"] = followers
    for base in BASES:
        denominator = bases.get(base)
        if denominator:
            return EngagementRate(
                rate=interactions / denominator, base=base, interactions=interactions
            )
    return None


def engagement_rate_expressions() -> tuple[Any, Any, Any]:
    """The same definition as ``engagement_rate``, as database expressions, for what is sorted
    or averaged in SQL (a page of posts sorted by rate, the mean of an hour of the week).

    The queryset must carry one annotation per name of INTERACTIONS and BASES (NULL: not
    available; ``followers``: the account's count). Returns the expressions (interactions,
    rate, base name), each NULL where ``engagement_rate`` answers None; test_performance.py
    checks that the two agree.
    """
    given = Q()
    for name in INTERACTIONS:
        given |= Q(**{f"{name}__isnull": False})
    interactions = Case(
        When(given, then=sum((Coalesce(F(n), 0) for n in INTERACTIONS), Value(0))),
        default=None,
        output_field=BigIntegerField(),
    )
    denominator = Coalesce(*(NullIf(F(b), 0) for b in BASES), output_field=BigIntegerField())
    rate = Cast(interactions, FloatField()) / Cast(denominator, FloatField())
    base = Case(
        *(When(**{f"{b}__gt": 0}, then=Value(b)) for b in BASES),
        default=None,
        output_field=CharField(),
    )
    return interactions, rate, base
