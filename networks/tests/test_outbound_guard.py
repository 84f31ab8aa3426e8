"""The outbound guard: internal addresses refused in every spelling, redirects checked again,
one deadline per fetch, bounded bodies. No internet: a resolver we control, and servers on
127.0.0.1 that the guard reaches only when private addresses are allowed."""

from __future__ import annotations

import gzip
import socket
import threading
import time
import tracemalloc
import zlib
from contextlib import contextmanager

import pytest
import respx

from networks.addresses import OutboundError, OutboundPolicy, parse_ip
from networks.outbound import check_url, fetch

PUBLIC = "93.184.215.14"  # a public address; nothing connects to it in these tests


def resolver(table: dict[str, list[str]]):
    def resolve(host: str, port: int) -> list[str]:
        if host not in table:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return table[host]

    return resolve


STRICT = OutboundPolicy(resolver=resolver({}))
SELF_HOSTED = OutboundPolicy(allow_private=True, resolver=resolver({}))


@contextmanager
def tcp_server(handle):
    """A TCP server on 127.0.0.1 running ``handle(connection)`` for each client."""
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    stop = threading.Event()

    def serve():
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                continue
            threading.Thread(target=_run, args=(handle, conn), daemon=True).start()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        stop.set()
        thread.join()
        listener.close()


def _run(handle, conn):
    try:
        conn.recv(65536)
        handle(conn)
    except OSError:
        pass
    finally:
        conn.close()


def answer(body: bytes = b"<rss/>", headers: str = ""):
    def handle(conn):
        conn.sendall(
            f"HTTP/1.1 200 OK\r\nContent-Length: {len(body)}\r\n{headers}"
            "Connection: close\r\n\r\n".encode()
            + body
        )

    return handle


# --- Every spelling of an internal address is refused ---------------------------------------

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


# --- Slow servers: one deadline for the whole fetch -------------------------------------------


def _drip_body(conn):
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n")
    for _ in range(1000):
        conn.sendall(b"x")
        time.sleep(0.1)


def _drip_headers(conn):
    for byte in b"HTTP/1.1 200 OK\r\nX-Slow: " + b"a" * 1000:
        conn.sendall(bytes([byte]))
        time.sleep(0.1)


@pytest.mark.parametrize("drip", [_drip_body, _drip_headers])
def test_a_slow_drip_server_is_cut_off_at_the_overall_deadline(drip):
    with tcp_server(drip) as base:
        started = time.monotonic()
        with pytest.raises(OutboundError) as error:
            # Every read answers well within the read timeout; only the deadline stops it.
            fetch("GET", f"{base}/", policy=SELF_HOSTED, deadline_seconds=1.0)
        assert time.monotonic() - started < 2.5
    assert error.value.kind == OutboundError.UNREACHABLE


def test_connection_failures_all_read_the_same_to_the_user():
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()  # nothing listens there: connection refused

    def garbage(conn):
        conn.sendall(b"\x16\x03\x01 not http at all\r\n\r\n")

    with tcp_server(garbage) as base:
        messages = set()
        tls = base.replace("http://", "https://")  # a TLS handshake with a non-TLS server
        for url in (f"http://127.0.0.1:{port}/", f"{base}/", f"{tls}/"):
            with pytest.raises(OutboundError) as error:
                fetch("GET", url, policy=SELF_HOSTED, deadline_seconds=2)
            text = str(error.value).replace("https://", "http://")
            messages.add(text.replace(str(port), "P").replace(base[17:], "P"))
    assert len(messages) == 1, messages


# --- Bounded bodies ---------------------------------------------------------------------------


def _endless(conn):
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 209715200\r\n\r\n")
    block = b"x" * 65536
    for _ in range(3200):  # 200 MB, if anybody read it
        conn.sendall(block)


def _bomb_body() -> bytes:
    squeeze = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    zeros = bytes(1024 * 1024)
    return b"".join(squeeze.compress(zeros) for _ in range(200)) + squeeze.flush()


@contextmanager
def peak_memory():
    tracemalloc.start()
    result = {}
    try:
        yield result
    finally:
        result["peak"] = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()


def test_a_huge_answer_is_refused_with_bounded_memory():
    with (
        tcp_server(_endless) as base,
        peak_memory() as memory,
        pytest.raises(OutboundError) as error,
    ):
        fetch("GET", f"{base}/", policy=SELF_HOSTED, max_bytes=2**20, truncate=False)
    assert error.value.kind == OutboundError.TOO_LARGE
    assert memory["peak"] < 8 * 2**20


