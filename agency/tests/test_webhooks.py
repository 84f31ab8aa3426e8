"""Outbound webhooks: signing (checked with the recipe printed in docs/webhooks.md), emitting
in the caller's transaction, retries, timeouts, disabling, redelivery, the API and the pages."""

import http.server
import json
import re
import socket
import threading
import time
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
import respx
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from agency import services, webhooks
from agency.models import (
    Notification,
    WebhookDelivery,
    WebhookDeliveryState,
    WebhookEndpoint,
)
from agency.tests.factories import WebhookDeliveryFactory, WebhookEndpointFactory
from agency.tests.test_worker import worker_queue  # noqa: F401 - a fixture, used by name

DOC = Path(settings.BASE_DIR) / "docs" / "webhooks.md"


def documented_verify():
    """The verification function exactly as docs/webhooks.md prints it."""
    text = DOC.read_text()
    block = text.split("<!-- recipe:start -->")[1].split("<!-- recipe:end -->")[0]
    code = re.search(r"```python\n(.*?)```", block, re.S).group(1)
    namespace: dict = {}
    exec(compile(code, str(DOC), "exec"), namespace)  # noqa: S102 - our own documentation
    return namespace["verify_agency_signature"]


def _deliver_all(agency):
    """Attempt every due delivery of the agency once, as the worker would."""
    ids = list(
        WebhookDelivery.unscoped.filter(agency=agency, next_attempt_at__lte=timezone.now())
        .exclude(state__in=["succeeded", "dead"])
        .values_list("pk", flat=True)
    )
    return [services.webhook_delivery_attempt(delivery_id=pk) for pk in ids]


def _make_due(delivery):
    WebhookDelivery.unscoped.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())


# --- Signature ------------------------------------------------------------------------------


def test_signature_verifies_with_the_documented_recipe():
    verify = documented_verify()
    body = b'{"id":"evt_1","type":"crisis.opened","data":{"brand":"Caf\xc3\xa9"}}'
    now = int(time.time())
    header = webhooks.signature_header("whsec_abc", now, body)
    assert re.fullmatch(r"t=\d+,v1=[0-9a-f]{64}", header)
    assert verify("whsec_abc", header, body)
    assert not verify("whsec_other", header, body)
    assert not verify("whsec_abc", header, body + b" ")
    assert not verify("whsec_abc", "garbage", body)


def test_documented_recipe_refuses_signatures_outside_the_replay_window():
    verify = documented_verify()
    body = b"{}"
    old = int(time.time()) - webhooks.REPLAY_WINDOW_SECONDS - 5
    assert not verify("s", webhooks.signature_header("s", old, body), body)
    assert verify("s", webhooks.signature_header("s", old, body), body, now=old + 10)


def test_retry_delays_double_with_jitter_and_are_capped():
    import random

    rng = random.Random(7)
    delays = [webhooks.retry_delay(n, rng=rng).total_seconds() for n in range(1, 16)]
    assert 24 <= delays[0] <= 36
    assert 48 <= delays[1] <= 72
    assert max(delays) <= webhooks.MAX_RETRY_SECONDS * 1.2
    assert sum(webhooks.retry_schedule()) <= webhooks.RETRY_FOR.total_seconds()


# --- Emitting -------------------------------------------------------------------------------


def test_emit_writes_one_delivery_per_subscribed_active_endpoint(agency_a, agency_b):
    subscribed = WebhookEndpointFactory(agency=agency_a, events=["crisis.opened"])
    WebhookEndpointFactory(agency=agency_a, events=["post.published"])
    WebhookEndpointFactory(agency=agency_a, events=["crisis.opened"], active=False)
    WebhookEndpointFactory(agency=agency_b, events=["crisis.opened"])

    deliveries = services.webhook_emit(agency=agency_a, event="crisis.opened", data={"x": 1})

    assert [d.endpoint_id for d in deliveries] == [subscribed.pk]
    body = json.loads(deliveries[0].body)
    assert body["type"] == "crisis.opened" and body["data"] == {"x": 1}
    assert body["agency"] == agency_a.pk and body["id"].startswith("evt_")


