"""What other apps say about a connected account on its page (the brand's accounts tab).

clients stands below the apps that work with an account (analytics collects its metrics) and
may not import them: they register a function here in their ``AppConfig.ready()``; the page
shows each account's notes under its status. Without a registered app there are no notes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class AccountNote:
    """One line under an account: ``text`` (translated), when it happened, and the error in
    plain words when it is a failure (shown as one)."""

    text: str
    at: dt.datetime | None = None
    error: str = ""


NotesProvider = Callable[[list], dict[int, list[AccountNote]]]
_providers: list[NotesProvider] = []


def account_notes_register(provider: NotesProvider) -> None:
    if provider not in _providers:
        _providers.append(provider)


def account_notes_attach(accounts: Iterable) -> list:
    """The accounts as a list, each with ``notes`` (a list of AccountNote) from every
    registered app, each asked once for all the accounts."""
    accounts = list(accounts)
    for account in accounts:
        account.notes = []
    by_id = {account.pk: account for account in accounts}
    for provider in _providers:
        for account_id, notes in provider(accounts).items():
            if account_id in by_id:
                by_id[account_id].notes.extend(notes)
    return accounts
