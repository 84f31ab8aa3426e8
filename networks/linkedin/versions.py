"""When each LinkedIn Marketing API version (``LinkedIn-Version: YYYYMM``) is sunset.

Source: Microsoft Learn, "LinkedIn Marketing API: Versioning" (monthly versions, "supported
and stable for a minimum of one year before sunset") and "Migrations" (the API Migration
Status table, one sunset date per version). Read in December 2026. A version missing from the
table gets the documented minimum: the first day of its month one year later (LinkedIn's real
dates fall mid-month, so the warning comes a little early rather than late).
"""

from __future__ import annotations

import re
from datetime import date

import httpx

from networks.deprecation import VERSION_REFUSED, DeprecationSignal
from networks.http import json_or_none

VERSION_CODES = frozenset({"NONEXISTENT_VERSION", "VERSION_MISSING", "DEPRECATED_VERSION"})

SUNSET = {
    "202407": date(2025, 7, 22),
    "202408": date(2025, 8, 18),
    "202409": date(2025, 9, 15),
    "202410": date(2025, 10, 15),
    "202411": date(2025, 11, 17),
    "202510": date(2026, 10, 15),
    "202511": date(2026, 11, 16),
    "202601": date(2027, 1, 15),
    "202602": date(2027, 2, 15),
    "202603": date(2027, 3, 16),
}

_VERSION = re.compile(r"^(\d{4})(\d{2})(?:\.\d{2})?$")


def linkedin_retirement(version: str) -> date | None:
    """The sunset day of ``version`` (``202607``, or a patch such as ``202508.02``), or None
    for a value that is not a LinkedIn version."""
    version = version.strip()
    if version in SUNSET:
        return SUNSET[version]
    match = _VERSION.match(version)
    if not match:
        return None
    year, month = int(match.group(1)), int(match.group(2))
    if not 1 <= month <= 12:
        return None
    return date(year + 1, month, 1)


def refused_version(response: httpx.Response) -> bool:
    """LinkedIn's answer to a retired or unknown ``LinkedIn-Version``: HTTP 426 ("Version
    Header is Deprecated") or a body code naming the version."""
    if response.status_code == 426:
        return True
    if response.status_code < 400:
        return False
    body = json_or_none(response)
    code = (body.get("code") or body.get("serviceErrorCode")) if isinstance(body, dict) else None
    return code in VERSION_CODES


def version_signals(response: httpx.Response, version: str) -> list[DeprecationSignal]:
    if not refused_version(response):
        return []
    body = json_or_none(response)
    said = body.get("message") if isinstance(body, dict) else ""
    return [
        DeprecationSignal(
            network="linkedin",
            kind=VERSION_REFUSED,
            message=f"LinkedIn refused API version {version} (HTTP {response.status_code}"
            f"{': ' + str(said) if said else ''}): raise LINKEDIN_API_VERSION",
            api_version=version,
            sunset=linkedin_retirement(version),
        )
    ]
