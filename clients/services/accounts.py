"""A brand's connected social accounts: connect, disconnect, needs-reconnect; app credentials."""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables

from agency import permissions
from agency.models import Membership, User
from agency.services.audit import audit_record
from clients import oauth, selectors
from clients.models import AccountStatus, Brand, MastodonApp, SocialAccount, WebhooksStatus
from clients.states import ACCOUNT_TRANSITIONS
from networks.base import AppCredentials, Credentials, Network, PermanentError
from networks.connect import Connection
from notifications.models import AlertKind
from notifications.services import alert_send


def _require_transition(account: SocialAccount, to: str) -> None:
    if to not in ACCOUNT_TRANSITIONS[account.status]:
        raise ValidationError(
            _("An account that is %(from)s cannot become %(to)s.")
            % {"from": account.get_status_display(), "to": AccountStatus(to).label}
        )


@sensitive_variables("profile")
@transaction.atomic
def social_account_connect(*, actor: Membership, brand: Brand, profile) -> SocialAccount:
    """Store a connected account (an `oauth.ConnectedProfile`), its tokens encrypted.

    Connecting an account the brand already has (same network and id) reconnects it: new
    tokens replace the old, except that a stored refresh token is kept when the network sent
    none; the status goes back to connected and the last error is cleared.
    """
    permissions.require(actor, permissions.SOCIAL_ACCOUNTS_MANAGE)
    if brand.agency_id != actor.agency_id:
        raise PermissionDenied
    return social_account_store(brand=brand, profile=profile, actor=actor, connected_by=actor.user)


@sensitive_variables("profile")
@transaction.atomic
def social_account_store(
    *,
    brand: Brand,
    profile,
    actor: Membership | None,
    connected_by: User | None,
    audit_data: dict | None = None,
) -> SocialAccount:
    """Store (or reconnect) the account of `profile` on `brand`, as `social_account_connect`
    says; the caller has checked who may (a member's permission, a client's connection link).
    `actor` None is audited as the system, with `audit_data` saying through what."""
    account = (
        SocialAccount.objects.select_for_update()
        .filter(brand=brand, network=profile.network, external_id=profile.external_id)
        .first()
    )
    reconnect = account is not None
    if account is None:
        account = SocialAccount(
            agency_id=brand.agency_id,
            brand=brand,
            network=profile.network,
            external_id=profile.external_id,
        )
    else:
        _require_transition(account, AccountStatus.CONNECTED)
    account.handle = profile.handle[:255]
    account.display_name = profile.display_name[:255]
    account.avatar_url = profile.avatar_url[:1000]
    account.scopes = list(profile.scopes)
    account.instance_url = profile.instance_url
    account.access_token = profile.access_token
    if profile.refresh_token:
        account.refresh_token = profile.refresh_token
    account.expires_at = profile.expires_at
    if profile.linked_page_token:  # Instagram: the linked Page's (kept when none is given)
        account.linked_page_id = profile.linked_page_id[:255]
        account.linked_page_token = profile.linked_page_token
    account.status = AccountStatus.CONNECTED
    account.last_error = ""
    account.last_error_at = None
    account.connected_by = connected_by
    account.connected_at = timezone.now()
    install = oauth.adapter_for(account.network).capabilities.install_webhooks
    if install:
        account.webhooks_status = WebhooksStatus.PENDING
        account.webhooks_error = ""
    account.full_clean(exclude=["agency", "brand", "connected_by", "avatar_url"])
    account.save()
    if install:
        webhooks_install_queue(account)
    audit_record(
        agency=brand.agency,
        actor=actor,
        verb="social_account.reconnected" if reconnect else "social_account.connected",
        target=account,
        data={"network": account.network, "brand_id": brand.pk, **(audit_data or {})},
    )
    return account


def social_account_disconnect(*, actor: Membership, social_account: SocialAccount) -> bool:
    """Stop using the account: revoke the token at the network where it has an endpoint
    (best effort), then wipe the tokens and mark it revoked. Returns whether the network
    confirmed the revocation; the local disconnect happens either way."""
    permissions.require(actor, permissions.SOCIAL_ACCOUNTS_MANAGE)
    _require_transition(social_account, AccountStatus.REVOKED)
    revoked_remotely = False
    if social_account.access_token_encrypted or social_account.refresh_token_encrypted:
        try:
            app = app_credentials_for(social_account)
        except PermanentError:
            app = None
        revoked_remotely = oauth.revoke_remote(
            network=social_account.network,
            access_token=social_account.access_token,
            refresh_token=social_account.refresh_token,
            instance_url=social_account.instance_url,
            app=app,
        )
    with transaction.atomic():
        account = SocialAccount.objects.select_for_update().get(pk=social_account.pk)
        account.access_token = ""
        account.refresh_token = ""
        account.linked_page_token = ""  # the linked Page's token goes with the account's
        account.expires_at = None
        account.status = AccountStatus.REVOKED
        account.save(
            update_fields=[
                "access_token_encrypted",
                "refresh_token_encrypted",
                "linked_page_token_encrypted",
                "expires_at",
                "status",
                "updated_at",
            ]
        )
        audit_record(
            agency=account.agency,
            actor=actor,
            verb="social_account.disconnected",
            target=account,
            data={"revoked_at_network": revoked_remotely},
        )
    social_account.refresh_from_db()
    return revoked_remotely


