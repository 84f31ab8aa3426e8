"""The glue between Django and `networks` for connecting accounts: settings, state, profiles.

What lives here: which networks are configured, the adapter with the configured API versions,
the pending connection kept in the session (state, PKCE verifier, agency, brand, expiry), the
code exchange and the "who is this account" look-ups each network needs after it, and the
best-effort token revocation on disconnect. Writes to the database go through
clients.services; nothing here stores an account.

Tokens only ever travel in `ConnectedProfile` objects, whose repr hides them.
"""

from __future__ import annotations

import json
import logging
import re
import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import httpx
from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from agency.outbound import outbound_url_problem
from clients import adapters
from core import crypto
from networks import registry
from networks.base import (
    AppCredentials,
    Credentials,
    Network,
    NetworkError,
    PermanentError,
    TokenSet,
)
from networks.oauth import code_challenge_s256, generate_code_verifier, generate_state
from networks.oauth import state_matches as _state_matches

logger = logging.getLogger(__name__)

PENDING_SESSION_KEY = "social_connect_pending"
CHOICE_SESSION_KEY = "social_connect_choice"
PENDING_TTL_SECONDS = 10 * 60
MAX_PENDING = 5

OAUTH_NETWORKS = frozenset(
    {Network.MASTODON, Network.FACEBOOK, Network.INSTAGRAM, Network.LINKEDIN, Network.X}
)
# X clients may be public (PKCE only); the others need a secret for the code exchange.
SECRET_OPTIONAL = frozenset({Network.X})


class ConnectRefused(Exception):
    """The connection cannot go on; the message is for the person (translated)."""


# --- Settings and adapters ------------------------------------------------------------------


def known_network(network: str) -> bool:
    return network in {value for value, _label in registry.NETWORK_CHOICES}


def adapter_for(network: str, http: httpx.Client | None = None):
    """The network's adapter with the API versions configured in settings (clients.adapters,
    the one factory every caller uses). Where the person chooses the server, every call made
    while connecting goes through the outbound guard (no internal address, in any spelling)."""
    return adapters.build_adapter(network, http)


def configured_app(network: str) -> AppCredentials | None:
    """The platform's OAuth client for `network` from settings, or None when not configured."""
    client_id, client_secret = settings.SOCIAL_APPS.get(network, ("", ""))
    if not client_id or (not client_secret and network not in SECRET_OPTIONAL):
        return None
    return AppCredentials(client_id=client_id, client_secret=client_secret)


def unavailable_reason(network: str) -> str:
    """Why the connect button cannot work for this network, or "" when it can."""
    if network in (Network.MASTODON, Network.BLUESKY):
        return ""  # registered per instance / app password: nothing to configure
    if configured_app(network) is None:
        names = {
            Network.FACEBOOK: "FACEBOOK_APP_ID / FACEBOOK_APP_SECRET",
            Network.INSTAGRAM: "FACEBOOK_APP_ID / FACEBOOK_APP_SECRET",
            Network.LINKEDIN: "LINKEDIN_CLIENT_ID / LINKEDIN_CLIENT_SECRET",
            Network.X: "X_CLIENT_ID / X_CLIENT_SECRET",
        }
        return _(
            "%(network)s is not configured on this platform yet: an administrator must set "
            "%(variables)s."
        ) % {"network": registry.display_name(network), "variables": names[Network(network)]}
    return ""


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

    def __repr__(self) -> str:
        return (
            f"PendingConnection(network={self.network!r}, agency_id={self.agency_id}, "
            f"brand_id={self.brand_id}, state='***')"
        )


