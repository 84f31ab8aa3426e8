"""Per-account backoff after a network's rate limit.

A rate limit belongs to the account (its token), not to one post: while an account waits, the
dispatcher claims none of its variants, and a variant claimed just before the limit came goes
back to the queue without calling the network. The wait is stored in
`AccountPublishingBackoff` (one row per account, kept after it passes, moved only forward).
Read and written in the account's tenant scope (the publish task's).
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet

from publishing.models import AccountPublishingBackoff


def account_backoff_until(*, social_account_id: int, now: dt.datetime) -> dt.datetime | None:
    """Until when the account must not be called, or None when it may be now."""
    until = (
        AccountPublishingBackoff.objects.filter(social_account_id=social_account_id)
        .values_list("until", flat=True)
        .first()
    )
    return until if until and until > now else None


def account_backoff_set(
    *, agency_id: int, social_account_id: int, until: dt.datetime, reason: str
) -> dt.datetime:
    """The account waits until `until` (or longer, if it already waits longer). Returns the
    time it waits until."""
    for _try in range(2):  # two workers rate-limited at once may both create the row
        try:
            with transaction.atomic():
                row, created = AccountPublishingBackoff.objects.select_for_update().get_or_create(
                    social_account_id=social_account_id,
                    defaults={"agency_id": agency_id, "until": until, "reason": reason[:300]},
                )
                if not created and row.until < until:
                    row.until = until
                    row.reason = reason[:300]
                    row.save(update_fields=["until", "reason"])
                return row.until
        except IntegrityError:
            continue
    return until


def exclude_backed_off(variants: QuerySet, *, now: dt.datetime) -> QuerySet:
    """The dispatcher's filter: variants whose account is not waiting out a rate limit."""
    return variants.filter(
        Q(social_account__publishing_backoff__isnull=True)
        | Q(social_account__publishing_backoff__until__lte=now)
    )
