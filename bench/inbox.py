"""The inbox at 100,000 conversations per agency: the list's cost beside a hand-written query.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/agency_social \\
    .venv/bin/python bench/inbox.py [--conversations 100000] [--rounds 3]

Two agencies get --conversations each (10 brands, 20 accounts, 2,000 authors, 30 labels, one
conversation in five labelled), written with bulk_create in batches. Then, per round, the
median of --repeats calls of:

- "selector page": ``conversations_list`` paginated as the view does (the count, the page's
  rows with brand, account, assignee and author, the labels' prefetch), evaluated;
- "hand-written .values()": the same 25 rows and the columns the page shows, in one
  ``.values()`` query joined to brand and assignee, plus one for their labels and the count:
  the baseline the selector must keep up with (target: at least 50 % of its speed);
- "whole page": GET /inbox/ through the test client as a signed-in community manager
  (middleware, the sidebar's unread count, the template), for the record, with its queries.

Each for the default list, one brand, one account and one status. The query count is printed
for 1,000 and for --conversations rows: it must be the same. Everything created is deleted at
the end (``--keep`` keeps it).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.core.paginator import Paginator  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from agency.models import Agency, Membership, Role, User  # noqa: E402
from agency.tenancy import tenant_scope  # noqa: E402
from agency.views.common import PAGE_SIZE  # noqa: E402
from clients.models import Brand, SocialAccount  # noqa: E402
from engagement.models import (  # noqa: E402
    Conversation,
    ConversationLabel,
    ConversationStatus,
    Label,
)
from engagement.selectors.inbox import InboxFilters, conversations_list  # noqa: E402
from reputation.models.mentions import Author  # noqa: E402

BATCH = 5000
STATUSES = [s for s in ConversationStatus.values]
SENTIMENTS = ["positive", "neutral", "negative"]
LANGUAGES = ["fr", "en", "ar", "ary", "ary_latn", "und"]
KINDS = ["comment", "reply", "mention", "direct_message"]


def _agency(n: int) -> tuple[Agency, Membership, dict]:
    agency = Agency.objects.create(name="bench-inbox", slug=f"bench-inbox-{uuid.uuid4().hex[:12]}")
    user = User.objects.create_user(email=f"{agency.slug}@bench.test", password=None)
    rng = random.Random(agency.pk)
    now = timezone.now()
    with tenant_scope(agency):
        member = Membership.objects.create(agency=agency, user=user, role=Role.COMMUNITY_MANAGER)
        brands = Brand.objects.bulk_create(
            Brand(agency=agency, name=f"Marque {i}", slug=f"marque-{i}") for i in range(10)
        )
        accounts = []
        for i in range(20):
            account = SocialAccount(
                agency=agency,
                brand=brands[i % 10],
                network="mastodon" if i % 2 else "facebook",
                external_id=f"acc-{i}",
                handle=f"@compte{i}",
            )
            account.save()
            accounts.append(account)
        authors = Author.objects.bulk_create(
            Author(agency=agency, network="mastodon", handle=f"auteur{i}") for i in range(2000)
        )
        labels = Label.objects.bulk_create(
            Label(agency=agency, name=f"étiquette {i}") for i in range(30)
        )
        for start in range(0, n, BATCH):
            rows = []
            for i in range(start, min(n, start + BATCH)):
                account = accounts[i % 20]
                at = now - timedelta(minutes=i)
                rows.append(
                    Conversation(
                        agency=agency,
                        brand_id=account.brand_id,
                        social_account=account,
                        network=account.network,
                        kind=KINDS[i % 4],
                        thread_key=f"t{i}",
                        status=rng.choice(STATUSES),
                        unread=i % 7 == 0,
                        assignee=user if i % 3 == 0 else None,
                        priority=rng.choice([0, 1, 1, 1, 2, 3]),
                        author=authors[i % 2000],
                        author_label=f"Auteur {i % 2000}",
                        preview=f"Commentaire numéro {i} sur la livraison et le service",
                        language=rng.choice(LANGUAGES),
                        sentiment=rng.choice(SENTIMENTS),
                        message_count=1 + i % 5,
                        last_message_at=at,
                        last_inbound_at=at,
                    )
                )
            created = Conversation.objects.bulk_create(rows)
            ConversationLabel.objects.bulk_create(
                ConversationLabel(agency=agency, conversation=c, label=labels[c.pk % 30])
                for c in created[::5]
            )
    return agency, member, {"brand": brands[3].pk, "account": accounts[7].pk}


def _timed(fn, repeats: int) -> float:
    """Milliseconds per call, the median of ``repeats`` calls."""
    runs = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        runs.append((time.perf_counter() - start) * 1000)
    return statistics.median(runs)


def _selector_page(member, filters):
    def read() -> None:
        with tenant_scope(member.agency):
            page = Paginator(
                conversations_list(member, filters, tz=timezone.get_current_timezone()), PAGE_SIZE
            ).get_page(1)
            rows = list(page.object_list)
            for c in rows:  # what the template reads of each row
                (c.brand.name, c.assignee, [label.name for label in c.labels.all()])
            assert len(rows) == PAGE_SIZE, len(rows)

    return read


def _hand_written(member, narrow: dict):
    """The baseline: the same rows, the columns shown, written by hand with .values()."""

    def read() -> None:
        with tenant_scope(member.agency):
            base = Conversation.objects.filter(agency_id=member.agency_id, **narrow)
            base.count()
            rows = list(
                base.order_by("-last_message_at", "-id").values(
                    "id",
                    "brand__name",
                    "network",
                    "kind",
                    "author_label",
                    "last_message_at",
                    "preview",
                    "status",
                    "sentiment",
                    "priority",
                    "assignee__email",
                    "message_count",
                    "unread",
                )[:PAGE_SIZE]
            )
            labels = list(
                ConversationLabel.objects.filter(
                    conversation_id__in=[r["id"] for r in rows]
                ).values("conversation_id", "label__name")
            )
            assert len(rows) == PAGE_SIZE, len(rows)
            del labels

    return read


def _whole_page(client: Client, params: dict):
    url = reverse("dashboard:inbox")

    def read() -> None:
        response = client.get(url, params)
        assert response.status_code == 200, response.status_code

    return read


def _queries(fn) -> int:
    with CaptureQueriesContext(connection) as queries:
        fn()
    return len(queries)


def _client(member: Membership) -> Client:
    client = Client()
    client.force_login(member.user)
    session = client.session
    session["active_agency_id"] = member.agency_id
    session.save()
    return client


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--conversations", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--repeats", type=int, default=9)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    setup_test_environment()  # the test client's host and template hooks

    print(f"database: {connection.vendor} ({connection.settings_dict['NAME']})")
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    start = time.perf_counter()
    small, small_member, small_ids = _agency(1000)
    agency, member, ids = _agency(args.conversations)
    other, _other_member, _ids = _agency(args.conversations)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    created = [small, agency, other]
    print(
        f"fixture: 2 x {args.conversations:,} + 1,000 conversations in "
        f"{time.perf_counter() - start:.0f} s"
    )

    cases = {
        "default list": ({}, InboxFilters(), {}),
        "one brand": (
            {"brand_id": ids["brand"]},
            InboxFilters(brand_id=ids["brand"]),
            {"brand": ids["brand"]},
        ),
        "one account": (
            {"social_account_id": ids["account"]},
            InboxFilters(account_id=ids["account"]),
            {"account": ids["account"]},
        ),
        "status open": (
            {"status": "open"},
            InboxFilters(status="open"),
            {"status": "open"},
        ),
    }
    client = _client(member)
    small_client = _client(small_member)
    figures: dict[tuple[str, str], list[float]] = {}
    query_counts: dict[tuple[str, str], int] = {}
    try:
        for label, (narrow, filters, params) in cases.items():
            work = {
                "selector page": _selector_page(member, filters),
                "hand-written .values()": _hand_written(member, narrow),
                "whole page": _whole_page(client, params),
            }
            small_params = dict(params)
            if "brand" in params:
                small_params["brand"] = small_ids["brand"]
            if "account" in params:
                small_params["account"] = small_ids["account"]
            for name, fn in work.items():
                fn()  # warm: plans, caches, the session
                query_counts[(label, name)] = _queries(fn)
            _whole_page(small_client, small_params)()
            query_counts[(label, "whole page, 1,000")] = _queries(
                _whole_page(small_client, small_params)
            )
            for _round in range(args.rounds):
                for name, fn in work.items():
                    figures.setdefault((label, name), []).append(_timed(fn, args.repeats))
    finally:
        print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        if not args.keep:
            for each in created:
                each.delete()
    print(
        f"{args.conversations:,} conversations per agency (two agencies); median of "
        f"{args.rounds} rounds, ms per call (each round: the median of {args.repeats} calls)"
    )
    print(
        f"{'':>14} {'selector':>9} {'values()':>9} {'speed':>7} {'target':>7} "
        f"{'page':>8} {'queries sel/val/page':>21} {'page @1,000':>12}"
    )
    for label in cases:
        sel = statistics.median(figures[(label, "selector page")])
        val = statistics.median(figures[(label, "hand-written .values()")])
        page = statistics.median(figures[(label, "whole page")])
        speed = val / sel * 100
        verdict = "ok" if speed >= 50 else "MISSED"
        q = query_counts
        print(
            f"{label:>14} {sel:>9.2f} {val:>9.2f} {speed:>6.0f}% {'>=50%':>7} {page:>8.2f} "
            f"{q[(label, 'selector page')]:>9}/{q[(label, 'hand-written .values()')]}"
            f"/{q[(label, 'whole page')]:<6} {q[(label, 'whole page, 1,000')]:>10}  {verdict}"
        )


if __name__ == "__main__":
    main()