def test_emit_is_part_of_the_callers_transaction(agency_a):
    WebhookEndpointFactory(agency=agency_a, events=["crisis.opened"])
    with pytest.raises(RuntimeError), transaction.atomic():
        services.webhook_emit(agency=agency_a, event="crisis.opened", data={})
        raise RuntimeError("the change being announced failed")
    assert not WebhookDelivery.unscoped.exists()


def test_emit_refuses_an_unknown_event(agency_a):
    with pytest.raises(ValueError, match="Unknown webhook event"):
        services.webhook_emit(agency=agency_a, event="crisis.exploded", data={})


# --- Delivering -----------------------------------------------------------------------------


@respx.mock
def test_delivery_is_signed_and_carries_the_event_headers(agency_a):
    endpoint = WebhookEndpointFactory(agency=agency_a, url="https://crm.example.test/h")
    route = respx.post("https://crm.example.test/h").mock(return_value=httpx.Response(204))
    [delivery] = services.webhook_emit(agency=agency_a, event="crisis.opened", data={"a": "é"})

    services.webhook_delivery_attempt(delivery_id=delivery.pk)

    request = route.calls.last.request
    assert documented_verify()(
        endpoint.secret, request.headers["X-Agency-Signature"], request.content
    )
    assert request.headers["X-Agency-Event"] == "crisis.opened"
    assert request.headers["X-Agency-Delivery"] == str(delivery.pk)
    delivery.refresh_from_db()
    assert delivery.state == WebhookDeliveryState.SUCCEEDED
    assert delivery.response_code == 204 and delivery.attempt == 1


