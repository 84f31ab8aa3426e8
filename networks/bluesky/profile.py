"""Connecting a Bluesky account with an app password, and ending its session on disconnect."""

from __future__ import annotations

import logging
import re

from networks.base import NetworkError
from networks.connect import ACCOUNT_PASSWORD_NOTICE, ConnectedProfile, bearer

logger = logging.getLogger(__name__)

DEFAULT_PDS = "https://bsky.social"
# App passwords look like xxxx-xxxx-xxxx-xxxx (lowercase letters and digits).
APP_PASSWORD_SHAPE = re.compile(r"[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}")


def looks_like_account_password(*, app_password: str, password_kind: str) -> bool:
    """Whether the password is (or looks like) the account's own, not an app password.

    The session's token says which password opened it (``password_kind`` from
    networks.bluesky.session); when it does not say, the shape of the password decides."""
    if password_kind == "app":
        return False
    return password_kind == "account" or not APP_PASSWORD_SHAPE.fullmatch(app_password.strip())


def app_password_profile(
    adapter, identifier: str, app_password: str, pds: str = ""
) -> ConnectedProfile:
    """A session from an app password (com.atproto.server.createSession) and the profile.

    A refused sign-in raises the adapter's PermanentError (``code`` ``invalid_login`` or
    ``sign_in_code_required``). A main account password is accepted, with the
    ACCOUNT_PASSWORD_NOTICE in ``notices``. A profile that cannot be read only leaves the
    display name and avatar empty."""
    pds = pds or DEFAULT_PDS
    creds = adapter.login(identifier.strip().lstrip("@"), app_password.strip(), pds)
    handle = creds.extra.get("handle", "")
    display_name, avatar = "", ""
    try:
        profile = adapter.request(
            "GET",
            adapter.xrpc(creds, "app.bsky.actor.getProfile"),
            headers=bearer(creds.access_token),
            params={"actor": creds.external_id},
        ).json()
        display_name, avatar = profile.get("displayName", ""), profile.get("avatar", "")
    except NetworkError:
        logger.info("bluesky profile unavailable for %s; connecting without it", handle)
    account_password = looks_like_account_password(
        app_password=app_password, password_kind=creds.extra.get("password_kind", "")
    )
    return ConnectedProfile(
        network=adapter.network.value,
        external_id=creds.external_id,
        handle=f"@{handle}" if handle else "",
        display_name=display_name,
        avatar_url=avatar,
        access_token=creds.access_token,
        refresh_token=creds.refresh_token,
        expires_at=creds.expires_at,
        instance_url=pds,
        notices=[ACCOUNT_PASSWORD_NOTICE] if account_password else [],
    )


def revoke_session(adapter, *, refresh_token: str, pds: str) -> bool:
    """com.atproto.server.deleteSession with the refresh token (ends the session)."""
    if not refresh_token:
        return False
    adapter.request(
        "POST",
        adapter.xrpc(pds or DEFAULT_PDS, "com.atproto.server.deleteSession"),
        headers=bearer(refresh_token),
        idempotent=True,
    )
    return True
