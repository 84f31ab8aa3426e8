"""Which LinkedIn organisations a token opens, and revoking the token on disconnect."""

from __future__ import annotations

from networks.base import AppCredentials, Credentials, TokenSet
from networks.connect import ConnectedProfile, expires_at


def connected_profiles(adapter, tokens: TokenSet) -> list[ConnectedProfile]:
    """The organisation pages the member administers (Organization Access Control API)."""
    creds = Credentials(access_token=tokens.access_token)
    acls = adapter.call(
        "GET",
        f"{adapter.api_root}/organizationAcls",
        creds,
        params={"q": "roleAssignee", "role": "ADMINISTRATOR", "state": "APPROVED"},
    ).json()
    profiles = []
    for element in acls.get("elements", []):
        urn = element.get("organization", "")
        if not urn.startswith("urn:li:organization:"):
            continue
        org_id = urn.rsplit(":", 1)[-1]
        org = adapter.call("GET", f"{adapter.api_root}/organizations/{org_id}", creds).json()
        profiles.append(
            ConnectedProfile(
                **adapter.profile_fields(tokens),
                external_id=urn,
                handle=org.get("vanityName", ""),
                display_name=org.get("localizedName", ""),
                access_token=tokens.access_token,
                refresh_token=tokens.refresh_token,
                expires_at=expires_at(tokens.expires_in),
            )
        )
    return profiles


def revoke_token(adapter, *, app: AppCredentials | None, access_token: str) -> bool:
    """POST https://www.linkedin.com/oauth/v2/revoke (the client's id and secret)."""
    if not (app and access_token):
        return False
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
