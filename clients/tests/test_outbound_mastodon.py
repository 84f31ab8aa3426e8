"""A Mastodon instance (or Bluesky PDS) is the person's choice: it cannot be an address on the
platform's own network, when typed and at every call made while connecting."""

import socket
import threading

import pytest
from django.utils import translation

from clients import oauth
from clients.services import accounts as account_services
from networks.base import PermanentError


@pytest.fixture(autouse=True)
def _english():
    # The messages are asserted in English; the product's default language is French.
    with translation.override("en"):
        yield


def _resolver(table):
    def resolve(host, port):
        if host not in table:
            raise OSError("Name or service not known")
        return table[host]

    return resolve


@pytest.mark.parametrize(
    "typed",
    [
        "127.1",
        "localhost.",
        "169.254.169.254",
        "10.0.0.1:3000",
        "mastodon.internal",
        "0177.0.0.1",
        "social.loopback.example",  # resolves to 127.0.0.1
    ],
)
def test_an_internal_mastodon_server_is_refused_when_typed(typed, settings):
    settings.OUTBOUND_RESOLVER = _resolver({"social.loopback.example": ["127.0.0.1"]})
    with pytest.raises(oauth.ConnectRefused, match="private or internal network"):
        oauth.normalise_instance_url(typed)


def test_a_public_mastodon_server_is_accepted(settings):
    settings.OUTBOUND_RESOLVER = _resolver({"mastodon.social": ["93.184.215.14"]})
    assert oauth.normalise_instance_url("Mastodon.social/") == "https://mastodon.social"


@pytest.fixture
def listener():
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(4)
    hits = []
    stop = threading.Event()

    def accept():
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except OSError:
                continue
            hits.append(1)
            conn.close()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[1], hits
    stop.set()
    thread.join()
    server.close()


def test_registering_on_an_instance_that_now_resolves_inside_is_refused(db, settings, listener):
    port, hits = listener
    # Accepted when typed (public then); DNS now answers loopback: the call itself is refused.
    settings.OUTBOUND_RESOLVER = _resolver({"social.example": ["127.0.0.1"]})
    with pytest.raises(PermanentError, match="private or internal network"):
        account_services.mastodon_app_for_instance(f"https://social.example:{port}")
    assert hits == []


@pytest.mark.parametrize("build", ["shared_adapter", "build_adapter"])
@pytest.mark.parametrize("network", ["mastodon", "bluesky"])
def test_publishing_and_listening_adapters_refuse_a_server_that_now_resolves_inside(
    db, settings, listener, build, network
):
    """The server was checked when the account was connected; its name may point inside later.
    The adapters the publishing worker and the listening poller use (the one factory) go
    through the guard at every call, not only while connecting."""
    from clients import adapters
    from networks.base import Credentials, PostContent

    port, hits = listener
    settings.OUTBOUND_RESOLVER = _resolver({"social.example": ["127.0.0.1"]})
    adapter = getattr(adapters, build)(network)
    creds = Credentials(
        access_token="token",
        refresh_token="refresh",
        instance_url=f"https://social.example:{port}",
        external_id="did:plc:abc" if network == "bluesky" else "42",
    )
    with pytest.raises(PermanentError, match="private or internal network"):
        adapter.publish(creds, PostContent(text="Bonjour", idempotency_key="k-1"))
    assert hits == []