def test_a_huge_answer_can_be_kept_truncated_and_the_rest_is_never_read():
    with tcp_server(_endless) as base, peak_memory() as memory:
        got = fetch("GET", f"{base}/", policy=SELF_HOSTED, max_bytes=2048, truncate=True)
    assert (len(got.content), got.truncated) == (2048, True)
    assert memory["peak"] < 4 * 2**20


def test_a_gzip_bomb_is_decoded_only_up_to_the_limit():
    bomb = _bomb_body()
    assert len(bomb) < 300_000  # 200 MB once decoded
    handle = answer(bomb, headers="Content-Encoding: gzip\r\n")
    with tcp_server(handle) as base:
        with peak_memory() as memory, pytest.raises(OutboundError) as error:
            fetch("GET", f"{base}/", policy=SELF_HOSTED, max_bytes=2**20)
        assert error.value.kind == OutboundError.TOO_LARGE
        got = fetch("GET", f"{base}/", policy=SELF_HOSTED, max_bytes=4096, truncate=True)
    assert memory["peak"] < 8 * 2**20
    assert got.content == bytes(4096) and got.truncated


def test_a_small_gzip_answer_is_decoded():
    handle = answer(gzip.compress(b"<rss>ok</rss>"), headers="Content-Encoding: gzip\r\n")
    with tcp_server(handle) as base:
        assert fetch("GET", f"{base}/", policy=SELF_HOSTED).content == b"<rss>ok</rss>"


# --- Callers: feeds and media downloads go through the guard --------------------------------


def test_a_feed_on_the_metadata_address_is_a_plain_feed_error():
    from networks.rss import FeedError, fetch_feed

    with pytest.raises(FeedError, match="private or internal network"):
        fetch_feed("http://169.254.169.254/latest/meta-data/", policy=STRICT)


def test_media_is_downloaded_through_the_guard():
    from networks.base import MediaItem, MediaKind, PermanentError
    from networks.registry import get_adapter

    adapter = get_adapter("mastodon")
    with tcp_server(answer(b"\x89PNG...")) as base:
        item = MediaItem(kind=MediaKind.IMAGE, mime_type="image/png", url=f"{base}/a.png")
        with pytest.raises(PermanentError, match="private or internal network"):
            adapter.media_bytes(item)
        adapter.outbound = SELF_HOSTED
        assert adapter.media_bytes(item) == b"\x89PNG..."


# --- TLS keeps the original name --------------------------------------------------------------


@pytest.fixture
def tls_server_for_feeds_example(tmp_path):
    """An HTTPS server on 127.0.0.1 whose certificate names only feeds.example."""
    import datetime as dt
    import ssl

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "feeds.example")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("feeds.example")]), False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    server_side = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_side.load_cert_chain(cert_file, key_file)
    seen_names = []
    server_side.sni_callback = lambda sock, server_name, ctx: seen_names.append(server_name)

    def handle(conn):
        with server_side.wrap_socket(conn, server_side=True) as tls:
            tls.recv(65536)
            tls.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok")

    def _run_tls(conn):
        try:
            handle(conn)
        except (OSError, ssl.SSLError):
            pass
        finally:
            conn.close()

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(4)
    stop = threading.Event()

    def serve():
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                continue
            threading.Thread(target=_run_tls, args=(conn,), daemon=True).start()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    client_side = ssl.create_default_context(cafile=str(cert_file))
    yield listener.getsockname()[1], client_side, seen_names
    stop.set()
    thread.join()
    listener.close()


def test_tls_checks_the_certificate_against_the_name_not_the_address(
    tls_server_for_feeds_example,
):
    import httpx

    from networks.outbound import Deadline, GuardedTransport

    port, trust, seen_names = tls_server_for_feeds_example
    policy = OutboundPolicy(
        allow_private=True,
        resolver=resolver({"feeds.example": ["127.0.0.1"], "other.example": ["127.0.0.1"]}),
    )
    transport = GuardedTransport(policy, deadline=Deadline(5), verify=trust)
    with httpx.Client(transport=transport) as client:
        # Connected to 127.0.0.1, yet SNI and the certificate check use the URL's name.
        assert client.get(f"https://feeds.example:{port}/").text == "ok"
        assert seen_names == ["feeds.example"]
        with pytest.raises(httpx.ConnectError, match="certificate"):
            client.get(f"https://other.example:{port}/")
