"""When each Graph API version is retired (Facebook Pages and Instagram share the version).

Source: Meta for Developers, "Graph API changelog: Versions" (release and expiration date of
each version) and "Platform Versioning" ("each version is guaranteed to operate for at least
two years; a version will no longer be usable two years after the date that the subsequent
version is released"; calls to an expired version are answered by the next oldest usable one).
Read in December 2026.
"""

from __future__ import annotations

import re
from datetime import date

# Expiration dates as the changelog lists them.
GRAPH_EXPIRY = {
    "v19.0": date(2026, 5, 21),
    "v20.0": date(2026, 9, 24),
    "v21.0": date(2027, 1, 21),
    "v22.0": date(2027, 5, 20),
    "v23.0": date(2027, 10, 8),
    "v24.0": date(2028, 2, 18),
    "v25.0": date(2028, 7, 29),
}
# Versions whose expiration is still "TBD": the documented minimum, two years after release.
GRAPH_RELEASE = {
    "v26.0": date(2026, 7, 29),
}

_VERSION = re.compile(r"^v\d+\.\d+$")


def graph_retirement(version: str) -> date | None:
    """The day ``version`` stops being usable: the changelog's date, else two years after its
    release (the guaranteed minimum), else None (a version we have no date for)."""
    version = version.strip()
    if version in GRAPH_EXPIRY:
        return GRAPH_EXPIRY[version]
    released = GRAPH_RELEASE.get(version)
    if released is None:
        return None
    try:
        return released.replace(year=released.year + 2)
    except ValueError:  # 29 February
        return released.replace(year=released.year + 2, day=28)


def is_graph_version(value: str) -> bool:
    return bool(_VERSION.match(value.strip()))
