"""Applying a brand's rules to its new inbound messages, at ingest.

Called by engagement.services.ingest inside the pipeline's transaction, for the messages just
stored by a poll or a webhook, never for a first read's old items (a backfill is history: a
rule switched on today does not hide last month's comments behind people's backs; the dry run
is how to look at them). The brand's switched-on rules run in order on each message and every
rule that matches applies its actions:

- hide and delete go through ``action_request`` (one outbox row per message and kind, whatever
  the number of rules asking: the token is the message's), so the worker calls the network
  once, after the commit; a network that cannot do it is recorded as skipped, with its reason;
- reply sends the rule's saved reply (filled and signed) through the same outbox, once per
  message, or leaves it waiting for a manager when the brand's replies need approval;
- assign, label, priority and close change the conversation here;
- notify alerts the chosen person; webhook emits ``moderation.action_taken`` ("flag").

Every action is in the audit log with the rule's id and name (actor: none, the rule acted), and
hide, delete and webhook are announced as ``moderation.action_taken`` (docs/webhooks.md). A
hidden message is unhidden from the conversation page, through the same outbox.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from agency.models import CLIENT_ROLES, Agency, Membership
from agency.services.audit import audit_record
from engagement.models import (
    ActionKind,
    Conversation,
    ConversationLabel,
    ConversationStatus,
    Direction,
    Message,
    ModerationRule,
    OutboundAction,
    RuleAction,
    SavedReply,
)
from engagement.models.replies import ReplyApproval
from engagement.services.actions import action_request
from engagement.services.approvals import reply_submit
from engagement.services.events import moderation_announce
from engagement.services.moderation.conditions import CompiledRule, rule_compile, rule_reasons
from engagement.services.moderation.facts import messages_facts
from engagement.services.saved_replies import signed, template_render
from engagement.services.sla import SLA_FIELDS, clock_on_priority, clock_on_status
from engagement.states import conversation_move
from notifications.models import AlertKind
from notifications.services import alert_send
from reputation.expressions import ExpressionError

A = RuleAction


@dataclass
class Applied:
    """What the rules did to one batch: (rule id, message id, action) per action taken, and
    (rule id, message id, action, reason) per action the network or the data refused."""

    taken: list[tuple[int, int, str]] = field(default_factory=list)
    skipped: list[tuple[int, int, str, str]] = field(default_factory=list)


def brand_rules(brand_id: int) -> list[CompiledRule]:
    """The brand's switched-on rules, in order, compiled (one query)."""
    compiled = []
    rules = ModerationRule.objects.filter(brand_id=brand_id, enabled=True).select_related("label")
    for rule in rules.order_by("position", "id"):
        try:
            compiled.append(rule_compile(rule))
        except ExpressionError:
            continue  # saved through the service, so valid; a hand-edited row is skipped
    return compiled


def moderation_apply(*, brand_id: int, messages: list[Message]) -> Applied:
    """Run the brand's rules on ``messages`` (new, stored in this transaction, with their
    conversation attached). Outbound messages (the brand's own) are never moderated."""
    applied = Applied()
    inbound = [m for m in messages if m.direction == Direction.INBOUND]
    if not inbound:
        return applied
    rules = brand_rules(brand_id)
    if not rules:
        return applied
    facts = messages_facts(brand_id=brand_id, messages=inbound, rules=rules)
    for message in sorted(inbound, key=lambda m: (m.sent_at, m.pk)):
        for compiled in rules:
            reasons = rule_reasons(compiled, facts[message.pk])
            if reasons is not None:
                _rule_apply(compiled.rule, message, reasons, applied)
    return applied


def _reason(rule: ModerationRule, reasons: list[str]) -> str:
    return f"{rule.name}: {', '.join(reasons)}"[:500]


def _announce(conversation: Conversation, message: Message, kind: str, rule, reason: str):
    moderation_announce(
        conversation=conversation, message=message, kind=kind, rule=rule, reason=reason
    )


def _audit(conversation: Conversation, message: Message, rule, action: str, extra=None):
    audit_record(
        agency=conversation.agency,
        actor=None,
        verb=f"moderation.{action}",
        target=conversation,
        data={"rule": rule.pk, "rule_name": rule.name, "message": message.pk, **(extra or {})},
    )


def _rule_apply(rule: ModerationRule, message: Message, reasons: list[str], applied: Applied):
    conversation = message.conversation
    reason = _reason(rule, reasons)
    for action in rule.actions:
        try:
            done = _ACTIONS[action](rule, conversation, message, reason)
        except ValidationError as exc:
            why = " ".join(exc.messages)
            _audit(conversation, message, rule, "action_skipped", {"action": action, "why": why})
            applied.skipped.append((rule.pk, message.pk, action, why))
            continue
        if done:
            applied.taken.append((rule.pk, message.pk, action))


def _network_action(kind: str):
    def run(rule, conversation, message, reason) -> bool:
        # One outbox row per message and kind: a second rule asking the same finds the first
        # row (action_request returns it) and nothing is sent twice.
        token = f"moderation:{message.pk}:{kind}"
        if OutboundAction.objects.filter(idempotency_key=token).exists():
            return False  # an earlier rule asked for it already
        action_request(
            conversation=conversation,
            kind=kind,
            message=message,
            actor=None,
            rule_label=f"{rule.name} (#{rule.pk})",
            token=token,
        )  # audited there, with the rule
        _announce(conversation, message, kind, rule, reason)
        return True

    return run


