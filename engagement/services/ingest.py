"""Items read from a brand's own accounts -> conversations and messages of the inbox.

Called by reputation's ingest pipeline (reputation.owned_items), inside its transaction, with
every item an owned-comments poll read. Guarantees: one message per (account, external id)
and one conversation per (account, thread) also under concurrent polls (the unique
constraints decide, ``get_or_create`` reads the winner's row); a reply joins its parent's
conversation (the network's reply-to id); network time throughout; a pending or closed
conversation reopens when its author writes again; the assignee is alerted of a new message,
except for the old items of a first read (backfill), which alert nobody; each new message is
announced to webhooks (inbox.message.received / .replied), again except for a backfill.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from agency.models import Agency
from agency.tenancy import NoTenantError, current_agency_id
from campaigns.models import PostVariant
from clients.models import SocialAccount
from engagement.models import (
    Conversation,
    ConversationKind,
    ConversationStatus,
    Direction,
    Message,
)
from engagement.services.events import messages_announce
from engagement.services.moderation.apply import moderation_apply
from engagement.services.moderation.conditions import has_link
from engagement.services.sla import brand_sla, clock_on_inbound, clock_on_reply
from engagement.states import conversation_reopen_on_inbound
from notifications.models import AlertKind
from notifications.services import alert_send
from reputation.abuse import analyse
from reputation.owned_items import KIND_COMMENT, KIND_DIRECT, KIND_REVIEW, OwnedBatch, OwnedItem

PREVIEW_CHARS = 300


@dataclass
class StoreResult:
    messages_created: int = 0
    conversations_created: int = 0
    alerted: list[int] = field(default_factory=list)  # conversation ids whose assignee was told


def _message_kind(item: OwnedItem) -> str:
    if item.kind == KIND_DIRECT:
        return ConversationKind.DIRECT_MESSAGE
    if item.kind in (KIND_COMMENT, KIND_REVIEW):
        top_level = not item.parent_external_id or item.parent_external_id == item.post_external_id
        if not top_level:
            return ConversationKind.REPLY
        return ConversationKind.REVIEW if item.kind == KIND_REVIEW else ConversationKind.COMMENT
    status = item.raw.get("status") if isinstance(item.raw, dict) else None
    if isinstance(status, dict) and status.get("visibility") == "direct":
        return ConversationKind.DIRECT_MESSAGE  # a Mastodon direct mention
    return ConversationKind.MENTION


def _direct_mention_parent(item: OwnedItem) -> str:
    """What a Mastodon private mention answers (its status's ``in_reply_to_id``): a private
    conversation goes on in statuses answering each other, not in one thread id."""
    if _message_kind(item) != ConversationKind.DIRECT_MESSAGE or item.kind == KIND_DIRECT:
        return ""
    status = item.raw.get("status") if isinstance(item.raw, dict) else None
    return str(status.get("in_reply_to_id") or "") if isinstance(status, dict) else ""


def _is_reply(item: OwnedItem) -> bool:
    return bool(item.parent_external_id) and item.parent_external_id != item.post_external_id


def _direction(item: OwnedItem, account: SocialAccount) -> str:
    """The brand's own replies (written on the network) come back with the thread."""
    if item.author_external_id and item.author_external_id == account.external_id:
        return Direction.OUTBOUND
    handle = item.author_handle.lstrip("@").lower()
    if handle and handle == account.handle.lstrip("@").lower():
        return Direction.OUTBOUND
    return Direction.INBOUND


def _threads(items: list[OwnedItem], known: dict[str, int]) -> dict[str, tuple[str, int | None]]:
    """external id -> (thread key, known conversation id or None), following reply-to ids
    through the batch and through what is already stored."""
    by_id = {item.external_id: item for item in items}
    found: dict[str, tuple[str, int | None]] = {}
    for item in items:
        if item.thread_external_id:  # a direct conversation: one per other party
            found[item.external_id] = (f"dm:{item.thread_external_id}", None)
            continue
        answered = _direct_mention_parent(item)
        if answered and answered in known:  # it answers a message of a private conversation
            found[item.external_id] = (answered, known[answered])
            continue
        current, seen = item, {item.external_id}
        while _is_reply(current) and current.parent_external_id in by_id:
            parent = by_id[current.parent_external_id]
            if parent.external_id in seen:  # a loop in untrusted data: stop here
                break
            seen.add(parent.external_id)
            current = parent
        if _is_reply(current):
            parent_id = current.parent_external_id
            found[item.external_id] = (parent_id, known.get(parent_id))
        else:
            found[item.external_id] = (current.external_id, known.get(current.external_id))
    return found


@transaction.atomic
def owned_items_store(batch: OwnedBatch) -> StoreResult:
    if batch.agency_id != current_agency_id():
        raise NoTenantError(f"owned_items_store for agency {batch.agency_id} outside its scope.")
    result = StoreResult()
    account = SocialAccount.objects.filter(pk=batch.social_account_id).first()
    if account is None:
        return result
    items = sorted(batch.items, key=lambda i: (i.published_at, i.external_id))
    wanted = {i.external_id for i in items} | {i.parent_external_id for i in items}
    wanted |= {_direct_mention_parent(i) for i in items}
    known = dict(
        Message.objects.filter(social_account=account, external_id__in=wanted - {""}).values_list(
            "external_id", "conversation_id"
        )
    )
    threads = _threads(items, known)
    variants = dict(
        PostVariant.objects.filter(
            social_account=account,
            external_id__in={i.post_external_id for i in items if i.post_external_id},
        ).values_list("external_id", "id")
    )

    conversations: dict[str, Conversation] = {}
    by_pk = {
        c.pk: c
        for c in Conversation.objects.filter(pk__in={cid for _, cid in threads.values() if cid})
    }
    fresh: dict[int, list[Message]] = defaultdict(list)
    for item in items:
        key, conversation_id = threads[item.external_id]
        conversation = by_pk.get(conversation_id) if conversation_id else conversations.get(key)
        if conversation is None:
            conversation, created = Conversation.objects.get_or_create(
                social_account=account,
                thread_key=key[:500],
                defaults={
                    "agency_id": batch.agency_id,
                    "brand_id": batch.brand_id,
                    "network": batch.network[:20],
                    "kind": _message_kind(item)
                    if key == item.external_id or item.thread_external_id
                    else "reply",
                    "post_variant_id": variants.get(item.post_external_id),
                    "post_external_id": item.post_external_id,
                    "last_message_at": item.published_at,
                    "author_id": item.author_id,
                    "author_label": (item.author_name or item.author_handle)[:200],
                    "preview": item.text[:PREVIEW_CHARS],
                    "language": item.language,
                    "sentiment": item.sentiment_label,
                    "unread": True,
                },
            )
            result.conversations_created += created
            conversations[key] = conversation
        message, created = Message.objects.get_or_create(
            social_account=account,
            external_id=item.external_id,
            defaults={
                "agency_id": batch.agency_id,
                "conversation": conversation,
                "kind": _message_kind(item),
                "direction": _direction(item, account),
                "parent_external_id": item.parent_external_id,
                "author_id": item.author_id,
                "author_handle": item.author_handle,
                "author_name": item.author_name,
                "author_external_id": item.author_external_id[:500],
                "sent_at": item.published_at,
                "permalink": item.url,
                "text": item.text,
                "language": item.language,
                "sentiment": item.sentiment_label,
                "sentiment_score": item.sentiment_score,
                "abuse_labels": analyse(item.text).labels,
                "has_link": has_link(item.text),
                "raw": item.raw if isinstance(item.raw, dict | list) else None,
            },
        )
        if created:
            fresh[conversation.pk].append(message)
            result.messages_created += 1
    if fresh:
        _thread_parents(account, [m for ms in fresh.values() for m in ms])
        _conversations_touch(batch, fresh, result)
    return result


def _thread_parents(account: SocialAccount, messages: list[Message]) -> None:
    """Link each new reply to the message it answers (stored before or in this batch)."""
    replies = [m for m in messages if m.parent_external_id]
    if not replies:
        return
    parents = dict(
        Message.objects.filter(
            social_account=account, external_id__in={m.parent_external_id for m in replies}
        ).values_list("external_id", "id")
    )
    linked = []
    for message in replies:
        if message.parent_external_id in parents:
            message.parent_id = parents[message.parent_external_id]
            linked.append(message)
    if linked:
        Message.objects.bulk_update(linked, ["parent"])


def _conversations_touch(batch: OwnedBatch, fresh: dict[int, list[Message]], result) -> None:
    """Counts, last times, the latest inbound message's preview and scores, reopening, and
    the assignee's alert. The rows are locked: a concurrent poll of another thread item waits."""
    locked = Conversation.objects.select_for_update().filter(pk__in=fresh).order_by("pk")
    alerts: list[Conversation] = []
    sla = None
    moderated: list[Message] = []
    for conversation in locked:
        new = fresh[conversation.pk]
        for message in new:
            message.conversation = conversation  # the locked row, saved below
        if sla is None:  # one brand per batch: its schedule and targets read once
            sla = brand_sla(conversation.brand, since=min(m.sent_at for m in new).date())
        reopened = False
        conversation.message_count = Message.objects.filter(conversation=conversation).count()
        newest = max(m.sent_at for m in new)
        conversation.last_message_at = max(conversation.last_message_at, newest)
        inbound = [m for m in new if m.direction == Direction.INBOUND]
        latest = max(inbound, key=lambda m: m.sent_at) if inbound else None
        if latest is not None and (
            conversation.last_inbound_at is None or latest.sent_at >= conversation.last_inbound_at
        ):
            conversation.last_inbound_at = latest.sent_at
            conversation.preview = latest.text[:PREVIEW_CHARS]
            conversation.language = latest.language
            conversation.sentiment = latest.sentiment
            conversation.author_id = latest.author_id or conversation.author_id
            conversation.author_label = (latest.author_name or latest.author_handle)[:200]
            conversation.unread = True
            if not batch.backfill:
                was_closed = conversation.status == ConversationStatus.CLOSED
                reopened = conversation_reopen_on_inbound(conversation) and was_closed
                if conversation.assignee_id:
                    alerts.append(conversation)
        if inbound:
            clock_on_inbound(
                conversation,
                sla,
                first_at=min(m.sent_at for m in inbound),
                reopened=reopened,
                backfill=batch.backfill,
            )
        for reply in sorted(
            (m for m in new if m.direction == Direction.OUTBOUND), key=lambda m: m.sent_at
        ):
            clock_on_reply(conversation, at=reply.sent_at)
        conversation.save()
        if not batch.backfill:
            # A first read's old items are history, not news: no event, like no alert.
            messages_announce(conversation, new)
            moderated += new
    if moderated:
        # After the announcements: a rule's action follows the message it acts on.
        moderation_apply(brand_id=batch.brand_id, messages=moderated)
    if alerts:
        agency = Agency.objects.get(pk=batch.agency_id)
        for conversation in alerts:
            alert_send(
                agency=agency,
                recipients=[conversation.assignee_id],
                kind=AlertKind.CONVERSATION_MESSAGE,
                message=_("New message in a conversation assigned to you: %(preview)s")
                % {"preview": conversation.preview[:120]},
                url=_conversation_url(conversation),
            )
            result.alerted.append(conversation.pk)


def _conversation_url(conversation: Conversation) -> str:
    from django.urls import reverse

    return reverse("dashboard:conversation", kwargs={"conversation_id": conversation.pk})
