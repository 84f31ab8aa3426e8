"""Webhook endpoints cannot be aimed at the platform's own network (refused at creation, and
checked again at every delivery through the outbound guard), a receiver cannot hold a worker
or fill its memory, and an attempt killed by its time limit counts as a failed attempt."""

import socket
import threading
from datetime import timedelta

import pytest
from django.utils import timezone

from agency.tenancy import tenant_scope
from webhooks.models import WebhookEndpoint
from webhooks.services import delivery as delivery_services
from webhooks.services.emit import webhook_emit
from webhooks.states import WebhookDeliveryState
from webhooks.tests.factories import WebhookEndpointFactory
from webhooks.tests.helpers import attempt

PUBLIC = "93.184.215.14"

REFUSED_ENDPOINTS = [
    "https://localhost./h",
    "https://0/h",
    "https://127.1/h",
    "https://2130706433/h",
    "https://0x7f000001/h",
    "https://0177.0.0.1/h",
    "https://100.64.0.1/h",
    "https://169.254.169.254/h",
    "https://[fd00::1]/h",
    "https://[::ffff:127.0.0.1]/h",
    "https://metadata.google.internal/h",
    "https://loopback.example/h",  # resolves to 127.0.0.1
    "https://sneaky.example/h",  # one public and one private address
]


def _resolver(table):
    def resolve(host, port):
        if host not in table:
            raise OSError("Name or service not known")
        return table[host]

    return resolve


@pytest.fixture(autouse=True)
def _dns(settings):
    settings.OUTBOUND_RESOLVER = _resolver(
        {
            "loopback.example": ["127.0.0.1"],
            "sneaky.example": [PUBLIC, "10.0.0.8"],
            "crm.example": [PUBLIC],
        }
    )


@pytest.mark.parametrize("url", REFUSED_ENDPOINTS)
def test_an_endpoint_on_an_internal_address_is_refused_naming_the_field(url, owner_of_a, api_as):
    response = api_as(owner_of_a).post(
        "/api/v1/webhook-endpoints/", {"url": url, "events": ["crisis.opened"]}, format="json"
    )
    assert response.status_code == 400, response.content
    assert "url" in response.json()["error"]["fields"]
    assert not WebhookEndpoint.unscoped.exists()


def test_a_public_endpoint_is_accepted(owner_of_a, api_as):
    response = api_as(owner_of_a).post(
        "/api/v1/webhook-endpoints/",
        {"url": "https://crm.example/h", "events": ["crisis.opened"]},
        format="json",
    )
    assert response.status_code == 201, response.content


@pytest.fixture
def receiver_on_loopback():
    """A receiver on 127.0.0.1 that counts the connections it gets and answers 200."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    hits = []
    stop = threading.Event()

    def serve():
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                continue
            hits.append(conn.recv(65536))
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok")
            conn.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield listener.getsockname()[1], hits
    stop.set()
    thread.join()
    listener.close()


def test_every_delivery_checks_the_address_again(agency_a, settings, receiver_on_loopback):
    port, hits = receiver_on_loopback
    # Accepted while the name resolved to a public address; it now resolves to loopback.
    WebhookEndpointFactory(agency=agency_a, url=f"http://crm.example:{port}/h")
    settings.OUTBOUND_RESOLVER = _resolver({"crm.example": ["127.0.0.1"]})
    [delivery] = webhook_emit(agency=agency_a, event="crisis.opened", data={})
    attempt(delivery)
    delivery.refresh_from_db()
    assert delivery.state == WebhookDeliveryState.FAILED
    assert "private or internal network" in delivery.error
    assert hits == []


def test_a_receiver_on_loopback_is_reached_only_when_private_addresses_are_allowed(
    agency_a, settings, receiver_on_loopback
):
    port, hits = receiver_on_loopback
    WebhookEndpointFactory(agency=agency_a, url=f"http://127.0.0.1:{port}/h")
    [first] = webhook_emit(agency=agency_a, event="crisis.opened", data={})
    attempt(first)
    assert hits == []
    settings.OUTBOUND_ALLOW_PRIVATE_ADDRESSES = True
    [second] = webhook_emit(agency=agency_a, event="crisis.opened", data={})
    attempt(second)
    second.refresh_from_db()
    assert second.state == WebhookDeliveryState.SUCCEEDED and len(hits) == 1


def _huge_answer(conn):
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 209715200\r\n\r\n")
    block = b"x" * 65536
    for _ in range(3200):
        conn.sendall(block)


def _drip(conn):
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n")
    for _ in range(1000):
        conn.sendall(b"x")
        threading.Event().wait(0.1)


@pytest.fixture
def scripted_receiver():
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    script = {}
    stop = threading.Event()

    def serve():
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                continue
            try:
                conn.recv(65536)
                script["handle"](conn)
            except OSError:
                pass
            finally:
                conn.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}/h", script
    stop.set()
    thread.join()
    listener.close()


def test_a_huge_answer_is_read_only_as_far_as_the_log_keeps(agency_a, settings, scripted_receiver):
    settings.OUTBOUND_ALLOW_PRIVATE_ADDRESSES = True
    url, script = scripted_receiver
    script["handle"] = _huge_answer
    WebhookEndpointFactory(agency=agency_a, url=url)
    [delivery] = webhook_emit(agency=agency_a, event="crisis.opened", data={})
    attempt(delivery)
    delivery.refresh_from_db()
    assert delivery.state == WebhookDeliveryState.SUCCEEDED
    assert delivery.response_body == "x" * 2048


def test_a_dripping_receiver_is_cut_off_at_the_delivery_deadline(
    agency_a, settings, scripted_receiver
):
    settings.OUTBOUND_ALLOW_PRIVATE_ADDRESSES = True
    settings.WEBHOOK_TIMEOUT_SECONDS = 1
    url, script = scripted_receiver
    script["handle"] = _drip
    WebhookEndpointFactory(agency=agency_a, url=url)
    [delivery] = webhook_emit(agency=agency_a, event="crisis.opened", data={})
    started = timezone.now()
    attempt(delivery)
    assert timezone.now() - started < timedelta(seconds=3)
    delivery.refresh_from_db()
    assert delivery.state == WebhookDeliveryState.FAILED and "no answer" in delivery.error


def test_an_attempt_killed_by_its_time_limit_is_a_failed_attempt(agency_a, settings):
    settings.WEBHOOK_DISABLE_AFTER_FAILURES = 2
    endpoint = WebhookEndpointFactory(agency=agency_a, url="https://crm.example/h")
    for expected_attempts in (1, 2):
        [delivery] = webhook_emit(agency=agency_a, event="crisis.opened", data={})
        # The worker claimed it, then was killed (time limit or SIGKILL): no outcome recorded.
        with tenant_scope(agency_a):
            assert delivery_services._claim(delivery.pk, timezone.now())
        later = timezone.now() + delivery_services.WEBHOOK_LEASE + timedelta(seconds=1)
        assert delivery_services.webhook_deliveries_expire_across_agencies(now=later) == 1
        delivery.refresh_from_db()
        assert delivery.state == WebhookDeliveryState.FAILED
        assert delivery.attempt == 1 and delivery.lease_until is None
        assert "did not finish" in delivery.error
        assert delivery.next_attempt_at > timezone.now()
        endpoint.refresh_from_db()
        assert endpoint.consecutive_failures == expected_attempts
    assert not endpoint.active  # counted toward turning the endpoint off
