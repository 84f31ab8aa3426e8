"""The state machine of a connected social account (SocialAccount.status), in one place."""

from clients.models import AccountStatus

ACCOUNT_TRANSITIONS: dict[str, frozenset[str]] = {
    AccountStatus.CONNECTED: frozenset(
        {AccountStatus.CONNECTED, AccountStatus.NEEDS_RECONNECT, AccountStatus.REVOKED}
    ),
    AccountStatus.NEEDS_RECONNECT: frozenset({AccountStatus.CONNECTED, AccountStatus.REVOKED}),
    AccountStatus.REVOKED: frozenset({AccountStatus.CONNECTED}),
}
