"""Publishing benchmark: N posts due per minute, one worker, the network faked on 127.0.0.1.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/agency_social \\
    REDIS_URL=redis://127.0.0.1:6379/5 \\
    .venv/bin/python bench/publish.py --per-minute 1000 --minutes 2

Creates a throw-away agency with 20 Mastodon accounts whose instance is a fake Mastodon served
by this process (publishing/tests/fake_mastodon.py: it honours Idempotency-Key like the real
one), and variants due at a steady rate from now on. Starts ONE `celery worker` process
(prefork, --concurrency, on a queue of its own) and runs the dispatcher every --tick seconds
(what beat does; the beat entry is 2 s). Prints lateness — due time to the fake network
receiving the POST — p50/p95/max, throughput, and checks that nothing was published twice.
Target (issue 5): p95 lateness ≤ 5 s at 1,000 due posts per minute. Everything it created is
deleted at the end (--keep to keep it).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# The fake Mastodon instance is on 127.0.0.1, which the outbound guard refuses by default.
os.environ.setdefault("OUTBOUND_ALLOW_PRIVATE_ADDRESSES", "true")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402

from agency.models import Agency  # noqa: E402
from bench.processes import percentile, stop  # noqa: E402
from campaigns.models import Post, PostState, PostVariant, VariantReview, VariantState  # noqa: E402
from clients.models import Brand, SocialAccount  # noqa: E402
from config.celery import app as celery_app  # noqa: E402
from publishing.dispatch import publications_dispatch_across_agencies  # noqa: E402
from publishing.tests import fake_mastodon  # noqa: E402


def _setup(fake, *, per_minute: int, minutes: float, accounts: int, lead: float):
    agency = Agency.objects.create(name="bench-publish", slug=f"bench-publish-{uuid.uuid4().hex}")
    brand = Brand.unscoped.create(agency=agency, name="Bench", slug="bench")
    social = []
    for n in range(accounts):
        account = SocialAccount(
            agency=agency,
            brand=brand,
            network="mastodon",
            external_id=str(1000 + n),
            handle=f"@bench{n}",
            instance_url=fake.url,
        )
        account.access_token = f"token-{1000 + n}"
        social.append(account)
    SocialAccount.unscoped.bulk_create(social)
    social = list(SocialAccount.unscoped.filter(agency=agency).order_by("id"))
    total = int(per_minute * minutes)
    start = timezone.now() + timedelta(seconds=lead)
    step = 60.0 / per_minute
    due_of: dict[str, float] = {}
    posts = []
    for i in range(total):
        due = start + timedelta(seconds=i * step)
        text = f"Bench {i} {uuid.uuid4().hex[:8]}"
        due_of[text] = due.timestamp()
        posts.append(
            Post(agency=agency, brand=brand, text=text, state=PostState.SCHEDULED, scheduled_at=due)
        )
    Post.unscoped.bulk_create(posts, batch_size=500)
    posts = list(Post.unscoped.filter(agency=agency).order_by("id"))
    PostVariant.unscoped.bulk_create(
        [
            PostVariant(
                agency=agency,
                post=post,
                social_account=social[i % len(social)],
                state=VariantState.SCHEDULED,
                review=VariantReview.APPROVED,  # the engine publishes approved networks only
                due_at=post.scheduled_at,
            )
            for i, post in enumerate(posts)
        ],
        batch_size=500,
    )
    return agency, due_of, start


def _start_worker(queue: str, concurrency: int, log_path: Path) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if k != "CELERY_TASK_ALWAYS_EAGER"}
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "config",
        "worker",
        f"--concurrency={concurrency}",
        "--without-gossip",
        "--without-mingle",
        f"--queues={queue}",
        f"--hostname={queue}@%h",
        "--loglevel=WARNING",
    ]
    log = log_path.open("wb")
    return subprocess.Popen(
        command, cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--per-minute", type=int, default=1000)
    parser.add_argument("--minutes", type=float, default=2.0)
    parser.add_argument("--accounts", type=int, default=20)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--tick", type=float, default=2.0, help="dispatcher interval (s)")
    parser.add_argument("--network-ms", type=float, default=50.0, help="fake POST latency")
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    fake, server = fake_mastodon.serve()
    fake.delay = args.network_ms / 1000
    queue = f"bench-publish-{uuid.uuid4().hex[:8]}"
    celery_app.conf.task_default_queue = queue
    log_path = Path(os.environ.get("VAR_DIR", "/tmp")) / f"{queue}.log"
    worker = _start_worker(queue, args.concurrency, log_path)
    agency, due_of, start = _setup(
        fake, per_minute=args.per_minute, minutes=args.minutes, accounts=args.accounts, lead=8.0
    )
    total = len(due_of)
    print(
        f"{total} posts due from {start:%H:%M:%S} UTC over {args.minutes} min "
        f"({args.per_minute}/min), {args.accounts} accounts, one worker "
        f"(concurrency {args.concurrency}), dispatcher every {args.tick}s, "
        f"network {args.network_ms:.0f} ms, database {django.db.connection.vendor}"
    )
    deadline = time.time() + args.minutes * 60 + 8 + 120
    try:
        while time.time() < deadline:
            tick = time.time()
            publications_dispatch_across_agencies()
            if fake.post_count >= total:
                break
            time.sleep(max(0.0, args.tick - (time.time() - tick)))
        time.sleep(2)
    finally:
        stop(worker)
        server.shutdown()

    with fake.lock:
        times = list(fake.post_times)
        per_key = dict(fake.posts_per_key)
    lateness = [max(0.0, at - due_of[text]) for at, text in times if text in due_of]
    published = PostVariant.unscoped.filter(agency=agency, state=VariantState.PUBLISHED).count()
    created = fake.created_per_text()
    if lateness:
        first_due = min(due_of.values())
        span = max(at for at, _text in times) - first_due
        print(
            f"lateness (due -> network call): p50 {statistics.median(lateness):.2f}s  "
            f"p95 {percentile(lateness, 95):.2f}s  max {max(lateness):.2f}s"
        )
        print(
            f"throughput: {len(times)} calls in {span:.1f}s = {len(times) / span * 60:.0f}/min "
            f"(offered {args.per_minute}/min); published {published}/{total}"
        )
    print(
        f"published twice: {sum(1 for c in created.values() if c > 1)}; "
        f"POSTs repeated with one key: {sum(1 for c in per_key.values() if c > 1)}"
    )
    if not args.keep:
        agency.delete()


if __name__ == "__main__":
    main()
