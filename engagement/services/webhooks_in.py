"""Meta's webhook deliveries -> the inbox, through the same pipeline as the polls.

The receiver (engagement/views/meta_webhooks.py) checks the signature and the shape, then
``meta_delivery_route_across_agencies`` finds the connected accounts the delivery is about
(a Page id or an Instagram account id, in whichever agency connected it) and queues one task
per account with its raw entries. The task, in the account's agency scope, calls
``meta_entries_store``: comments go to reputation's pipeline with the brand's owned-comments
source (reputation.services.pushed) exactly as a poll stores them, so one message per
(account, external id) whichever arrives first, and whatever runs at ingest (the inbox's
events, alerts, moderation rules) runs once.
"""

from __future__ import annotations

import logging
from functools import partial

from django.db import transaction

from clients.models import AccountStatus, SocialAccount
from engagement.services.network_changes import NetworkChange, network_changes_apply
from networks.meta_webhooks import CHANGE_VERBS, AccountEvents, entry_comments, entry_messages
from reputation.services.pushed import owned_comments_pushed, owned_messages_pushed

logger = logging.getLogger(__name__)


def meta_delivery_route_across_agencies(events: list[AccountEvents]) -> int:
    """Queue one store task per connected account a delivery names; the number queued.

    Cross-agency by design: a delivery names a Page, not an agency, and one Page may be
    connected by two agencies (each gets its copy). An id nobody connected is logged and
    dropped: Meta must get its 200 anyway, or it retries and finally disables the app.
    """
    from engagement.tasks import store_meta_entries

    queued = 0
    for event in events:
        accounts = list(
            SocialAccount.unscoped.filter(
                network=event.network,
                external_id=event.account_id,
                status=AccountStatus.CONNECTED,
            ).values_list("agency_id", "pk")
        )
        if not accounts:
            logger.info(
                "meta webhook: no connected %s account %s; delivery ignored",
                event.network,
                event.account_id,
            )
        for agency_id, account_id in accounts:
            transaction.on_commit(
                partial(
                    store_meta_entries.delay,
                    agency_id=agency_id,
                    account_id=account_id,
                    entries=event.entries,
                )
            )
            queued += 1
    return queued


def meta_entries_store(*, account_id: int, entries: list[dict]) -> int:
    """Store what the entries say for the account (in its agency's scope); the number of
    items handed to the pipeline (stored once there, new or not) or changed in the inbox.

    A deletion, an edit, a hide or an unhide of a message already stored is applied to it
    (engagement.services.network_changes: the row and its history stay); an edit of a
    comment or message not stored yet is stored as new, with its current text."""
    account = SocialAccount.objects.filter(pk=account_id, status=AccountStatus.CONNECTED).first()
    if account is None:
        return 0
    pushed_comments = [p for entry in entries for p in entry_comments(account.network, entry)]
    pushed_messages = [p for entry in entries for p in entry_messages(account.network, entry)]
    changes = [
        NetworkChange(p.comment.external_id, p.verb, p.comment.text, p.at)
        for p in pushed_comments
        if p.verb in CHANGE_VERBS
    ] + [
        NetworkChange(p.comment.external_id, p.verb, p.comment.text, p.comment.created_at)
        for p in pushed_messages
        if p.verb in CHANGE_VERBS
    ]
    applied = network_changes_apply(account=account, changes=changes) if changes else None
    new_edits = set(applied.unknown_edits) if applied else set()
    comments = [
        (pushed.post_id, pushed.comment)
        for pushed in pushed_comments
        if (pushed.verb not in CHANGE_VERBS or pushed.comment.external_id in new_edits)
        and pushed.comment.text
    ]
    messages = [
        (pushed.thread_id, pushed.comment)
        for pushed in pushed_messages
        if (pushed.verb not in CHANGE_VERBS or pushed.comment.external_id in new_edits)
        and pushed.comment.text
    ]
    stored = applied.removed + applied.edited + applied.hidden if applied else 0
    if comments and owned_comments_pushed(account=account, comments=comments) is not None:
        stored += len(comments)
    if messages and owned_messages_pushed(account=account, messages=messages) is not None:
        stored += len(messages)
    return stored