def webhooks_install_queue(account: SocialAccount) -> None:
    """Install the app for the account's webhooks in a task, once the transaction commits
    (clients.services.webhooks_install does it, with retries)."""
    from functools import partial

    from clients.tasks import install_webhooks

    transaction.on_commit(
        partial(install_webhooks.delay, agency_id=account.agency_id, social_account_id=account.pk)
    )


@transaction.atomic
def mastodon_app_for_instance(instance_url: str) -> MastodonApp:
    """Our OAuth client on a Mastodon instance, registered on first use (POST /api/v1/apps)
    and registered again if our callback address changed. Shared by every agency."""
    redirect = oauth.redirect_uri(Network.MASTODON)
    app = MastodonApp.objects.select_for_update().filter(instance_url=instance_url).first()
    if app is not None and app.redirect_uri == redirect:
        return app
    registered = oauth.adapter_for(Network.MASTODON).register_app(
        instance_url,
        redirect_uri=redirect,
        client_name=settings.MASTODON_CLIENT_NAME,
        website=settings.SITE_URL,
    )
    app = app or MastodonApp(instance_url=instance_url)
    app.client_id = registered.client_id
    app.client_secret = registered.client_secret
    app.redirect_uri = redirect
    app.save()
    return app


def connect_app_for(network: str, instance_url: str = "") -> AppCredentials | None:
    """The OAuth client to connect an account of `network` with: ours on the person's server
    (registered there on first use), else the platform's from settings (None: not set)."""
    if oauth.connection(network) == Connection.OAUTH_PER_SERVER:
        app = mastodon_app_for_instance(instance_url)
        return AppCredentials(client_id=app.client_id, client_secret=app.client_secret)
    return oauth.configured_app(network)


def app_credentials_for(account: SocialAccount) -> AppCredentials | None:
    """The OAuth client an account's tokens belong to (None for app passwords: Bluesky)."""
    connection = oauth.connection(account.network)
    if connection == Connection.APP_PASSWORD:
        return None
    if connection == Connection.OAUTH_PER_SERVER:
        app = MastodonApp.objects.filter(instance_url=account.instance_url).first()
        if app is None:
            raise PermanentError("no Mastodon app is registered for this instance")
        return AppCredentials(client_id=app.client_id, client_secret=app.client_secret)
    configured = oauth.configured_app(account.network)
    if configured is None:
        raise PermanentError(f"the {account.network} app credentials are not configured")
    return configured


def credentials_of(account: SocialAccount) -> Credentials:
    """The decrypted credentials an adapter needs. Never log the result."""
    return Credentials(
        access_token=account.access_token,
        refresh_token=account.refresh_token,
        expires_at=account.expires_at,
        instance_url=account.instance_url,
        external_id=account.external_id,
        linked_page_id=account.linked_page_id,
        linked_page_token=account.linked_page_token if account.linked_page_id else "",
        # What was granted at connect: an adapter refuses a call its token cannot make (X's
        # DMs on a connection older than the dm.* scopes) with what to do, before any request.
        extra={"scopes": list(account.scopes or [])},
    )


@transaction.atomic
def social_account_mark_needs_reconnect(*, social_account: SocialAccount, error: str) -> bool:
    """Connected -> needs reconnect, and notify the brand's managers — only on the transition,
    so a second failure (or a retry) while it stays broken notifies nobody again. Returns
    whether this call made the transition."""
    now = timezone.now()
    changed = SocialAccount.objects.filter(
        pk=social_account.pk, status=AccountStatus.CONNECTED
    ).update(
        status=AccountStatus.NEEDS_RECONNECT,
        last_error=error[:1000],
        last_error_at=now,
        updated_at=now,
    )
    if not changed:
        return False
    social_account.refresh_from_db()
    brand = social_account.brand
    recipients = set(selectors.brand_manager_user_ids(brand=brand))
    if social_account.connected_by_id:
        recipients.add(social_account.connected_by_id)
    alert_send(
        agency=brand.agency,
        recipients=recipients,
        kind=AlertKind.ACCOUNT_NEEDS_RECONNECT,
        message=_("%(account)s of %(brand)s must be reconnected: %(error)s")
        % {"account": str(social_account), "brand": brand.name, "error": error[:300]},
        url=reverse("brands:detail", kwargs={"brand_id": brand.pk}) + "?tab=accounts",
    )
    audit_record(
        agency=brand.agency,
        actor=None,
        verb="social_account.needs_reconnect",
        target=social_account,
        data={"error": error[:300]},
    )
    return True
