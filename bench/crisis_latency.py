"""Crisis alert latency: from ingesting the mention that crosses a threshold to the signed
crisis.opened webhook received by a local HTTP receiver, through ONE real Celery worker.

    VAR_DIR=/tmp/bench .venv/bin/python bench/crisis_latency.py --trials 20
    (or with DATABASE_URL / REDIS_URL for PostgreSQL and Redis)

For each trial, a fresh brand with a listening query and a webhook endpoint on 127.0.0.1 gets
two negative mentions with a trigger word (below the rule's three), then, clock started, the
third one through ``reputation.services.ingest.mentions_ingest``: the ``mentions_ingested``
signal queues the brand's evaluation, the worker opens the incident and writes the delivery row, the
delivery task POSTs it. Prints p50 / p95 / max. Target (issue 7): p95 ≤ 10 s. Everything it
created is deleted at the end (--keep to keep it).
"""

from __future__ import annotations

import argparse
import http.server
import json
import os
import statistics
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# The webhook receiver runs on 127.0.0.1, which the outbound guard refuses unless allowed
# (this process and the worker it starts both read it).
os.environ.setdefault("OUTBOUND_ALLOW_PRIVATE_ADDRESSES", "true")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

from agency.models import Agency  # noqa: E402
from agency.tenancy import tenant_scope  # noqa: E402
from bench.processes import percentile, stop  # noqa: E402
from clients.models import Brand  # noqa: E402
from config.celery import app as celery_app  # noqa: E402
from reputation.models.queries import ListeningQuery  # noqa: E402
from reputation.services.ingest import RawMention, mentions_ingest  # noqa: E402
from webhooks.models import WebhookEndpoint  # noqa: E402
from webhooks.signing import generate_secret  # noqa: E402

RECEIVED: dict[int, float] = {}  # brand id -> time the crisis.opened POST arrived
LOCK = threading.Lock()


class Receiver(http.server.BaseHTTPRequestHandler):
    def do_POST(self):  # noqa: N802
        body = self.rfile.read(int(self.headers["Content-Length"]))
        arrived = time.time()
        if self.headers.get("X-Agency-Event") == "crisis.opened":
            brand_id = json.loads(body)["data"]["brand"]["id"]
            with LOCK:
                RECEIVED.setdefault(brand_id, arrived)
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


def _start_worker(queue: str, log_path: Path) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if k != "CELERY_TASK_ALWAYS_EAGER"}
    command = [
        sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo",
        # Its own queue, and the default one, where the tasks it queues itself (the webhook
        # delivery) go: run the bench on a broker of its own (a private VAR_DIR or Redis DB).
        "--without-gossip", "--without-mingle", f"--queues={queue},celery",
        f"--hostname={queue}@%h", "--loglevel=WARNING",
    ]  # fmt: skip
    return subprocess.Popen(
        command,
        cwd=BASE_DIR,
        env=env,
        stdout=log_path.open("wb"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def _mention(brand: Brand, n: int) -> RawMention:
    return RawMention(
        external_id=f"bench-{brand.pk}-{n}-{uuid.uuid4().hex[:6]}",
        text=f"{brand.name} : arnaque totale, service horrible et nul. Boycott ! ({n})",
        author_handle=f"client{n}",
        network="web",
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--trials", type=int, default=20)
    parser.add_argument("--timeout", type=float, default=60.0)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/hooks"
    queue = f"bench-crisis-{uuid.uuid4().hex[:8]}"
    celery_app.conf.task_default_queue = queue
    log_path = Path(os.environ.get("VAR_DIR", "/tmp")) / f"{queue}.log"
    worker = _start_worker(queue, log_path)
    agency = Agency.objects.create(name="Bench crises", slug=f"bench-crises-{uuid.uuid4().hex[:8]}")
    endpoint = WebhookEndpoint(agency=agency, url=url, events=["crisis.opened"])
    endpoint.secret = generate_secret()
    endpoint.save()
    latencies, missed, not_negative = [], 0, 0
    print(f"{args.trials} trials, one worker (solo pool), database {django.db.connection.vendor}")
    try:
        for trial in range(args.trials):
            tag = uuid.uuid4().hex[:4]
            brand = Brand.unscoped.create(
                agency=agency, name=f"Marque Bench {trial} {tag}", slug=f"bench-{trial}-{tag}"
            )
            ListeningQuery.unscoped.create(
                agency=agency, brand=brand, name="bench", expression=f'"{brand.name}"'
            )
            # In the agency's tenant scope, as the poll task runs the pipeline.
            with tenant_scope(agency):
                mentions_ingest(agency_id=agency.pk, items=[_mention(brand, 1), _mention(brand, 2)])
            time.sleep(1.5)  # let the worker evaluate those two (no incident: below three)
            started = time.time()
            with tenant_scope(agency):
                result = mentions_ingest(agency_id=agency.pk, items=[_mention(brand, 3)])
            if not result.stored:
                missed += 1
                continue
            deadline = started + args.timeout
            while time.time() < deadline and brand.pk not in RECEIVED:
                if worker.poll() is not None:
                    raise SystemExit(f"worker died:\n{log_path.read_text()}")
                time.sleep(0.02)
            if brand.pk in RECEIVED:
                latencies.append(RECEIVED[brand.pk] - started)
            else:
                missed += 1
                from reputation.models.mentions import Mention

                labels = set(
                    Mention.unscoped.filter(brand=brand).values_list("sentiment_label", flat=True)
                )
                not_negative += labels != {"negative"}
    finally:
        stop(worker)
        server.shutdown()
        if not args.keep:
            agency.delete()
    if latencies:
        print(
            f"ingest -> webhook received: p50 {statistics.median(latencies):.2f}s  "
            f"p95 {percentile(latencies, 95):.2f}s  max {max(latencies):.2f}s  "
            f"({len(latencies)} delivered, {missed} missed, {not_negative} not scored negative)"
        )
    else:
        print(f"nothing delivered ({missed} missed); worker log: {log_path}")


if __name__ == "__main__":
    main()