def begin(
    *, network: str, agency_id: int, brand_id: int, app: AppCredentials, instance_url: str = ""
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


@dataclass
class ConnectedProfile:
    """One account the person may connect, with its tokens (hidden from repr)."""

    network: str
    external_id: str
    handle: str = ""
    display_name: str = ""
    avatar_url: str = ""
    access_token: str = ""
    refresh_token: str = ""
    expires_at: datetime | None = None
    scopes: list[str] = field(default_factory=list)
    instance_url: str = ""
    notices: list[str] = field(default_factory=list)  # warnings to show after connecting

    def __repr__(self) -> str:
        return (
            f"ConnectedProfile(network={self.network!r}, external_id={self.external_id!r}, "
            f"handle={self.handle!r}, tokens='***')"
        )

    def label(self) -> str:
        return self.display_name or self.handle or self.external_id


def _expires_at(expires_in: int | None) -> datetime | None:
    return datetime.now(UTC) + timedelta(seconds=expires_in) if expires_in else None


def _scopes(tokens: TokenSet, requested: tuple[str, ...]) -> list[str]:
    raw = tokens.scope.replace(",", " ").split() if tokens.scope else list(requested)
    return sorted(set(raw))


def complete(
    pending: PendingConnection, *, app: AppCredentials, code: str
) -> list[ConnectedProfile]:
    """Exchange the code (sending the PKCE verifier) and find which account(s) it opens.

    Facebook and LinkedIn give access to several Pages/organisations: every one is returned
    and the person chooses. Raises NetworkError as the adapter does.
    """
    network = pending.network
    adapter = adapter_for(network)
    spec = adapter.oauth(pending.instance_url)
    tokens = adapter.exchange_code(
        app,
        code=code,
        redirect_uri=redirect_uri(network),
        code_verifier=pending.code_verifier or None,
        instance_url=pending.instance_url,
    )
    scopes = _scopes(tokens, spec.default_scopes)
    base = {"network": network, "scopes": scopes, "instance_url": pending.instance_url}
    if network == Network.MASTODON:
        return [_mastodon_profile(adapter, tokens, base)]
    if network == Network.X:
        return [_x_profile(adapter, tokens, base)]
    if network == Network.LINKEDIN:
        return _linkedin_profiles(adapter, tokens, base)
    if network == Network.FACEBOOK:
        return _facebook_profiles(adapter, app, tokens, base)
    if network == Network.INSTAGRAM:
        return _instagram_profiles(adapter, app, tokens, base)
    raise ConnectRefused(_("This network is not connected through OAuth."))


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _mastodon_profile(adapter, tokens: TokenSet, base: dict) -> ConnectedProfile:
    instance = base["instance_url"]
    account = adapter.request(
        "GET",
        f"{adapter.base(instance)}/api/v1/accounts/verify_credentials",
        headers=_bearer(tokens.access_token),
    ).json()
    acct = account.get("acct", "")
    handle = f"@{acct}" if "@" in acct else f"@{acct}@{urlsplit(instance).hostname}"
    return ConnectedProfile(
        **base,
        external_id=str(account["id"]),
        handle=handle,
        display_name=account.get("display_name") or acct,
        avatar_url=account.get("avatar") or "",
        access_token=tokens.access_token,
        refresh_token=tokens.refresh_token,
        expires_at=_expires_at(tokens.expires_in),
    )


X_API = "https://api.x.com/2"


def _x_profile(adapter, tokens: TokenSet, base: dict) -> ConnectedProfile:
    user = adapter.request(
        "GET",
        f"{X_API}/users/me",
        headers=_bearer(tokens.access_token),
        params={"user.fields": "profile_image_url,username,name"},
    ).json()["data"]
    return ConnectedProfile(
        **base,
        external_id=str(user["id"]),
        handle=f"@{user.get('username', '')}",
        display_name=user.get("name", ""),
        avatar_url=user.get("profile_image_url", ""),
        access_token=tokens.access_token,
        refresh_token=tokens.refresh_token,
        expires_at=_expires_at(tokens.expires_in),
    )


LINKEDIN_REST = "https://api.linkedin.com/rest"


def _linkedin_profiles(adapter, tokens: TokenSet, base: dict) -> list[ConnectedProfile]:
    """The organisation pages the member administers (Organization Access Control API)."""
    creds = Credentials(access_token=tokens.access_token)
    acls = adapter.call(
        "GET",
        f"{LINKEDIN_REST}/organizationAcls",
        creds,
        params={"q": "roleAssignee", "role": "ADMINISTRATOR", "state": "APPROVED"},
    ).json()
    profiles = []
    for element in acls.get("elements", []):
        urn = element.get("organization", "")
        if not urn.startswith("urn:li:organization:"):
            continue
        org_id = urn.rsplit(":", 1)[-1]
        org = adapter.call("GET", f"{LINKEDIN_REST}/organizations/{org_id}", creds).json()
        profiles.append(
            ConnectedProfile(
                **base,
                external_id=urn,
                handle=org.get("vanityName", ""),
                display_name=org.get("localizedName", ""),
                access_token=tokens.access_token,
                refresh_token=tokens.refresh_token,
                expires_at=_expires_at(tokens.expires_in),
            )
        )
    return profiles


def _facebook_profiles(adapter, app, tokens: TokenSet, base: dict) -> list[ConnectedProfile]:
    # A Page token derived from a long-lived user token does not expire; the user token is
    # kept as the "refresh token" so that FacebookAdapter.refresh can derive a new one.
    user = adapter.long_lived_token(app, tokens.access_token)
    return [
        ConnectedProfile(
            **base,
            external_id=str(page["id"]),
            display_name=page.get("name", ""),
            access_token=page.get("access_token", ""),
            refresh_token=user.access_token,
            expires_at=None,
        )
        for page in adapter.list_pages(user.access_token)
        if page.get("access_token")
    ]


def _instagram_profiles(adapter, app, tokens: TokenSet, base: dict) -> list[ConnectedProfile]:
    """Instagram professional accounts linked to the person's Pages (Facebook Login)."""
    user = adapter_for(Network.FACEBOOK, adapter.http).long_lived_token(app, tokens.access_token)
    pages = adapter_for(Network.FACEBOOK, adapter.http).list_pages(user.access_token)
    profiles = []
    for page in pages:
        ig = page.get("instagram_business_account") or {}
        if not ig.get("id"):
            continue
        info = adapter.request(
            "GET",
            adapter.url(str(ig["id"])),
            params={
                "fields": "username,name,profile_picture_url",
                "access_token": user.access_token,
            },
        ).json()
        profiles.append(
            ConnectedProfile(
                **base,
                external_id=str(ig["id"]),
                handle=f"@{info['username']}" if info.get("username") else "",
                display_name=info.get("name") or page.get("name", ""),
                avatar_url=info.get("profile_picture_url", ""),
                access_token=user.access_token,
                expires_at=_expires_at(user.expires_in),
            )
        )
    return profiles


# --- Bluesky: app password ------------------------------------------------------------------


# App passwords look like xxxx-xxxx-xxxx-xxxx (lowercase letters and digits).
APP_PASSWORD_SHAPE = re.compile(r"[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}")


def bluesky_password_warning(*, app_password: str, password_kind: str) -> str:
    """A warning for the person when the password is (or looks like) the account password.

    The session's token says which password opened it (``password_kind`` from
    networks.bluesky); when it does not say, the shape of the password decides. Only a
    warning: the account works, but an account password gives full access to the account and
    is lost with every password change."""
    if password_kind == "app":
        return ""
    if password_kind == "account" or not APP_PASSWORD_SHAPE.fullmatch(app_password.strip()):
        return _(
            "This looks like the account's own password, not an app password (app passwords "
            "look like xxxx-xxxx-xxxx-xxxx). The account is connected, but we recommend "
            "creating an app password in Bluesky (Settings → Privacy and security → App "
            "passwords) and connecting again with it: an app password can be revoked on its "
            "own and does not give full access to the account."
        )
    return ""


def bluesky_login(*, identifier: str, app_password: str, pds: str = "") -> ConnectedProfile:
    """A session from an app password (com.atproto.server.createSession) and the profile.

    A refused sign-in raises ConnectRefused with a message naming the problem (wrong
    identifier or password, sign-in code asked for), never "session expired". A main
    account password is accepted, with a warning in ``profile.notices``."""
    adapter = adapter_for(Network.BLUESKY)  # the PDS may be the person's own
    pds = pds or "https://bsky.social"
    try:
        creds = adapter.login(identifier.strip().lstrip("@"), app_password.strip(), pds)
    except PermanentError as exc:
        if exc.code == "invalid_login":
            said = (exc.raw or {}).get("message", "") if isinstance(exc.raw, dict) else ""
            raise ConnectRefused(
                _(
                    "Bluesky did not accept this handle and app password. Check the handle "
                    "(or email) and the app password; create a new app password if needed."
                )
                + (
                    " " + _("Bluesky said: “%(message)s”.") % {"message": said[:200]}
                    if said
                    else ""
                )
            ) from exc
        if exc.code == "sign_in_code_required":
            raise ConnectRefused(
                _(
                    "Bluesky asks for a sign-in code sent by email: that happens with the "
                    "account's own password. Use an app password instead (Settings → Privacy "
                    "and security → App passwords)."
                )
            ) from exc
        raise
    handle = creds.extra.get("handle", "")
    display_name, avatar = "", ""
    try:
        profile = adapter.request(
            "GET",
            adapter.xrpc(creds, "app.bsky.actor.getProfile"),
            headers=_bearer(creds.access_token),
            params={"actor": creds.external_id},
        ).json()
        display_name, avatar = profile.get("displayName", ""), profile.get("avatar", "")
    except NetworkError:
        logger.info("bluesky profile unavailable for %s; connecting without it", handle)
    warning = bluesky_password_warning(
        app_password=app_password, password_kind=creds.extra.get("password_kind", "")
    )
    return ConnectedProfile(
        network=Network.BLUESKY,
        external_id=creds.external_id,
        handle=f"@{handle}" if handle else "",
        display_name=display_name,
        avatar_url=avatar,
        access_token=creds.access_token,
        refresh_token=creds.refresh_token,
        expires_at=creds.expires_at,
        instance_url=pds,
        notices=[warning] if warning else [],
    )


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
        if network == Network.MASTODON and app and access_token:
            adapter.request(
                "POST",
                f"{adapter.base(instance_url)}/oauth/revoke",
                data={
                    "client_id": app.client_id,
                    "client_secret": app.client_secret,
                    "token": access_token,
                },
                idempotent=True,
            )
            return True
        if network == Network.X and app and (refresh_token or access_token):
            token, hint = (
                (refresh_token, "refresh_token")
                if refresh_token
                else (access_token, "access_token")
            )
            adapter.request(
                "POST",
                f"{X_API}/oauth2/revoke",
                data={"token": token, "token_type_hint": hint, "client_id": app.client_id},
                auth=(app.client_id, app.client_secret) if app.client_secret else None,
                idempotent=True,
            )
            return True
        if network == Network.LINKEDIN and app and access_token:
            adapter.request(
                "POST",
                "https://www.linkedin.com/oauth/v2/revoke",
                data={
                    "client_id": app.client_id,
                    "client_secret": app.client_secret,
                    "token": access_token,
                },
                idempotent=True,
            )
            return True
        if network == Network.BLUESKY and refresh_token:
            adapter.request(
                "POST",
                adapter.xrpc(
                    instance_url or "https://bsky.social", "com.atproto.server.deleteSession"
                ),
                headers=_bearer(refresh_token),
                idempotent=True,
            )
            return True
    except NetworkError as exc:
        logger.warning("revoking a %s token failed: %s", network, type(exc).__name__)
        return False
    # Facebook and Instagram: DELETE /me/permissions would remove the app for every Page the
    # person manages, other brands' included; the token is wiped locally instead.
    return False