@respx.mock
def test_a_500_from_the_receiver_is_retried_with_backoff(agency_a):
    WebhookEndpointFactory(agency=agency_a, url="https://crm.example.test/h")
    route = respx.post("https://crm.example.test/h").mock(
        side_effect=[httpx.Response(500, text="boom " * 1000), httpx.Response(200, text="ok")]
    )
    [delivery] = services.webhook_emit(agency=agency_a, event="crisis.opened", data={})

    before = timezone.now()
    services.webhook_delivery_attempt(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    assert delivery.state == WebhookDeliveryState.FAILED
    assert delivery.response_code == 500 and delivery.error == "HTTP 500"
    assert len(delivery.response_body) == webhooks.RESPONSE_BODY_LIMIT
    assert (
        before + timedelta(seconds=20) < delivery.next_attempt_at < before + timedelta(seconds=40)
    )
    # Not due yet: a second attempt now does nothing.
    assert services.webhook_delivery_attempt(delivery_id=delivery.pk) is None
    assert route.call_count == 1

    _make_due(delivery)
    services.webhook_delivery_attempt(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    assert delivery.state == WebhookDeliveryState.SUCCEEDED and delivery.attempt == 2
    assert route.call_count == 2


@respx.mock
def test_a_receiver_that_times_out_does_not_block_another_endpoints_delivery(agency_a):
    WebhookEndpointFactory(agency=agency_a, url="https://slow.example.test/h")
    WebhookEndpointFactory(agency=agency_a, url="https://fast.example.test/h")
    respx.post("https://slow.example.test/h").mock(side_effect=httpx.ReadTimeout("no answer"))
    respx.post("https://fast.example.test/h").mock(return_value=httpx.Response(200))
    services.webhook_emit(agency=agency_a, event="crisis.opened", data={})

    _deliver_all(agency_a)

    states = dict(
        WebhookDelivery.unscoped.values_list("endpoint__url", "state").order_by("endpoint__url")
    )
    assert states == {
        "https://fast.example.test/h": WebhookDeliveryState.SUCCEEDED,
        "https://slow.example.test/h": WebhookDeliveryState.FAILED,
    }
    slow = WebhookDelivery.unscoped.get(endpoint__url="https://slow.example.test/h")
    assert "no answer" in slow.error


@pytest.fixture
def silent_server():
    """A TCP server on 127.0.0.1 that accepts connections and never answers."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    accepted = []
    stop = threading.Event()

    def accept():
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                accepted.append(listener.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}/hook"
    stop.set()
    thread.join()
    for conn in accepted:
        conn.close()
    listener.close()


def test_a_receiver_that_never_answers_is_cut_off_at_the_timeout(agency_a, silent_server, settings):
    settings.WEBHOOK_TIMEOUT_SECONDS = 1
    settings.OUTBOUND_ALLOW_PRIVATE_ADDRESSES = True  # the receiver is on 127.0.0.1
    WebhookEndpointFactory(agency=agency_a, url=silent_server)
    [delivery] = services.webhook_emit(agency=agency_a, event="crisis.opened", data={})
    started = time.monotonic()
    services.webhook_delivery_attempt(delivery_id=delivery.pk)
    assert time.monotonic() - started < 3
    delivery.refresh_from_db()
    assert delivery.state == WebhookDeliveryState.FAILED
    assert delivery.error.startswith("no answer from http://127.0.0.1:")


@respx.mock
def test_an_endpoint_failing_repeatedly_is_turned_off_and_admins_are_told_once(
    agency_a, owner_of_a, admin_of_a, member_of_a, settings
):
    settings.WEBHOOK_DISABLE_AFTER_FAILURES = 3
    endpoint = WebhookEndpointFactory(agency=agency_a, url="https://down.example.test/h")
    respx.post("https://down.example.test/h").mock(return_value=httpx.Response(503))
    for _ in range(3):
        services.webhook_emit(agency=agency_a, event="crisis.opened", data={})
    _deliver_all(agency_a)

    endpoint.refresh_from_db()
    assert not endpoint.active and endpoint.disabled_at is not None
    assert "3" in endpoint.disabled_reason
    notified = set(
        Notification.unscoped.filter(verb="webhook.disabled").values_list("recipient", flat=True)
    )
    assert notified == {owner_of_a.user_id, admin_of_a.user_id}
    # No more events for it, and what was still queued is given up.
    assert services.webhook_emit(agency=agency_a, event="crisis.opened", data={}) == []


@respx.mock
def test_an_endpoint_failing_for_24_hours_is_turned_off(agency_a, owner_of_a):
    endpoint = WebhookEndpointFactory(
        agency=agency_a,
        url="https://down.example.test/h",
        consecutive_failures=4,
        failing_since=timezone.now() - timedelta(hours=25),
    )
    respx.post("https://down.example.test/h").mock(return_value=httpx.Response(502))
    services.webhook_emit(agency=agency_a, event="crisis.opened", data={})
    _deliver_all(agency_a)
    endpoint.refresh_from_db()
    assert not endpoint.active


@respx.mock
def test_a_delivery_failing_for_24_hours_is_dead(agency_a):
    endpoint = WebhookEndpointFactory(agency=agency_a, url="https://down.example.test/h")
    respx.post("https://down.example.test/h").mock(return_value=httpx.Response(500))
    delivery = WebhookDeliveryFactory(
        agency=agency_a,
        endpoint=endpoint,
        created_at=timezone.now() - timedelta(hours=24, minutes=1),
        state=WebhookDeliveryState.FAILED,
        attempt=13,
    )
    services.webhook_delivery_attempt(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    assert delivery.state == WebhookDeliveryState.DEAD and delivery.next_attempt_at is None


@respx.mock
def test_success_resets_the_endpoints_failure_count(agency_a):
    endpoint = WebhookEndpointFactory(
        agency=agency_a,
        url="https://crm.example.test/h",
        consecutive_failures=7,
        failing_since=timezone.now(),
    )
    respx.post("https://crm.example.test/h").mock(return_value=httpx.Response(200))
    services.webhook_emit(agency=agency_a, event="crisis.opened", data={})
    _deliver_all(agency_a)
    endpoint.refresh_from_db()
    assert endpoint.consecutive_failures == 0 and endpoint.failing_since is None


def test_the_sweep_finds_due_deliveries_whose_message_was_lost(agency_a, agency_b):
    due = WebhookDeliveryFactory(agency=agency_a)
    also_due = WebhookDeliveryFactory(agency=agency_b, state=WebhookDeliveryState.FAILED)
    WebhookDeliveryFactory(agency=agency_a, next_attempt_at=timezone.now() + timedelta(hours=1))
    WebhookDeliveryFactory(agency=agency_a, lease_until=timezone.now() + timedelta(minutes=1))
    WebhookDeliveryFactory(agency=agency_a, state=WebhookDeliveryState.SUCCEEDED)
    assert set(services.webhook_deliveries_due()) == {
        (agency_a.pk, due.pk),
        (agency_b.pk, also_due.pk),
    }


def test_redelivery_sends_the_same_event_again_under_a_new_delivery(owner_of_a, agency_a):
    original = WebhookDeliveryFactory(agency=agency_a, state=WebhookDeliveryState.DEAD)
    copy = services.webhook_delivery_redeliver(actor=owner_of_a, delivery=original)
    assert copy.pk != original.pk
    assert (copy.event_id, copy.body, copy.state) == (original.event_id, original.body, "pending")
    assert copy.redelivery_of_id == original.pk


@respx.mock
def test_a_test_event_is_tried_once_and_never_counts_against_the_endpoint(owner_of_a, agency_a):
    endpoint = WebhookEndpointFactory(agency=agency_a, url="https://crm.example.test/h")
    respx.post("https://crm.example.test/h").mock(return_value=httpx.Response(404))
    delivery = services.webhook_endpoint_send_test(actor=owner_of_a, endpoint=endpoint)
    services.webhook_delivery_attempt(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    endpoint.refresh_from_db()
    assert delivery.event == "webhook.test" and delivery.state == WebhookDeliveryState.DEAD
    assert endpoint.consecutive_failures == 0


# --- Endpoints: validation, API, pages ------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("https://crm.example.ma/hooks", True),
        ("http://crm.example.ma/hooks", False),
        ("http://127.0.0.1:8001/hooks", True),
        ("https://169.254.169.254/hooks", False),  # link-local: refused even self-hosted
        ("https://user:pw@crm.example.ma/", False),
        ("ftp://crm.example.ma/", False),
        ("crm.example.ma", False),
    ],
)
def test_endpoint_addresses_must_be_https_except_localhost_in_development(url, allowed, settings):
    settings.OUTBOUND_ALLOW_PRIVATE_ADDRESSES = True  # development on one machine
    problem = webhooks.url_problem(url, allow_insecure_localhost=True)
    assert (problem is None) is allowed, problem
    assert webhooks.url_problem("http://localhost/h", allow_insecure_localhost=False)


def test_api_creates_an_endpoint_and_shows_its_secret_once(owner_of_a, api_as):
    client = api_as(owner_of_a)
    response = client.post(
        "/api/v1/webhook-endpoints/",
        {"url": "https://crm.example.ma/h", "events": ["crisis.opened", "post.failed"]},
        format="json",
    )
    assert response.status_code == 201, response.content
    secret = response.json()["secret"]
    assert secret.startswith("whsec_")
    endpoint = WebhookEndpoint.unscoped.get(pk=response.json()["id"])
    assert endpoint.secret == secret and secret not in endpoint.secret_encrypted
    listed = client.get("/api/v1/webhook-endpoints/").json()["results"]
    assert "secret" not in listed[0]
    assert secret not in client.get(f"/api/v1/webhook-endpoints/{endpoint.pk}/").content.decode()


def test_api_refuses_a_plain_http_endpoint_naming_the_field(owner_of_a, api_as):
    response = api_as(owner_of_a).post(
        "/api/v1/webhook-endpoints/",
        {"url": "http://crm.example.ma/h", "events": ["crisis.opened"]},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert "https" in response.json()["error"]["fields"]["url"][0]


def test_api_turns_an_endpoint_back_on_with_a_fresh_count(owner_of_a, agency_a, api_as):
    endpoint = WebhookEndpointFactory(
        agency=agency_a, active=False, consecutive_failures=50, disabled_reason="x"
    )
    response = api_as(owner_of_a).patch(
        f"/api/v1/webhook-endpoints/{endpoint.pk}/", {"active": True}, format="json"
    )
    assert response.status_code == 200, response.content
    endpoint.refresh_from_db()
    assert endpoint.active and endpoint.consecutive_failures == 0 and not endpoint.disabled_reason


def test_api_lists_deliveries_and_redelivers(owner_of_a, agency_a, api_as):
    delivery = WebhookDeliveryFactory(agency=agency_a, state="dead")
    client = api_as(owner_of_a)
    rows = client.get(f"/api/v1/webhook-deliveries/?endpoint={delivery.endpoint_id}").json()
    assert [row["id"] for row in rows["results"]] == [delivery.pk]
    response = client.post(f"/api/v1/webhook-deliveries/{delivery.pk}/redeliver/")
    assert response.status_code == 202
    assert response.json()["event_id"] == delivery.event_id


def test_a_community_manager_cannot_manage_webhooks(member_of_a, api_as, login):
    assert api_as(member_of_a).get("/api/v1/webhook-endpoints/").status_code == 403
    assert login(member_of_a).get(reverse("dashboard:webhook_endpoints")).status_code == 403


def test_dashboard_adds_an_endpoint_and_shows_the_secret_once(owner_of_a, login):
    client = login(owner_of_a)
    response = client.post(
        reverse("dashboard:webhook_endpoints"),
        {"url": "https://crm.example.ma/h", "description": "CRM", "events": ["crisis.opened"]},
        follow=True,
    )
    assert response.status_code == 200
    endpoint = WebhookEndpoint.unscoped.get()
    assert endpoint.secret in response.content.decode()
    again = client.get(reverse("dashboard:webhook_endpoint_created"), follow=True)
    assert endpoint.secret not in again.content.decode()


def test_dashboard_endpoint_page_shows_the_log_and_test_button(owner_of_a, agency_a, login):
    delivery = WebhookDeliveryFactory(
        agency=agency_a, state="failed", response_code=500, response_body="upstream down"
    )
    client = login(owner_of_a)
    page = client.get(
        reverse("dashboard:webhook_endpoint", kwargs={"webhook_endpoint_id": delivery.endpoint_id})
    )
    body = page.content.decode()
    assert "upstream down" in body and "500" in body
    assert reverse("dashboard:webhook_endpoint_test", args=[delivery.endpoint_id]) in body
    response = client.post(reverse("dashboard:webhook_delivery_redeliver", args=[delivery.pk]))
    assert response.status_code == 302
    assert WebhookDelivery.unscoped.filter(redelivery_of=delivery).exists()


def test_owner_can_delete_an_endpoint_from_the_dashboard(owner_of_a, agency_a, login):
    endpoint = WebhookEndpointFactory(agency=agency_a)
    client = login(owner_of_a)
    client.post(reverse("dashboard:webhook_endpoint_delete", args=[endpoint.pk]))
    assert not WebhookEndpoint.unscoped.filter(pk=endpoint.pk).exists()


# --- A real worker delivers to a real receiver ----------------------------------------------


class _Receiver(http.server.BaseHTTPRequestHandler):
    received: list = []

    def do_POST(self):  # noqa: N802 - http.server's naming
        body = self.rfile.read(int(self.headers["Content-Length"]))
        type(self).received.append((dict(self.headers), body))
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"thanks")

    def log_message(self, *args):
        pass


@pytest.fixture
def receiver():
    _Receiver.received = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/hook", _Receiver.received
    server.shutdown()
    server.server_close()


@pytest.mark.worker
def test_a_real_worker_delivers_a_signed_event_to_a_local_receiver(
    transactional_db,
    tmp_path,
    worker_queue,  # noqa: F811 - the fixture imported above
    receiver,
    silent_server,
    monkeypatch,
):
    from agency.tests.factories import AgencyFactory
    from agency.tests.test_worker import _start_worker, _stop_worker

    # The receivers are on 127.0.0.1: the worker (a real process) must be allowed to reach it.
    monkeypatch.setenv("OUTBOUND_ALLOW_PRIVATE_ADDRESSES", "1")
    url, received = receiver
    agency = AgencyFactory()
    # A receiver that never answers must not hold up the one that does.
    WebhookEndpointFactory(agency=agency, url=silent_server, events=["crisis.opened"])
    endpoint = WebhookEndpointFactory(agency=agency, url=url, events=["crisis.opened"])
    log_path = tmp_path / "worker.log"
    worker = _start_worker(worker_queue, tmp_path / "mail", log_path)
    try:
        with transaction.atomic():
            services.webhook_emit(agency=agency, event="crisis.opened", data={"brand": "Café"})
        deadline = time.monotonic() + 40
        while not received and time.monotonic() < deadline:
            if worker.poll() is not None:
                pytest.fail(f"The worker exited:\n{log_path.read_text()}")
            time.sleep(0.1)
    finally:
        _stop_worker(worker)
    assert received, "nothing delivered. Worker log:\n" + log_path.read_text()
    headers, body = received[0]
    assert documented_verify()(endpoint.secret, headers["X-Agency-Signature"], body)
    assert json.loads(body)["data"] == {"brand": "Café"}
    assert headers["X-Agency-Event"] == "crisis.opened"
