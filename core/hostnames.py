"""Host names as the product accepts them for an agency's own portal address.

A fully qualified DNS name, without scheme, port, path or wildcard: `portal.atlas-agency.ma`.
Letters are lowered and one trailing dot dropped (both mean the same name to DNS). An IP
address is refused: a portal is reached by a name the agency controls.
"""

from __future__ import annotations

import re

_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
MAX_HOSTNAME_LENGTH = 253


class HostnameError(ValueError):
    """Why a string is not an acceptable host name (the message is for the person)."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def normalise_hostname(value: str) -> str:
    """The host name in its one stored form, or HostnameError with a code saying why not:
    `scheme` (a URL was given), `port`, `length`, `labels` (fewer than two), `label`
    (a label with characters other than a-z, 0-9 and inner hyphens), `ip_address`."""
    name = (value or "").strip().lower()
    if "://" in name or "/" in name:
        raise HostnameError("scheme")
    if ":" in name:
        raise HostnameError("port")
    if name.endswith("."):
        name = name[:-1]
    if not name or len(name) > MAX_HOSTNAME_LENGTH:
        raise HostnameError("length")
    labels = name.split(".")
    if len(labels) < 2:
        raise HostnameError("labels")
    if not all(_LABEL.match(label) for label in labels):
        raise HostnameError("label")
    if labels[-1].isdigit():
        raise HostnameError("ip_address")
    return name
