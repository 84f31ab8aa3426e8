"""Installing our app on an account at the network so that it pushes the account's events
(Meta: ``POST /{page-id}/subscribed_apps`` with the Page token; for Instagram, on the linked
Page). Without it Meta delivers no webhook for the Page and the inbox waits for the poll.

Queued after every connection and reconnection (clients.services.accounts), retried by its
task when the network is briefly unavailable, and retried by a person from the brand's
accounts tab. The outcome is on the account (``webhooks_status``, ``webhooks_error``), shown
on that tab, never only in a log.
"""

from __future__ import annotations

from django.utils import timezone

from agency import permissions
from agency.models import Membership
from agency.services.audit import audit_record
from clients import oauth
from clients.models import AccountStatus, SocialAccount, WebhooksStatus
from clients.services.accounts import credentials_of, webhooks_install_queue
from networks.base import AuthExpired, NetworkError, NotSupported, RateLimited, TransientError


def _record(account_id: int, status: str, error: str = "") -> None:
    SocialAccount.objects.filter(pk=account_id).update(
        webhooks_status=status, webhooks_error=error[:1000], webhooks_checked_at=timezone.now()
    )


def social_account_webhooks_install(*, social_account_id: int, last_attempt: bool = True) -> str:
    """Install the app for the account's webhooks; the status recorded on the account.

    Guarantees: a connected account only (a disconnected one is left alone); success clears
    any earlier error; a refusal (missing permission, expired token, a Page not linked) is
    recorded as failed with the network's reason in the person's words; a rate limit or a
    temporary failure is re-raised for the task to retry, the account showing it is still
    being installed, and recorded as failed with the reason on the ``last_attempt``.
    Repeating it is harmless: Meta's subscription is idempotent.
    """
    account = SocialAccount.objects.filter(pk=social_account_id).first()
    if account is None or account.status != AccountStatus.CONNECTED:
        return ""
    adapter = oauth.adapter_for(account.network)
    try:
        fields = adapter.install_webhooks(credentials_of(account))
    except NotSupported:
        _record(account.pk, "")
        return ""
    except (RateLimited, TransientError) as exc:
        if last_attempt:
            _record(account.pk, WebhooksStatus.FAILED, _refusal(exc))
            return WebhooksStatus.FAILED
        _record(account.pk, WebhooksStatus.PENDING, _refusal(exc))
        raise
    except (AuthExpired, NetworkError) as exc:
        _record(account.pk, WebhooksStatus.FAILED, _refusal(exc))
        return WebhooksStatus.FAILED
    _record(account.pk, WebhooksStatus.INSTALLED)
    audit_record(
        agency=account.agency,
        actor=None,
        verb="social_account.webhooks_installed",
        target=account,
        data={"fields": fields},
    )
    return WebhooksStatus.INSTALLED


def _refusal(exc: NetworkError) -> str:
    """The network's reason as the adapter words it (like ``last_error``); the accounts tab
    frames it in the reader's language."""
    return getattr(exc, "explanation", "") or str(exc) or type(exc).__name__


def social_account_webhooks_retry(*, actor: Membership, social_account: SocialAccount) -> None:
    """A person asks again (the accounts tab's "Try again"): queued like after connecting."""
    permissions.require(actor, permissions.SOCIAL_ACCOUNTS_MANAGE)
    SocialAccount.objects.filter(pk=social_account.pk).update(
        webhooks_status=WebhooksStatus.PENDING, webhooks_error=""
    )
    audit_record(
        agency=social_account.agency,
        actor=actor,
        verb="social_account.webhooks_retry",
        target=social_account,
        data={"network": social_account.network},
    )
    webhooks_install_queue(social_account)
