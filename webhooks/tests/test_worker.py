"""A real Celery worker delivers a signed event to a real receiver, and a receiver that never
answers does not hold up the one that does."""

import http.server
import json
import threading
import time

import pytest
from django.db import transaction

from agency.tests.test_worker import worker_queue  # noqa: F401 - a fixture, used by name
from webhooks.services.emit import webhook_emit
from webhooks.tests.factories import WebhookEndpointFactory
from webhooks.tests.helpers import documented_verify


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
            webhook_emit(agency=agency, event="crisis.opened", data={"brand": "Café"})
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
