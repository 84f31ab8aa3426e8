"""From a comment pushed by Meta's webhook to the moderation rule's hide on the network, through
ONE real Celery worker. The second figure of the inbox's benchmark (bench/inbox.py has the list).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/agency_social \\
    REDIS_URL=redis://127.0.0.1:6379/12 \\
    .venv/bin/python bench/inbox_moderation.py [--trials 30]

A brand with a connected Facebook Page, a published post, its owned-comments source and one
switched-on rule (abuse category "insult" -> hide). Per trial, clock started, a signed
``feed`` delivery (Webhooks for Pages, ``item: comment``, the documented shape) with an
insulting Darija comment is POSTed to /hooks/meta/ through Django's test client; the receiver
queues the store task, the worker stores the comment through the polls' pipeline, the rule
queues the hide in the outbox, the worker sends ``POST /{comment-id}`` with ``is_hidden=true``
to the fake Graph API, where the clock stops. Prints p50 / p95 / max. Target (issue 12):
p95 <= 5 s.

The worker is Celery's own (``celery.contrib.testing.worker.start_worker``: a real consumer on
the configured broker, solo pool) running in a thread of this process, so that the Graph API
can be faked at the transport (respx) as in the tests. A worker in another process can be
pointed at a local fake server with ``META_GRAPH_BASE_URL``
(engagement/tests/test_inbox_worker.py does); this benchmark keeps respx so that the fake's own
HTTP time is not in the figure. Everything created is deleted at the end (--keep keeps it).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import statistics
import sys
import threading
import time
import uuid
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.pop("CELERY_TASK_ALWAYS_EAGER", None)

import django  # noqa: E402

django.setup()

import httpx  # noqa: E402
import respx  # noqa: E402
from celery.contrib.testing.worker import start_worker  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

from agency.models import Agency  # noqa: E402
from agency.tenancy import tenant_scope  # noqa: E402
from bench.processes import percentile  # noqa: E402
from campaigns.tests.factories import PostVariantFactory  # noqa: E402
from clients.tests.factories import SocialAccountFactory  # noqa: E402
from config.celery import app as celery_app  # noqa: E402
from engagement.models import ModerationRule, OutboundAction  # noqa: E402
from networks.meta_webhooks import sign  # noqa: E402
from reputation.tests.factories import SourceFactory  # noqa: E402

SECRET = "bench-meta-app-secret"
TARGET_P95 = 5.0
GRAPH_COMMENT = r"https://graph\.facebook\.com/v[\d.]+/(?P<cid>\w+)$"
INSULT = "nta wa7ed mkelekh, zamel"  # Darija in Latin script: an insult


def _setup() -> tuple[Agency, str, str]:
    slug = f"bench-mod-{uuid.uuid4().hex[:8]}"
    agency = Agency.objects.create(name="Bench moderation", slug=slug)
    page_id = str(uuid.uuid4().int % 10**12)
    post_id = f"{page_id}_4444"
    with tenant_scope(agency):
        account = SocialAccountFactory(
            agency=agency, network="facebook", external_id=page_id, instance_url=""
        )
        brand = account.brand
        PostVariantFactory(
            agency=agency,
            post__brand=brand,
            social_account=account,
            state="published",
            external_id=post_id,
            published_at=timezone.now() - timedelta(days=1),
        )
        SourceFactory(
            agency=agency,
            kind="owned_comments",
            brand=brand,
            network="facebook",
            url="",
            last_success_at=timezone.now() - timedelta(hours=1),
        )
        ModerationRule.objects.create(
            agency=agency,
            brand=brand,
            name="Insultes",
            enabled=True,
            abuse_label="insult",
            actions=["hide"],
        )
    return agency, page_id, post_id


def _delivery(page_id: str, post_id: str, comment_id: str) -> bytes:
    now = int(time.time())
    change = {
        "from": {"id": "55501", "name": "Troll"},
        "post": {"status_type": "added_photos", "is_published": True, "id": post_id},
        "message": INSULT,
        "post_id": post_id,
        "comment_id": comment_id,
        "created_time": now,
        "item": "comment",
        "parent_id": post_id,
        "verb": "add",
    }
    payload = {
        "object": "page",
        "entry": [{"id": page_id, "time": now, "changes": [{"field": "feed", "value": change}]}],
    }
    return json.dumps(payload).encode()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--trials", type=int, default=30)
    parser.add_argument("--timeout", type=float, default=30.0)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    for name in ("celery", "httpx", "networks"):  # one line per task and call otherwise
        logging.getLogger(name).setLevel(logging.WARNING)
    setup_test_environment()  # the test client's host
    settings.META_WEBHOOK_APP_SECRETS = [SECRET]
    queue = f"bench-moderation-{uuid.uuid4().hex[:8]}"
    celery_app.conf.task_default_queue = queue
    agency, page_id, post_id = _setup()
    hidden_at: dict[str, float] = {}
    lock = threading.Lock()

    def graph_answer(request, cid):
        if b"is_hidden=true" in request.content:
            with lock:
                hidden_at.setdefault(cid, time.perf_counter())
        return httpx.Response(200, json={"success": True})

    latencies, missed = [], 0
    client = Client()
    load = os.getloadavg()
    print(
        f"{args.trials} trials, one worker (solo pool, in-process), database "
        f"{django.db.connection.vendor}, broker {settings.CELERY_BROKER_URL.split(':')[0]}, "
        f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}"
    )
    try:
        with respx.mock(assert_all_called=False) as mock:
            mock.post(url__regex=GRAPH_COMMENT).mock(side_effect=graph_answer)
            with start_worker(
                celery_app, pool="solo", concurrency=1, perform_ping_check=False, queues=[queue]
            ):
                for trial in range(args.trials):
                    comment_id = f"{post_id}_{trial + 1}"
                    body = _delivery(page_id, post_id, comment_id)
                    started = time.perf_counter()
                    response = client.post(
                        "/hooks/meta/",
                        data=body,
                        content_type="application/json",
                        HTTP_X_HUB_SIGNATURE_256=sign(body, SECRET),
                    )
                    if response.status_code != 200:
                        raise SystemExit(f"receiver answered {response.status_code}")
                    while comment_id not in hidden_at:
                        if time.perf_counter() - started > args.timeout:
                            missed += 1
                            break
                        time.sleep(0.005)
                    else:
                        latencies.append(hidden_at[comment_id] - started)
        with tenant_scope(agency):
            hides = OutboundAction.objects.filter(kind="hide").count()
    finally:
        if not args.keep:
            with tenant_scope(agency):
                agency.delete()
    load = os.getloadavg()
    print(f"hides queued: {hides} for {args.trials} comments; missed: {missed}")
    if latencies:
        p50 = statistics.median(latencies)
        p95 = percentile(latencies, 95)
        verdict = "ok" if p95 <= TARGET_P95 and not missed else "MISSED"
        print(
            f"webhook -> hide on the network: p50 {p50:.3f} s, p95 {p95:.3f} s "
            f"(target <= {TARGET_P95:.0f} s: {verdict}), max {max(latencies):.3f} s"
        )
    print(f"load average after: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")


if __name__ == "__main__":
    main()
