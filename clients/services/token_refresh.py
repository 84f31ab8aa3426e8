"""Renewing an account's tokens before they expire (one account at a time, under a lock)."""

from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from clients import oauth
from clients.models import AccountStatus, SocialAccount
from clients.services.accounts import (
    app_credentials_for,
    credentials_of,
    social_account_mark_needs_reconnect,
    webhooks_install_queue,
)
from networks.base import AuthExpired, Credentials, PermanentError


class RefreshOutcome:
    REFRESHED = "refreshed"
    SKIPPED = "skipped"
    NEEDS_RECONNECT = "needs_reconnect"
    FAILED = "failed"


def social_account_refresh(
    *, social_account_id: int, force: bool = False, window: timedelta | None = None
) -> str:
    """Renew an account's tokens before they expire. Runs inside the account's tenant scope.

    Guarantees: one refresh at a time per account (a lock: some networks rotate refresh
    tokens, and a second refresh with the spent one would look like a dead token); a refresh
    token the network does not replace is kept; an expired/revoked token marks the account
    "needs reconnect" and notifies the brand's managers once; a rate limit or a temporary
    failure re-raises (the task retries) and changes nothing; a permanent refusal is recorded
    in last_error.
    """
    lock = f"social-account-refresh:{social_account_id}"
    if not cache.add(lock, "1", timeout=300):
        return RefreshOutcome.SKIPPED
    try:
        return _refresh_locked(social_account_id, force=force, window=window)
    finally:
        cache.delete(lock)


def social_account_renewed_credentials(account: SocialAccount, creds) -> Credentials | None:
    """New credentials for a call the network refused as expired, or None when the token
    cannot be renewed (no refresh for this network, or the refresh was refused). A rate limit
    or a temporary failure of the refresh is raised: the caller retries later as it would any
    other call. Used by every sender (publishing's worker, the inbox's outbox)."""
    outcome = social_account_refresh(social_account_id=account.pk, force=True)
    fresh = SocialAccount.objects.filter(pk=account.pk).first()
    if fresh is None or fresh.status != AccountStatus.CONNECTED:
        return None
    if outcome == RefreshOutcome.REFRESHED or fresh.access_token != creds.access_token:
        # Refreshed here, or by a concurrent refresh that held the account's lock.
        return credentials_of(fresh)
    return None


def _refresh_locked(social_account_id: int, *, force: bool, window: timedelta | None) -> str:
    account = SocialAccount.objects.select_related("brand").filter(pk=social_account_id).first()
    if account is None or account.status != AccountStatus.CONNECTED:
        return RefreshOutcome.SKIPPED
    window = window or timedelta(hours=settings.SOCIAL_TOKEN_REFRESH_WINDOW_HOURS)
    if not force and (account.expires_at is None or account.expires_at > timezone.now() + window):
        return RefreshOutcome.SKIPPED  # refreshed meanwhile, or does not expire
    adapter = oauth.adapter_for(account.network)
    if not adapter.capabilities.token_refresh:
        return RefreshOutcome.SKIPPED
    try:
        app = app_credentials_for(account)
        fresh = adapter.refresh(credentials_of(account), app)
    except AuthExpired as exc:
        social_account_mark_needs_reconnect(
            social_account=account, error=exc.explanation or str(exc)
        )
        return RefreshOutcome.NEEDS_RECONNECT
    except PermanentError as exc:
        _record_error(account, exc.explanation or str(exc))
        return RefreshOutcome.FAILED
    with transaction.atomic():
        locked = SocialAccount.objects.select_for_update().get(pk=account.pk)
        if locked.status != AccountStatus.CONNECTED:
            return RefreshOutcome.SKIPPED  # disconnected while we were away
        locked.access_token = fresh.access_token
        if fresh.refresh_token:
            locked.refresh_token = fresh.refresh_token
        locked.expires_at = fresh.expires_at
        newly_linked = bool(fresh.linked_page_token) and not locked.linked_page_id
        if fresh.linked_page_token:  # Instagram: the linked Page's token, derived again
            locked.linked_page_id = fresh.linked_page_id
            locked.linked_page_token = fresh.linked_page_token
        locked.last_error = ""
        locked.last_error_at = None
        locked.save(
            update_fields=[
                "access_token_encrypted",
                "refresh_token_encrypted",
                "linked_page_id",
                "linked_page_token_encrypted",
                "expires_at",
                "last_error",
                "last_error_at",
                "updated_at",
            ]
        )
        if newly_linked and adapter.capabilities.install_webhooks and not locked.webhooks_status:
            # An account connected before the Page token was kept: install the app now.
            webhooks_install_queue(locked)
    return RefreshOutcome.REFRESHED


def _record_error(account: SocialAccount, message: str) -> None:
    SocialAccount.objects.filter(pk=account.pk).update(
        last_error=message[:1000], last_error_at=timezone.now()
    )
