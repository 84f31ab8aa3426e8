"""The outbound guard: internal addresses refused in every spelling, redirects checked again,
one deadline per fetch, bounded bodies. No internet: a resolver we control, and servers on
127.0.0.1 that the guard reaches only when private addresses are allowed."""

from __future__ import annotations

import pytest
import respx

from networks.addresses import OutboundError, OutboundPolicy, parse_ip
from networks.outbound import check_url, fetch
from networks.tests.outbound_servers import (
    PUBLIC,
    SELF_HOSTED,
    STRICT,
    answer,
    resolver,
    tcp_server,
)

INTERNAL_URLS = [
    "http://0/",
    "http://0.0.0.0/",
    "http://127.0.0.1/",
    "http://127.0.0.1./",
    "http://127.1/",
    "http://2130706433/",
    "http://0x7f000001/",
    "http://0x7f.1/",
    "http://0177.0.0.1/",
    "http://017700000001/",
    "http://localhost/",
    "http://localhost./",
    "http://LOCALHOST/",
    "http://api.localhost/",
    "http://metadata.google.internal/computeMetadata/v1/",
    "http://169.254.169.254/latest/meta-data/",
    "http://10.0.0.1/",
    "http://172.16.0.1/",
    "http://192.168.1.1/",
    "http://100.64.0.1/",
    "http://224.0.0.1/",
    "http://240.0.0.1/",
    "http://255.255.255.255/",
    "http://[::1]/",
    "http://[::]/",
    "http://[fd00::1]/",
    "http://[fe80::1]/",
    "http://[ff02::1]/",
    "http://[::ffff:127.0.0.1]/",
    "http://[::ffff:7f00:1]/",
    "http://[::ffff:169.254.169.254]/",
    "http://[::127.0.0.1]/",
    "http://[2002:7f00:1::]/",
    "http://[64:ff9b::a00:1]/",
    "http://[2001:0:4136:e378:8000:63bf:f5ff:fffe]/",  # Teredo around 10.0.0.1
]


@pytest.mark.parametrize("url", INTERNAL_URLS)
def test_every_spelling_of_an_internal_address_is_refused(url):
    # The resolver would say "public" for anything: the spelling alone must be enough.
    everything_public = OutboundPolicy(resolver=lambda host, port: [PUBLIC])
    with pytest.raises(OutboundError) as error:
        fetch("GET", url, policy=everything_public, deadline_seconds=2)
    assert error.value.kind in (OutboundError.BLOCKED, OutboundError.BAD_URL)
    with pytest.raises(OutboundError):
        check_url(url, everything_public, resolve=True)


@pytest.mark.parametrize(
    ("spelling", "address"),
    [
        ("0", "0.0.0.0"),
        ("127.1", "127.0.0.1"),
        ("2130706433", "127.0.0.1"),
        ("0x7f000001", "127.0.0.1"),
        ("0177.0.0.1", "127.0.0.1"),
        ("10.1", "10.0.0.1"),
        ("[fd00::1]", "fd00::1"),
    ],
)
def test_odd_ipv4_spellings_are_read_as_the_address_they_mean(spelling, address):
    assert str(parse_ip(spelling)) == address


@pytest.mark.parametrize("name", ["www.example.org", "1e100.net", "127.0.0.1.nip.example"])
def test_host_names_are_not_mistaken_for_addresses(name):
    assert parse_ip(name) is None


@pytest.mark.parametrize(
    "addresses",
    [["127.0.0.1"], ["10.0.0.7"], [PUBLIC, "192.168.0.10"], ["::1"], ["::ffff:10.0.0.1"]],
)
def test_a_name_resolving_to_an_internal_address_is_refused(addresses):
    policy = OutboundPolicy(resolver=resolver({"feeds.example": addresses}))
    with pytest.raises(OutboundError) as error:
        check_url("https://feeds.example/rss", policy, resolve=True)
    assert error.value.kind == OutboundError.BLOCKED
    assert "private or internal" in str(error.value)
    assert addresses[-1] not in str(error.value)  # the user is not told what it resolved to


def test_a_name_resolving_to_public_addresses_only_is_allowed():
    policy = OutboundPolicy(resolver=resolver({"feeds.example": [PUBLIC, "2606:4700::1"]}))
    assert check_url("https://feeds.example/rss", policy, resolve=True).host == "feeds.example"


def test_a_server_on_localhost_is_reached_only_when_private_addresses_are_allowed():
    with tcp_server(answer(b"hello")) as base:
        with pytest.raises(OutboundError) as error:
            fetch("GET", f"{base}/x", policy=STRICT, deadline_seconds=2)
        assert error.value.kind == OutboundError.BLOCKED
        got = fetch("GET", f"{base}/x", policy=SELF_HOSTED, deadline_seconds=2)
        assert (got.status_code, got.content) == (200, b"hello")


def test_the_connection_goes_to_the_address_that_was_checked_not_a_second_lookup():
    answers = iter([["127.0.0.1"], ["10.9.9.9"]])  # a rebinding DNS: a new answer each time
    lookups = []

    def rebinding(host, port):
        lookups.append(host)
        return next(answers)

    policy = OutboundPolicy(allow_private=True, resolver=rebinding)
    with tcp_server(answer(b"ok")) as base:
        port = base.rsplit(":", 1)[1]
        got = fetch("GET", f"http://feeds.example:{port}/", policy=policy, deadline_seconds=2)
    assert got.content == b"ok" and lookups == ["feeds.example"]


# --- Redirects are checked again --------------------------------------------------------------


@respx.mock
def test_a_redirect_from_a_public_feed_to_an_internal_host_is_refused():
    policy = OutboundPolicy(resolver=resolver({"internal.example": ["10.0.0.5"]}))
    respx.get("https://public.example/feed").respond(
        302, headers={"Location": "http://internal.example/admin"}
    )
    # The second hop really goes to the transport, whose backend resolves and checks.
    respx.route(host="internal.example").pass_through()
    with pytest.raises(OutboundError) as error:
        fetch("GET", "https://public.example/feed", policy=policy, max_redirects=5)
    assert error.value.kind == OutboundError.BLOCKED


@respx.mock
@pytest.mark.parametrize("location", ["http://localhost/", "http://127.1:8080/", "file:///etc"])
def test_a_redirect_to_a_refused_spelling_is_refused(location):
    respx.get("https://public.example/feed").respond(302, headers={"Location": location})
    with pytest.raises(OutboundError) as error:
        fetch("GET", "https://public.example/feed", policy=STRICT, max_redirects=5)
    assert error.value.kind in (OutboundError.BLOCKED, OutboundError.BAD_URL)


@respx.mock
def test_redirects_are_bounded():
    for n in range(4):
        respx.get(f"https://loop.example/{n}").respond(
            302, headers={"Location": f"https://loop.example/{n + 1}"}
        )
    with pytest.raises(OutboundError) as error:
        fetch("GET", "https://loop.example/0", policy=STRICT, max_redirects=2)
    assert error.value.kind == OutboundError.REDIRECTS