def _assign(rule, conversation, message, reason) -> bool:
    if rule.assignee_id is None:
        raise ValidationError(_("The person to assign to is no longer in the agency."))
    member = (
        Membership.objects.filter(agency_id=conversation.agency_id, user_id=rule.assignee_id)
        .exclude(role__in=CLIENT_ROLES)
        .exists()
    )
    if not member:
        raise ValidationError(_("The person to assign to is no longer in the agency's team."))
    if conversation.assignee_id == rule.assignee_id:
        return False
    conversation.assignee_id = rule.assignee_id
    if conversation.status == ConversationStatus.NEW:
        conversation_move(conversation, ConversationStatus.OPEN)
    conversation.save(update_fields=["assignee", "status", "updated_at"])
    _audit(conversation, message, rule, "assigned", {"assignee": rule.assignee_id})
    alert_send(
        agency=conversation.agency,
        recipients=[rule.assignee_id],
        kind=AlertKind.CONVERSATION_ASSIGNED,
        message=_("The rule “%(rule)s” assigned you a conversation: %(preview)s")
        % {"rule": rule.name, "preview": conversation.preview[:120]},
        url=_url(conversation),
    )
    return True


def _label(rule, conversation, message, reason) -> bool:
    if rule.label_id is None:
        raise ValidationError(_("The rule's label was deleted."))
    created = ConversationLabel.objects.bulk_create(
        [
            ConversationLabel(
                agency_id=conversation.agency_id, conversation=conversation, label_id=rule.label_id
            )
        ],
        ignore_conflicts=True,
    )
    _audit(conversation, message, rule, "labelled", {"label": rule.label.name})
    return bool(created)


def _priority(rule, conversation, message, reason) -> bool:
    if rule.priority is None or conversation.priority == rule.priority:
        return False
    previous = conversation.priority
    conversation.priority = rule.priority
    clock_on_priority(conversation)  # the running response-time targets follow
    conversation.save(update_fields=["priority", *SLA_FIELDS, "updated_at"])
    _audit(conversation, message, rule, "priority_set", {"from": previous, "to": rule.priority})
    return True


def _close(rule, conversation, message, reason) -> bool:
    if conversation.status == ConversationStatus.CLOSED:
        return False
    previous = conversation_move(conversation, ConversationStatus.CLOSED)
    clock_on_status(conversation, previous=previous, at=timezone.now())  # resolved now
    conversation.save(update_fields=["status", *SLA_FIELDS, "updated_at"])
    _audit(conversation, message, rule, "closed", {"from": previous})
    return True


def _notify(rule, conversation, message, reason) -> bool:
    if rule.notify_user_id is None:
        raise ValidationError(_("The person to notify is no longer in the agency."))
    alert_send(
        agency=Agency.objects.get(pk=conversation.agency_id),
        recipients=[rule.notify_user_id],
        kind=AlertKind.MODERATION_RULE_MATCHED,
        message=_("The rule “%(rule)s” matched a message: %(text)s")
        % {"rule": rule.name, "text": message.text[:120]},
        url=_url(conversation),
    )
    _audit(conversation, message, rule, "notified", {"user": rule.notify_user_id})
    return True


def _reply(rule, conversation, message, reason) -> bool:
    """The saved reply, filled for the conversation and signed, through ``reply_submit`` like a
    person's: queued in the outbox (the network's text rules apply), or waiting for a manager's
    approval when the brand asks it (a rule is never a manager)."""
    if rule.saved_reply_id is None:
        raise ValidationError(_("The rule's saved reply was deleted."))
    token = f"moderation:{message.pk}:reply"
    if (
        OutboundAction.objects.filter(idempotency_key=token).exists()
        or ReplyApproval.objects.filter(token=token).exists()
    ):
        return False  # an earlier rule replied to this message already
    saved = SavedReply.objects.get(pk=rule.saved_reply_id)
    text = signed(template_render(saved.body, conversation=conversation), conversation)
    reply_submit(
        conversation=conversation,
        actor=None,
        message=message,
        rule_label=f"{rule.name} (#{rule.pk})",
        text=text,
        token=token,
    )  # audited there, with the rule
    return True


def _webhook(rule, conversation, message, reason) -> bool:
    _announce(conversation, message, "flag", rule, reason)
    _audit(conversation, message, rule, "flagged")
    return True


def _url(conversation: Conversation) -> str:
    return reverse("dashboard:conversation", kwargs={"conversation_id": conversation.pk})


_ACTIONS = {
    A.HIDE: _network_action(ActionKind.HIDE),
    A.DELETE: _network_action(ActionKind.DELETE),
    A.ASSIGN: _assign,
    A.LABEL: _label,
    A.PRIORITY: _priority,
    A.CLOSE: _close,
    A.REPLY: _reply,
    A.NOTIFY: _notify,
    A.WEBHOOK: _webhook,
}
