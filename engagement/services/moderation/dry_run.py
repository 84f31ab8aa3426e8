"""What a rule would have done over the last 30 days of the brand's stored messages, before it
is switched on. Reads only: no outbox row, no change to a conversation, no audit event, no
alert, no webhook event (a test checks each).

The same conditions as at ingest (``conditions``, ``facts``) decide, over the inbound messages
stored whatever their arrival (a backfill's old items too: that is what the replay is for). An
action the network's API does not allow is counted apart, with its reason, as ingest would
record it skipped.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.utils import timezone

from engagement.models import Direction, Message, ModerationRule, RuleAction
from engagement.services.actions import action_unavailable
from engagement.services.moderation.conditions import rule_compile, rule_reasons
from engagement.services.moderation.facts import messages_facts

DRY_RUN_DAYS = 30
CHUNK = 500  # messages whose facts are gathered together (constant queries per chunk)
NETWORK_ACTIONS = (RuleAction.HIDE, RuleAction.DELETE, RuleAction.REPLY)


@dataclass
class DryRunMatch:
    message_id: int
    conversation_id: int
    network: str
    author: str
    text: str
    sent_at: dt.datetime
    reasons: list[str]
    actions: list[str]  # what would be done
    refused: dict[str, str]  # action -> why the network would refuse it


@dataclass
class DryRunResult:
    since: dt.datetime
    examined: int = 0
    matches: list[DryRunMatch] = field(default_factory=list)  # newest first
    actions: Counter = field(default_factory=Counter)  # action -> messages it would act on
    refused: Counter = field(default_factory=Counter)  # action -> messages it could not
    reply_refused: str = ""  # why no reply would go out for any message, if so

    @property
    def matched(self) -> int:
        return len(self.matches)


def rule_dry_run(rule: ModerationRule, *, now: dt.datetime | None = None) -> DryRunResult:
    """Replay the brand's inbound messages of the last 30 days through ``rule`` (as it is now,
    saved or not, switched on or not)."""
    since = (now or timezone.now()) - dt.timedelta(days=DRY_RUN_DAYS)
    result = DryRunResult(since=since)
    compiled = rule_compile(rule)
    messages = (
        Message.objects.filter(
            conversation__brand_id=rule.brand_id, direction=Direction.INBOUND, sent_at__gte=since
        )
        .select_related("conversation")
        .order_by("-sent_at", "-id")
    )
    chunk: list[Message] = []
    for message in messages.iterator(chunk_size=CHUNK):
        chunk.append(message)
        if len(chunk) == CHUNK:
            _replay(rule, compiled, chunk, result)
            chunk = []
    if chunk:
        _replay(rule, compiled, chunk, result)
    return result


def _replay(rule, compiled, chunk: list[Message], result: DryRunResult) -> None:
    facts = messages_facts(brand_id=rule.brand_id, messages=chunk, rules=[compiled])
    for message in chunk:
        result.examined += 1
        reasons = rule_reasons(compiled, facts[message.pk])
        if reasons is None:
            continue
        refused = {
            action: why
            for action in rule.actions
            if action in NETWORK_ACTIONS
            and (why := action_unavailable(message.conversation.network, action))
        }
        if result.reply_refused and RuleAction.REPLY in rule.actions:
            refused[RuleAction.REPLY] = result.reply_refused
        doing = [a for a in rule.actions if a not in refused]
        result.actions.update(doing)
        result.refused.update(refused.keys())
        result.matches.append(
            DryRunMatch(
                message_id=message.pk,
                conversation_id=message.conversation_id,
                network=message.conversation.network,
                author=message.author_name or message.author_handle,
                text=message.text,
                sent_at=message.sent_at,
                reasons=reasons,
                actions=doing,
                refused=refused,
            )
        )
