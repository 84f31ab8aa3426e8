"""Which addresses a fetch made on a user's behalf may reach: the outbound guard's policy.

A user chooses the address of a feed, a webhook receiver, a media file or a Mastodon server;
without this check they could make the platform read its own network (cloud metadata at
169.254.169.254, an admin port on 127.0.0.1, a database on 10.0.0.5) and show them the answer.

Guarantees of :func:`allowed_addresses`:

* Every IP spelling a resolver or ``inet_aton`` would accept is read as the address it means
  (``0``, ``127.1``, ``2130706433``, ``0x7f000001``, ``0177.0.0.1``, ``[::ffff:127.0.0.1]``),
  so an odd spelling cannot slip past the check.
* Names are resolved once, with the policy's resolver, and *every* address they resolve to
  must be public; the caller connects to one of the addresses returned (never resolves again),
  so DNS cannot answer "public" to the check and "internal" to the connection.
* Refused unless the policy allows private addresses: loopback, private (RFC 1918, ULA),
  carrier-grade NAT (100.64/10), ``localhost`` and ``*.internal``-style names. Always refused:
  unspecified, link-local (cloud metadata), multicast, reserved, broadcast, and IPv6 forms
  that wrap an IPv4 address (mapped, compatible, 6to4, Teredo, NAT64) around a refused one.

Messages are plain English and never say what is behind an address. No Django here: the
Django side builds the policy from settings (``agency.outbound``).
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable
from dataclasses import dataclass, field

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], list[str]]

# Names that only mean something inside the platform's own network.
INTERNAL_NAMES = frozenset({"localhost", "ip6-localhost", "ip6-loopback", "broadcasthost"})
INTERNAL_SUFFIXES = (".localhost", ".local", ".localdomain", ".internal", ".home.arpa", ".lan")

CGNAT = ipaddress.ip_network("100.64.0.0/10")
NAT64 = (ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("64:ff9b:1::/48"))


def system_resolver(host: str, port: int) -> list[str]:
    """The addresses the operating system resolves ``host`` to (IPv4 and IPv6)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]).split("%")[0] for info in infos))


@dataclass(frozen=True)
class OutboundPolicy:
    """What a guarded fetch may reach. ``allow_private`` is for self-hosters whose feeds or
    receivers live on their own network (OUTBOUND_ALLOW_PRIVATE_ADDRESSES); ``resolver`` is
    injectable so tests need no DNS."""

    allow_private: bool = False
    resolver: Resolver = field(default=system_resolver, repr=False)


class OutboundError(Exception):
    """A guarded fetch could not be made. ``str(error)`` is safe to show to the user: it says
    *what* went wrong in plain words (``kind``), never what is behind the address; ``detail``
    is for the server log only."""

    BAD_URL = "bad_url"
    BLOCKED = "blocked"
    UNREACHABLE = "unreachable"
    TOO_LARGE = "too_large"
    REDIRECTS = "redirects"

    def __init__(self, kind: str, message: str, *, url: str = "", detail: str = ""):
        super().__init__(message)
        self.kind = kind
        self.url = url
        self.detail = detail


