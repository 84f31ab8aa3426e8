"""Token refresh: a cross-agency dispatcher (beat) and one thin task per account."""

import logging

from celery import shared_task
from django.conf import settings

from agency.tasks_base import TenantTask
from clients import selectors
from clients.services import token_refresh
from networks.base import RateLimited, TransientError

logger = logging.getLogger(__name__)

MAX_RETRY_DELAY = 15 * 60  # well below the broker's visibility timeout


@shared_task
def dispatch_token_refreshes() -> int:
    """Every agency's accounts whose token expires soon: enqueue one refresh task each.

    Cross-agency by design (it reads through the unscoped selector); each task then runs in
    its own agency's scope. Returns how many tasks were enqueued.
    """
    from datetime import timedelta

    window = timedelta(hours=settings.SOCIAL_TOKEN_REFRESH_WINDOW_HOURS)
    due = list(selectors.social_accounts_due_for_refresh_across_agencies(within=window)[:1000])
    for social_account_id, agency_id in due:
        refresh_social_account.delay(agency_id=agency_id, social_account_id=social_account_id)
    return len(due)


# One token request (plus a profile look-up at most): a network that stops answering must not
# hold a worker. A retry is a new run with its own limits.
@shared_task(base=TenantTask, bind=True, max_retries=5, soft_time_limit=60, time_limit=90)
def refresh_social_account(self, *, agency_id: int, social_account_id: int) -> str:
    """Refresh one account's tokens. A rate limit or a temporary failure is retried with
    backoff (the account stays connected); everything else is decided by the service."""
    try:
        return token_refresh.social_account_refresh(social_account_id=social_account_id)
    except (RateLimited, TransientError) as exc:
        delay = getattr(exc, "retry_after", None) or 60 * 2**self.request.retries
        logger.info(
            "token refresh of social account %s postponed (%s), retry %s",
            social_account_id,
            type(exc).__name__,
            self.request.retries + 1,
        )
        raise self.retry(exc=exc, countdown=min(delay, MAX_RETRY_DELAY))


# One Graph call per attempt; five attempts over about half an hour, then the account shows
# the failure and a person can try again from the accounts tab.
@shared_task(base=TenantTask, bind=True, max_retries=5, soft_time_limit=60, time_limit=90)
def install_webhooks(self, *, agency_id: int, social_account_id: int) -> str:
    """Install the app for one account's webhooks (clients.services.webhooks_install)."""
    from clients.services.webhooks_install import social_account_webhooks_install

    last = self.request.retries >= self.max_retries
    try:
        return social_account_webhooks_install(
            social_account_id=social_account_id, last_attempt=last
        )
    except (RateLimited, TransientError) as exc:
        delay = getattr(exc, "retry_after", None) or 60 * 2**self.request.retries
        raise self.retry(exc=exc, countdown=min(delay, MAX_RETRY_DELAY))


# Daily (beat). Cross-agency by design; each warning is once per agency, version and threshold
# (a unique row written with the alert), so a rerun or a second worker sends nothing twice.
@shared_task(soft_time_limit=240, time_limit=300)
def warn_api_retirements() -> int:
    """Warn agencies' admins of networks' API versions retiring in 60, 30 or 7 days."""
    from clients.services.network_watch import api_retirements_warn_across_agencies

    return api_retirements_warn_across_agencies()
