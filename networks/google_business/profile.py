"""Which locations a Google token opens: every account's locations, one profile each.

``GET https://mybusinessaccountmanagement.googleapis.com/v1/accounts`` lists the accounts the
person may act for (``accounts[].name`` ``accounts/{id}``, ``accountName``, ``type``);
``GET https://mybusinessbusinessinformation.googleapis.com/v1/{account}/locations?readMask=
name,title,storefrontAddress,metadata`` their locations (``name`` ``locations/{id}``,
``title``, ``storefrontAddress {addressLines, locality, postalCode, regionCode}``, ``metadata
{mapsUri, placeId, hasVoiceOfMerchant…}``), 100 a page by ``pageToken``. A location reachable
through two accounts (a personal account and a location group) is offered once.
``external_id`` is ``accounts/{a}/locations/{l}``, the form the v4 posts and reviews calls take.
"""

from __future__ import annotations

from networks.base import Credentials, TokenSet
from networks.connect import ConnectedProfile, expires_at

ACCOUNTS = "https://mybusinessaccountmanagement.googleapis.com/v1/accounts"
INFORMATION = "https://mybusinessbusinessinformation.googleapis.com/v1"
READ_MASK = "name,title,storefrontAddress,metadata"
MAX_PAGES = 20


def connected_profiles(adapter, tokens: TokenSet) -> list[ConnectedProfile]:
    creds = Credentials(access_token=tokens.access_token)
    profiles: list[ConnectedProfile] = []
    seen: set[str] = set()
    for account in _paged(adapter, creds, ACCOUNTS, "accounts", {"pageSize": 20}):
        account_name = str(account.get("name") or "")
        if not account_name.startswith("accounts/"):
            continue
        params = {"readMask": READ_MASK, "pageSize": 100}
        url = f"{INFORMATION}/{account_name}/locations"
        for location in _paged(adapter, creds, url, "locations", params):
            location_name = str(location.get("name") or "")
            if not location_name.startswith("locations/") or location_name in seen:
                continue
            seen.add(location_name)
            profiles.append(
                ConnectedProfile(
                    **adapter.profile_fields(tokens),
                    external_id=f"{account_name}/{location_name}",
                    handle=_address(location.get("storefrontAddress") or {}),
                    display_name=str(location.get("title") or ""),
                    access_token=tokens.access_token,
                    refresh_token=tokens.refresh_token,
                    expires_at=expires_at(tokens.expires_in),
                )
            )
    return profiles


def _paged(adapter, creds, url: str, key: str, params: dict):
    token = ""
    for _page in range(MAX_PAGES):
        body = adapter.call(
            "GET", url, creds, params={**params, "pageToken": token} if token else params
        ).json()
        yield from body.get(key) or []
        token = body.get("nextPageToken") or ""
        if not token:
            return


def _address(address: dict) -> str:
    """The storefront's first line and town: what tells a brand's locations apart."""
    lines = [line for line in address.get("addressLines") or [] if line][:1]
    return ", ".join([*lines, *([address["locality"]] if address.get("locality") else [])])
