"""Row-level security cost: the hot paths with RLS off and on, in one run, on the same rows.

    DATABASE_URL=postgres://agency_app@127.0.0.1:5432/agency_social_rls \\
    .venv/bin/python bench/rls.py

Connect as the role that owns the tables and is not superuser (``agency_app`` in its own
database, as CI does): "off" disables the policies (NO FORCE / DISABLE ROW LEVEL SECURITY) and
takes the execute wrapper of agency/rls.py off the connection; "on" puts both back. So the
same connection, rows and statistics are compared, and "on" includes the settings the wrapper
sends with every statement. Rounds alternate off/on; each figure is the median of --rounds.

- ingest: ``mentions_ingest`` of batches of 500 mentions (a third match) for an agency with
  10 brands and 100 queries, in its tenant scope as the poll task runs it;
- mention list: ``mentions_list(actor)``, its first page of 50 as the API reads it, for one
  agency of two with --mentions each; also filtered by brand, and searched by a word;
- dispatcher: ``due_variants_claim_across_agencies`` claiming 50 of 400 due variants of two
  agencies (cross-agency mode), rolled back so that every round claims the same rows.

Everything it created is deleted at the end (``--keep`` to keep it).
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

from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from agency import rls  # noqa: E402
from agency.models import Agency, Membership, Role, User  # noqa: E402
from agency.tenancy import tenant_scope  # noqa: E402
from bench.ingest import _items, _setup  # noqa: E402
from campaigns.models import Post, PostState, PostVariant, VariantReview, VariantState  # noqa: E402
from clients.models import Brand, SocialAccount  # noqa: E402
from publishing.dispatch import due_variants_claim_across_agencies  # noqa: E402
from reputation import matching  # noqa: E402
from reputation.models.mentions import Author, Mention  # noqa: E402
from reputation.selectors.listening import MentionFilters, mentions_list  # noqa: E402
from reputation.services.ingest import mentions_ingest  # noqa: E402


def _tables() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid "
            "WHERE a.attname = 'agency_id' AND c.relkind = 'r' "
            "AND c.relnamespace = current_schema()::regnamespace"
        )
        return [row[0] for row in cursor.fetchall()]


def rls_switch(on: bool) -> None:
    qn = connection.ops.quote_name
    with transaction.atomic(), connection.cursor() as cursor:
        for table in _tables():
            if on:
                cursor.execute(f"ALTER TABLE {qn(table)} ENABLE ROW LEVEL SECURITY")
                cursor.execute(f"ALTER TABLE {qn(table)} FORCE ROW LEVEL SECURITY")
            else:
                cursor.execute(f"ALTER TABLE {qn(table)} NO FORCE ROW LEVEL SECURITY")
                cursor.execute(f"ALTER TABLE {qn(table)} DISABLE ROW LEVEL SECURITY")
    wrappers = connection.execute_wrappers
    if on and rls.execute_with_tenant not in wrappers:
        wrappers.append(rls.execute_with_tenant)
    if not on and rls.execute_with_tenant in wrappers:
        wrappers.remove(rls.execute_with_tenant)


def _mentions_setup(n: int, n_brands: int = 10) -> tuple[Agency, Membership, int]:
    agency = Agency.objects.create(name="bench-rls", slug=f"bench-rls-{uuid.uuid4().hex[:12]}")
    user = User.objects.create_user(email=f"{agency.slug}@bench.test", password=None)
    rng = random.Random(agency.pk)
    now = timezone.now()
    with tenant_scope(agency):
        member = Membership.objects.create(agency=agency, user=user, role=Role.COMMUNITY_MANAGER)
        brands = Brand.objects.bulk_create(
            Brand(agency=agency, name=f"Marque {i}", slug=f"marque-{i}") for i in range(n_brands)
        )
        authors = Author.objects.bulk_create(
            Author(agency=agency, network="web", handle=f"auteur{i}") for i in range(500)
        )
        words = ["service", "prix", "livraison", "qualité", "application", "agence", "match"]
        Mention.objects.bulk_create(
            (
                Mention(
                    agency=agency,
                    brand=brands[i % n_brands],
                    author=authors[i % 500] if i % 3 else None,
                    external_id=f"https://news.example/{agency.pk}/{i}",
                    fingerprint=uuid.uuid4().hex,
                    title=f"Mention {i}",
                    text=f"{rng.choice(words)} {rng.choice(words)} {i}",
                    published_at=now - timedelta(minutes=i),
                )
                for i in range(n)
            ),
            batch_size=2000,
        )
    return agency, member, brands[3].pk


def _dispatch_setup(n: int) -> Agency:
    agency = Agency.objects.create(name="bench-rls", slug=f"bench-rls-{uuid.uuid4().hex[:12]}")
    due = timezone.now() - timedelta(minutes=5)
    with tenant_scope(agency):
        brand = Brand.objects.create(agency=agency, name="Bench", slug="bench")
        account = SocialAccount(
            agency=agency, brand=brand, network="mastodon", external_id="1", handle="@b"
        )
        account.save()
        posts = Post.objects.bulk_create(
            Post(agency=agency, brand=brand, text=f"Bench {i}", state=PostState.SCHEDULED)
            for i in range(n)
        )
        PostVariant.objects.bulk_create(
            PostVariant(
                agency=agency,
                post=post,
                social_account=account,
                state=VariantState.SCHEDULED,
                review=VariantReview.APPROVED,  # the engine publishes approved networks only
                due_at=due,
            )
            for post in posts
        )
    return agency


def _timed(fn, repeats: int) -> float:
    """Milliseconds per call, the median of ``repeats`` calls."""
    runs = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        runs.append((time.perf_counter() - start) * 1000)
    return statistics.median(runs)


def _claim_rolled_back() -> None:
    with transaction.atomic():
        claims = due_variants_claim_across_agencies()
        assert len(claims) == 50, len(claims)
        transaction.set_rollback(True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--mentions", type=int, default=50_000)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()

    print(f"database: {connection.vendor} ({connection.settings_dict['NAME']}) as ", end="")
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user, rolsuper FROM pg_roles WHERE rolname = current_user")
        user, superuser = cursor.fetchone()
    print(user)
    if superuser:
        sys.exit("bench/rls.py: a superuser bypasses RLS; connect as the tables' owner role.")
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")

    ingest_agency, names = _setup("bench-rls-ingest", 10, 100)
    listed, member, brand_id = _mentions_setup(args.mentions)
    other, _member, _brand = _mentions_setup(args.mentions)
    dispatch = [_dispatch_setup(200), _dispatch_setup(200)]
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    created = [ingest_agency, listed, other, *dispatch]

    rng = random.Random(7)
    batch = [0]

    def ingest() -> None:
        batch[0] += 1
        with tenant_scope(ingest_agency):
            mentions_ingest(agency_id=ingest_agency.pk, items=_items(names, 500, batch[0], rng))

    def page(filters=None):
        def read() -> None:
            with tenant_scope(listed):
                assert len(list(mentions_list(member, filters)[:50])) == 50

        return read

    workloads = {
        "ingest, 500 mentions": (ingest, 3),
        "mention list, first page": (page(), 20),
        "mention list, one brand": (page(MentionFilters(brand_id=brand_id)), 20),
        "mention list, searched": (page(MentionFilters(search="livraison")), 20),
        "dispatcher, claim 50 of 400": (_claim_rolled_back, 5),
    }
    matching.clear_cache()
    figures: dict[tuple[str, bool], list[float]] = {}
    try:
        for on in (False, True):  # warm both: caches, plans, the matcher
            rls_switch(on)
            for fn, _repeats in workloads.values():
                fn()
        for round_ in range(args.rounds):
            for on in (False, True) if round_ % 2 == 0 else (True, False):
                rls_switch(on)
                for label, (fn, repeats) in workloads.items():
                    figures.setdefault((label, on), []).append(_timed(fn, repeats))
    finally:
        rls_switch(True)
        print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        if not args.keep:
            for agency in created:
                agency.delete()
    print(f"median of {args.rounds} rounds, ms per call (each round: the median of its calls)")
    print(f"{'':>30} {'RLS off':>9} {'RLS on':>9} {'cost':>8}")
    for label in workloads:
        off = statistics.median(figures[(label, False)])
        on = statistics.median(figures[(label, True)])
        print(f"{label:>30} {off:>9.2f} {on:>9.2f} {(on / off - 1) * 100:>+7.1f}%")


if __name__ == "__main__":
    main()
