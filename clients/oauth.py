"""The glue between Django and `networks` for connecting accounts: settings, state, profiles.

What lives here: which networks are configured, the adapter with the configured API versions,
the pending connection kept in the session (state, PKCE verifier, agency, brand, expiry), the
code exchange, the accounts waiting for the person's choice, the app-password sign-in and the
best-effort token revocation on disconnect. What each network asks for after the exchange
("who is this account") is the network's own (``NetworkAdapter.connected_profiles``, in
networks/<name>/profile.py); nothing here branches on a network's name. Writes to the database
go through clients.services; nothing here stores an account.

Tokens only ever travel in `ConnectedProfile` objects, whose repr hides them.
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import asdict, dataclass
from datetime import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from agency.outbound import outbound_url_problem
from clients import adapters
from core import crypto
from networks import registry
from networks.base import AppCredentials, NetworkError, NotSupported, PermanentError
from networks.connect import ACCOUNT_PASSWORD_NOTICE, ConnectedProfile, Connection
from networks.oauth import code_challenge_s256, generate_code_verifier, generate_state
from networks.oauth import state_matches as _state_matches

logger = logging.getLogger(__name__)

PENDING_SESSION_KEY = "social_connect_pending"
CHOICE_SESSION_KEY = "social_connect_choice"
PENDING_TTL_SECONDS = 10 * 60
MAX_PENDING = 5


class ConnectRefused(Exception):
    """The connection cannot go on; the message is for the person (translated)."""


# --- Settings and adapters ------------------------------------------------------------------


def known_network(network: str) -> bool:
    return network in {value for value, _label in registry.NETWORK_CHOICES}


def adapter_for(network: str):
    """The network's adapter with the API versions configured in settings (clients.adapters,
    the one factory every caller uses). Where the person chooses the server, every call made
    while connecting goes through the outbound guard (no internal address, in any spelling)."""
    return adapters.build_adapter(network)


def connection(network: str) -> Connection:
    """How an account of `network` is connected (the platform's OAuth client, OAuth on the
    person's server, or an app password)."""
    return registry.adapter_class(network).connection


def configured_app(network: str) -> AppCredentials | None:
    """The platform's OAuth client for `network` from settings, or None when not configured."""
    client_id, client_secret = settings.SOCIAL_APPS.get(network, ("", ""))
    secret_required = registry.adapter_class(network).client_secret_required
    if not client_id or (not client_secret and secret_required):
        return None
    return AppCredentials(client_id=client_id, client_secret=client_secret)


def unavailable_reason(network: str) -> str:
    """Why the connect button cannot work for this network, or "" when it can."""
    if connection(network) != Connection.OAUTH:
        return ""  # registered per instance / app password: nothing to configure
    if configured_app(network) is None:
        return _(
            "%(network)s is not configured on this platform yet: an administrator must set "
            "%(variables)s."
        ) % {
            "network": registry.display_name(network),
            "variables": registry.adapter_class(network).app_settings,
        }
    return ""


# What a connection made with fewer permissions than we now ask for cannot do, in the
# person's words (the adapter names the feature: networks.adapter.missing_features).
_MISSING_FEATURES = {
    "direct_messages": lambda: _(
        "Direct messages are not read or answered: this account was connected before they "
        "were asked for. Reconnect it to grant the permission."
    ),
}


def reconnect_reasons(account) -> list[str]:
    """Why a connected ``account`` should be reconnected although it works: the features
    its granted scopes (stored at connect) leave out."""
    if account.status != "connected":
        return []
    features = registry.adapter_class(account.network).missing_features(account.scopes or [])
    return [_MISSING_FEATURES[f]() for f in features if f in _MISSING_FEATURES]


def redirect_uri(network: str) -> str:
    """The callback address to register with the network (built from SITE_URL)."""
    return settings.SITE_URL.rstrip("/") + reverse(
        "brands:connection_callback", kwargs={"network": network}
    )


def normalise_instance_url(raw: str) -> str:
    """ "mastodon.social", "https://Mastodon.social/" -> "https://mastodon.social"."""
    raw = (raw or "").strip()
    if not raw:
        raise ConnectRefused(_("Enter the address of your Mastodon server."))
    if "://" not in raw:
        raw = "https://" + raw
    parts = urlsplit(raw)
    host = (parts.hostname or "").lower()
    if parts.scheme != "https" or not host or "." not in host or parts.path.strip("/"):
        raise ConnectRefused(
            _("“%(value)s” is not a Mastodon server address, such as mastodon.social.")
            % {"value": raw[:100]}
        )
    port = f":{parts.port}" if parts.port else ""
    problem = outbound_url_problem(f"https://{host}{port}/")
    if problem:  # checked again at every call, through the guarded client (adapter_for)
        raise ConnectRefused(problem)
    return f"https://{host}{port}"


# --- The pending connection, kept in the session ---------------------------------------------


@dataclass
class PendingConnection:
    state: str
    agency_id: int
    brand_id: int
    network: str
    code_verifier: str = ""
    instance_url: str = ""
    created_at: float = 0.0
    expires_at: float = 0.0
    # Started from a client's connection link (clients/views_connection_links.py), not by a
    # member: the callback stores the account through the link. 0: a member's connection.
    connection_link_id: int = 0

    def __repr__(self) -> str:
        return (
            f"PendingConnection(network={self.network!r}, agency_id={self.agency_id}, "
            f"brand_id={self.brand_id}, state='***')"
        )


def begin(
    *,
    network: str,
    agency_id: int,
    brand_id: int,
    app: AppCredentials,
    instance_url: str = "",
    connection_link_id: int = 0,
) -> tuple[PendingConnection, str]:
    """A fresh state (and PKCE verifier when the network takes one) and the authorisation URL."""
    adapter = adapter_for(network)
    spec = adapter.oauth(instance_url)
    verifier = generate_code_verifier() if spec.pkce else ""
    now = time.time()
    pending = PendingConnection(
        state=generate_state(),
        agency_id=agency_id,
        brand_id=brand_id,
        network=network,
        code_verifier=verifier,
        instance_url=instance_url,
        created_at=now,
        expires_at=now + PENDING_TTL_SECONDS,
        connection_link_id=connection_link_id,
    )
    url = adapter.authorization_url(
        app,
        redirect_uri=redirect_uri(network),
        state=pending.state,
        code_challenge=code_challenge_s256(verifier) if verifier else None,
        instance_url=instance_url,
    )
    return pending, url


def remember(session, pending: PendingConnection) -> None:
    """Keep the pending connection server-side; a few may be open at once (several tabs)."""
    now = time.time()
    entries = [e for e in session.get(PENDING_SESSION_KEY, []) if e["expires_at"] > now]
    entries.append(asdict(pending))
    session[PENDING_SESSION_KEY] = entries[-MAX_PENDING:]


def pending_connection_link_id(session, *, state: str | None) -> int:
    """The connection link a pending connection with this state was started from, or 0 (a
    member's connection, or no such pending connection). Reads without taking it."""
    entries = session.get(PENDING_SESSION_KEY, [])
    found = next((e for e in entries if _state_matches(e["state"], state)), None)
    return int(found.get("connection_link_id") or 0) if found else 0


def take(session, *, network: str, state: str | None, agency_id: int) -> PendingConnection:
    """The pending connection this callback answers, removed from the session (single use).

    Refused, with a message for the person, when no pending connection has this state, when it
    was started for another network or agency, or when it is older than ten minutes.
    """
    entries = session.get(PENDING_SESSION_KEY, [])
    found = next((e for e in entries if _state_matches(e["state"], state)), None)
    if found is not None:
        session[PENDING_SESSION_KEY] = [e for e in entries if e is not found]
    if found is None or found["network"] != network or found["agency_id"] != agency_id:
        raise ConnectRefused(
            _(
                "This connection attempt was not recognised (it was already used, or it was "
                "started in another browser or agency). Nothing was connected; start again "
                "from the brand page."
            )
        )
    if found["expires_at"] <= time.time():
        raise ConnectRefused(
            _(
                "This connection attempt took more than 10 minutes and expired. Nothing was "
                "connected; start again from the brand page."
            )
        )
    return PendingConnection(**found)


# --- What a successful connection gives ------------------------------------------------------


def complete(
    pending: PendingConnection, *, app: AppCredentials, code: str
) -> list[ConnectedProfile]:
    """Exchange the code (sending the PKCE verifier) and find which account(s) it opens.

    Facebook and LinkedIn give access to several Pages/organisations: every one is returned
    and the person chooses. Raises NetworkError as the adapter does.
    """
    network = pending.network
    adapter = adapter_for(network)
    tokens = adapter.exchange_code(
        app,
        code=code,
        redirect_uri=redirect_uri(network),
        code_verifier=pending.code_verifier or None,
        instance_url=pending.instance_url,
    )
    try:
        return adapter.connected_profiles(tokens, app=app, instance_url=pending.instance_url)
    except NotSupported:
        raise ConnectRefused(_("This network is not connected through OAuth.")) from None


# --- Without OAuth: an app password (Bluesky) ----------------------------------------------


def _account_password_warning() -> str:
    """Only a warning: the account works, but an account password gives full access to the
    account and is lost with every password change."""
    return _(
        "This looks like the account's own password, not an app password (app passwords "
        "look like xxxx-xxxx-xxxx-xxxx). The account is connected, but we recommend "
        "creating an app password in Bluesky (Settings → Privacy and security → App "
        "passwords) and connecting again with it: an app password can be revoked on its "
        "own and does not give full access to the account."
    )


# The network's notice codes (ConnectedProfile.notices), in words for the person.
NOTICES = {ACCOUNT_PASSWORD_NOTICE: _account_password_warning}


def _login_refusal(exc: PermanentError) -> str | None:
    """The person's words for a refused app-password sign-in, by the adapter's code."""
    if exc.code == "invalid_login":
        said = (exc.raw or {}).get("message", "") if isinstance(exc.raw, dict) else ""
        return _(
            "Bluesky did not accept this handle and app password. Check the handle "
            "(or email) and the app password; create a new app password if needed."
        ) + (" " + _("Bluesky said: “%(message)s”.") % {"message": said[:200]} if said else "")
    if exc.code == "sign_in_code_required":
        return _(
            "Bluesky asks for a sign-in code sent by email: that happens with the "
            "account's own password. Use an app password instead (Settings → Privacy "
            "and security → App passwords)."
        )
    return None


def app_password_login(
    *, network: str, identifier: str, app_password: str, server: str = ""
) -> ConnectedProfile:
    """A session from an app password and the account's profile (networks connected without
    OAuth: Bluesky, through ``NetworkAdapter.app_password_profile``).

    A refused sign-in raises ConnectRefused with a message naming the problem (wrong
    identifier or password, sign-in code asked for), never "session expired". A main
    account password is accepted, with a warning in ``profile.notices``."""
    adapter = adapter_for(network)  # the server may be the person's own: guarded
    try:
        profile = adapter.app_password_profile(identifier, app_password, server)
    except PermanentError as exc:
        refusal = _login_refusal(exc)
        if refusal is None:
            raise
        raise ConnectRefused(refusal) from exc
    profile.notices = [NOTICES[code]() for code in profile.notices]
    return profile


# --- Several accounts to choose from: kept encrypted in the session ---------------------------


def remember_choice(session, *, agency_id: int, brand_id: int, profiles) -> None:
    blob = json.dumps(
        [
            {**asdict(p), "expires_at": p.expires_at.isoformat() if p.expires_at else None}
            for p in profiles
        ]
    )
    session[CHOICE_SESSION_KEY] = {
        "agency_id": agency_id,
        "brand_id": brand_id,
        "expires_at": time.time() + PENDING_TTL_SECONDS,
        "profiles": crypto.encrypt(blob),
    }


def pending_choice(session, *, agency_id: int, brand_id: int) -> list[ConnectedProfile]:
    """The accounts waiting for the person's choice, or [] (expired, other brand, none)."""
    entry = session.get(CHOICE_SESSION_KEY)
    if (
        not entry
        or entry["agency_id"] != agency_id
        or entry["brand_id"] != brand_id
        or entry["expires_at"] <= time.time()
    ):
        return []
    profiles = []
    for raw in json.loads(crypto.decrypt(entry["profiles"])):
        expires = raw.pop("expires_at")
        profiles.append(
            ConnectedProfile(**raw, expires_at=datetime.fromisoformat(expires) if expires else None)
        )
    return profiles


def forget_choice(session) -> None:
    session.pop(CHOICE_SESSION_KEY, None)


# --- Disconnect: revoke at the network where it has an endpoint -----------------------------


def revoke_remote(
    *,
    network: str,
    access_token: str,
    refresh_token: str,
    instance_url: str,
    app: AppCredentials | None,
) -> bool:
    """Ask the network to revoke the token. True when it did; False when it has no endpoint
    for it, or failed (the local disconnect goes on: the person asked to stop using it)."""
    adapter = adapter_for(network)
    try:
        return adapter.revoke_token(
            app=app,
            access_token=access_token,
            refresh_token=refresh_token,
            instance_url=instance_url,
        )
    except NetworkError as exc:
        logger.warning("revoking a %s token failed: %s", network, type(exc).__name__)
        return False
