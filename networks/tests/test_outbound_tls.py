"""The outbound guard connects to the checked address but verifies TLS against the name."""

from __future__ import annotations

import socket
import threading

import pytest

from networks.addresses import OutboundPolicy
from networks.tests.outbound_servers import (
    resolver,
)

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
