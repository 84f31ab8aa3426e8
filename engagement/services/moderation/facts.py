"""Gathering what the conditions look at for many messages at once: a constant number of
queries per batch (the brand's listed authors, the authors' follower counts, each author's
first message), whatever the number of messages or rules."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.db.models import Min

from engagement.models import BrandAuthor, Direction, Message, handle_key
from engagement.services.moderation.conditions import CompiledRule, MessageFacts
from reputation.models.mentions import Author


def _needs(rules: Iterable[CompiledRule], attribute: str) -> bool:
    return any(getattr(c.rule, attribute) not in (None, "", False) for c in rules)


def messages_facts(
    *, brand_id: int, messages: list[Message], rules: list[CompiledRule]
) -> dict[int, MessageFacts]:
    """message id -> its facts. ``messages`` carry their conversation (for the network)."""
    listed: dict[tuple[str, str], str] = {}
    if _needs(rules, "author_list"):
        listed = {
            (network, handle): list_
            for network, handle, list_ in BrandAuthor.objects.filter(brand_id=brand_id)
            .values_list("network", "handle", "list")
            .iterator()
        }
    followers: dict[int, int | None] = {}
    if _needs(rules, "min_followers"):
        followers = dict(
            Author.objects.filter(
                pk__in={m.author_id for m in messages if m.author_id}
            ).values_list("pk", "followers")
        )
    firsts: dict[tuple[str, str], datetime] = {}
    if _needs(rules, "first_message"):
        handles = {m.author_handle for m in messages if m.author_handle}
        rows = (
            Message.objects.filter(
                conversation__brand_id=brand_id,
                direction=Direction.INBOUND,
                author_handle__in=handles,
            )
            .values("conversation__network", "author_handle")
            .annotate(first=Min("sent_at"))
        )
        firsts = {(r["conversation__network"], r["author_handle"]): r["first"] for r in rows}
    facts = {}
    for message in messages:
        network = message.conversation.network
        first = firsts.get((network, message.author_handle))
        facts[message.pk] = MessageFacts(
            text=message.text,
            language=message.language,
            sentiment=message.sentiment,
            abuse_labels=message.abuse_labels or {},
            kind=message.kind,
            network=network,
            author_list=listed.get((network, handle_key(message.author_handle)), ""),
            followers=followers.get(message.author_id) if message.author_id else None,
            first_message=bool(message.author_handle)
            and first is not None
            and message.sent_at <= first,
        )
    return facts