def parse_ip(host: str) -> IPAddress | None:
    """``host`` as an IP address if any resolver would read it as one, else None.

    Accepts bracketed IPv6 and every IPv4 form of ``inet_aton``: one to four parts, each
    decimal, octal (leading 0) or hexadecimal (0x), the last part filling the remaining bytes.
    """
    host = host.strip().lower()
    if host.endswith(".") and not host.endswith(".."):
        host = host[:-1]
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    if ":" in host:
        try:
            return ipaddress.IPv6Address(host.split("%")[0])
        except ValueError:
            return None
    parts = host.split(".")
    if not 1 <= len(parts) <= 4:
        return None
    numbers = []
    for part in parts:
        try:
            if part.startswith("0x"):
                numbers.append(int(part[2:] or "0", 16))
            elif len(part) > 1 and part.startswith("0"):
                numbers.append(int(part, 8))
            elif part.isdigit():
                numbers.append(int(part))
            else:
                return None
        except ValueError:
            return None
    *head, last = numbers
    if any(n > 255 for n in head) or last >= 256 ** (4 - len(head)):
        return None
    value = 0
    for n in head:
        value = value * 256 + n
    value = value * 256 ** (4 - len(head)) + last
    return ipaddress.IPv4Address(value)


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address wraps, if it is one of the wrapping forms."""
    if ip.ipv4_mapped:
        return ip.ipv4_mapped
    if ip.sixtofour:
        return ip.sixtofour
    if ip.teredo:
        return ip.teredo[1]
    if any(ip in net for net in NAT64):
        return ipaddress.IPv4Address(ip.packed[-4:])
    if ip.packed[:12] == bytes(12) and int(ip) > 1:  # IPv4-compatible ::a.b.c.d (deprecated)
        return ipaddress.IPv4Address(ip.packed[-4:])
    return None


def address_problem(ip: IPAddress, policy: OutboundPolicy) -> str | None:
    """Why the guard refuses to connect to ``ip``, or None. (For the log: it names the range.)"""
    if isinstance(ip, ipaddress.IPv6Address):
        inner = _embedded_ipv4(ip)
        if inner is not None:
            problem = address_problem(inner, policy)
            if problem:
                return f"wraps {inner}: {problem}"
    if ip.is_unspecified:
        return "unspecified"
    if policy.allow_private and ip.is_loopback:
        return None
    if ip.is_link_local:
        return "link-local"
    if ip.is_multicast:
        return "multicast"
    if ip.is_reserved or ip == ipaddress.IPv4Address("255.255.255.255"):
        return "reserved"
    if policy.allow_private:
        return None
    if ip.is_loopback:
        return "loopback"
    if isinstance(ip, ipaddress.IPv4Address) and ip in CGNAT:
        return "carrier-grade NAT"
    if ip.is_private or not ip.is_global:
        return "private"
    return None


def _blocked(host: str, url: str, detail: str) -> OutboundError:
    return OutboundError(
        OutboundError.BLOCKED,
        f"{host} points to a private or internal network address, which is not allowed",
        url=url,
        detail=detail,
    )


def host_problem(host: str, policy: OutboundPolicy, *, url: str = "") -> None:
    """Refuse a host by its spelling alone (IP literals in any form, internal names), without
    resolving it. Raises :class:`OutboundError`."""
    name = host.strip().lower()
    ip = parse_ip(name)
    if ip is not None:
        problem = address_problem(ip, policy)
        if problem:
            raise _blocked(host, url, f"{ip} is {problem}")
        return
    name = name[:-1] if name.endswith(".") else name
    if not name:
        raise OutboundError(OutboundError.BAD_URL, "the address has no host name", url=url)
    if not policy.allow_private and (name in INTERNAL_NAMES or name.endswith(INTERNAL_SUFFIXES)):
        raise _blocked(host, url, f"{name} is an internal name")


def allowed_addresses(host: str, port: int, policy: OutboundPolicy, *, url: str = "") -> list[str]:
    """The addresses to connect to for ``host``: resolved once, every one checked.

    Raises :class:`OutboundError` (``blocked`` when any address is refused, ``unreachable``
    when the name does not resolve).
    """
    host_problem(host, policy, url=url)
    ip = parse_ip(host)
    if ip is not None:
        return [str(ip)]
    name = host.strip().lower().rstrip(".")
    try:
        resolved = policy.resolver(name, port)
    except (OSError, UnicodeError) as exc:
        raise OutboundError(
            OutboundError.UNREACHABLE,
            f"could not find {host}",
            url=url,
            detail=f"resolving {name}: {exc}",
        ) from None
    if not resolved:
        raise OutboundError(OutboundError.UNREACHABLE, f"could not find {host}", url=url)
    addresses = []
    for text in resolved:
        address = ipaddress.ip_address(text)
        problem = address_problem(address, policy)
        if problem:
            raise _blocked(host, url, f"{name} resolves to {address} ({problem})")
        addresses.append(str(address))
    return addresses
