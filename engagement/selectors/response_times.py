"""Response times of the inbox per network, and the moderation actions carried out, over an
interval of time: what the analytics pages and the client reports show beside the posts.

Definitions (docs/analytics.md, "Community management"), each computed here only:

- **received**: conversations whose first inbound message (network time) falls in the interval;
- **answered**: those of them with a first response, the brand's first reply after that
  message (sent from the inbox or written on the network and read back);
- **first-response time**: from the first inbound message to that reply, in elapsed (clock)
  time; median and 90th percentile over the answered conversations, interpolated between ranks
  like PostgreSQL's ``percentile_cont``;
- **answered within 1 h / 24 h**: the share of the *received* conversations answered within that
  time (a conversation never answered counts as not answered in time);
- **moderation actions**: hides, unhides and deletions carried out on the network (outbox
  actions done) in the interval, by a moderation rule or by a person.

Two queries whatever the interval and the number of brands and networks; a client role sees
only its brands (``visible_to``).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Q

from agency.models import ApiKey, Membership
from engagement.models import Conversation
from engagement.models.outbound import ActionKind, ActionState, OutboundAction
from engagement.selectors.metrics import percentile

HOUR = 3600
DAY = 24 * HOUR
MODERATION_KINDS = (ActionKind.HIDE, ActionKind.UNHIDE, ActionKind.DELETE)


@dataclass(frozen=True)
class ResponseTimes:
    """The response figures of one network ("" for all of them together)."""

    network: str
    received: int
    answered: int
    share_answered: float | None
    first_response_median_seconds: int | None
    first_response_p90_seconds: int | None
    share_answered_within_1h: float | None
    share_answered_within_24h: float | None


@dataclass
class _Tally:
    received: int = 0
    seconds: list[float] = field(default_factory=list)

    def figures(self, network: str) -> ResponseTimes:
        def share(count: int) -> float | None:
            return count / self.received if self.received else None

        median, p90 = percentile(self.seconds, 0.5), percentile(self.seconds, 0.9)
        return ResponseTimes(
            network=network,
            received=self.received,
            answered=len(self.seconds),
            share_answered=share(len(self.seconds)),
            first_response_median_seconds=None if median is None else round(median),
            first_response_p90_seconds=None if p90 is None else round(p90),
            share_answered_within_1h=share(sum(1 for s in self.seconds if s <= HOUR)),
            share_answered_within_24h=share(sum(1 for s in self.seconds if s <= DAY)),
        )


def response_times(
    actor: Membership | ApiKey,
    *,
    since: dt.datetime,
    until: dt.datetime,
    brand_ids: Iterable[int] | None = None,
) -> tuple[ResponseTimes, list[ResponseTimes]]:
    """(all networks, one per network by name) for the conversations received in
    [since, until). One query."""
    rows = Conversation.objects.visible_to(actor).filter(
        first_inbound_at__gte=since, first_inbound_at__lt=until
    )
    if brand_ids is not None:
        rows = rows.filter(brand_id__in=list(brand_ids))
    total = _Tally()
    by_network: defaultdict[str, _Tally] = defaultdict(_Tally)
    for network, inbound, response in rows.values_list(
        "network", "first_inbound_at", "first_response_at"
    ):
        for tally in (total, by_network[network]):
            tally.received += 1
            if response is not None and response >= inbound:
                tally.seconds.append((response - inbound).total_seconds())
    return total.figures(""), [by_network[n].figures(n) for n in sorted(by_network)]


@dataclass(frozen=True)
class ModerationCounts:
    hidden: int = 0
    unhidden: int = 0
    deleted: int = 0
    by_rule: int = 0
    by_person: int = 0
    total: int = 0


def moderation_counts(
    actor: Membership | ApiKey,
    *,
    since: dt.datetime,
    until: dt.datetime,
    brand_ids: Iterable[int] | None = None,
) -> ModerationCounts:
    """Hides, unhides and deletions done on the network in [since, until). One query."""
    rows = OutboundAction.objects.visible_to(actor).filter(
        kind__in=MODERATION_KINDS,
        state=ActionState.DONE,
        done_at__gte=since,
        done_at__lt=until,
    )
    if brand_ids is not None:
        rows = rows.filter(conversation__brand_id__in=list(brand_ids))
    counts = rows.aggregate(
        hidden=Count("id", filter=Q(kind=ActionKind.HIDE)),
        unhidden=Count("id", filter=Q(kind=ActionKind.UNHIDE)),
        deleted=Count("id", filter=Q(kind=ActionKind.DELETE)),
        by_rule=Count("id", filter=~Q(rule_label="")),
        by_person=Count("id", filter=Q(rule_label="")),
    )
    return ModerationCounts(**counts, total=counts["by_rule"] + counts["by_person"])
