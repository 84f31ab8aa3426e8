"""Reads about collection: how it went per account (the account page's notes, and later the
analytics pages' freshness)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from analytics.models import AccountCollection
from clients.account_notes import AccountNote


def collection_states_of(*, social_account_ids: list[int]) -> dict[int, AccountCollection]:
    """Each account's collection row (absent: not met by the collector yet), in one query."""
    return {
        row.social_account_id: row
        for row in AccountCollection.objects.filter(social_account_id__in=social_account_ids)
    }


def collection_notes(accounts: list) -> dict[int, list[AccountNote]]:
    """The account page's lines: when metrics were last collected, and the last failure in
    plain words while it is the latest news (a later success clears it)."""
    states = collection_states_of(social_account_ids=[a.pk for a in accounts])
    notes: dict[int, list[AccountNote]] = {}
    for account_id, state in states.items():
        lines = []
        if state.last_error:
            lines.append(
                AccountNote(
                    text=_("Metrics collection failed"),
                    at=state.last_error_at,
                    error=state.last_error,
                )
            )
        if state.last_collected_at:
            lines.append(AccountNote(text=_("Metrics last collected"), at=state.last_collected_at))
        elif not state.last_error:
            lines.append(AccountNote(text=_("Metrics not collected yet")))
        notes[account_id] = lines
    return notes
