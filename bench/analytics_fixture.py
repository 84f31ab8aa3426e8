"""The agency bench/analytics.py measures: 10 brands x 3 accounts, posts over 12 months with
their readings and every account's daily figures, written with COPY (see its docstring)."""

from __future__ import annotations

import datetime as dt
import io
import random
import statistics
import uuid
from zoneinfo import ZoneInfo

from django.db import connection, transaction
from django.utils import timezone

from agency.models import Agency, Membership, Role, User
from agency.tenancy import tenant_scope
from campaigns.models import Post, PostVariant
from clients.models import Brand, SocialAccount

# What each network gives of a post (docs/analytics.md, "The vocabulary").
GIVES = {
    "facebook": ("reach", "views", "likes", "comments", "shares", "clicks"),
    "linkedin": ("impressions", "reach", "likes", "comments", "shares", "clicks"),
    "mastodon": ("likes", "comments", "shares"),
}
READINGS = 20  # days each post was read on
BRANDS, NETWORKS = 10, tuple(GIVES)
TZ = ZoneInfo("Africa/Casablanca")


def _copy(table: str, columns: str, rows) -> None:
    buffer = io.StringIO()
    for row in rows:
        buffer.write("\t".join(str(v) for v in row) + "\n")
    buffer.seek(0)
    # PostgreSQL refuses COPY into a table under row-level security: copy into a temporary
    # table, then INSERT … SELECT, which the policy checks like any insert.
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMP TABLE bench_rows AS SELECT {columns} FROM {table} WITH NO DATA"
        )
        with cursor.cursor.copy(f"COPY bench_rows ({columns}) FROM STDIN") as copy:
            while data := buffer.read(1 << 20):
                copy.write(data)
        cursor.execute(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM bench_rows")
        cursor.execute("DROP TABLE bench_rows")


def agency_write(rows: int) -> tuple[Agency, Membership, int]:
    """An agency with about ``rows`` metric rows; returns it, a manager and one brand's id."""
    agency = Agency.objects.create(name="bench-analytics", slug=f"bench-an-{uuid.uuid4().hex[:10]}")
    user = User.objects.create_user(email=f"{agency.slug}@bench.test", password=None)
    rng = random.Random(agency.pk)
    today = timezone.now().astimezone(TZ).date()
    accounts_n = BRANDS * len(NETWORKS)
    account_rows = accounts_n * 365 * 2
    per_post = READINGS * statistics.mean(len(g) for g in GIVES.values())
    posts_n = max(1, int((rows - min(account_rows, rows // 2)) / per_post))
    days = 365 if rows >= 100_000 else max(1, (rows // 2) // (accounts_n * 2))
    with tenant_scope(agency), transaction.atomic():
        member = Membership.objects.create(agency=agency, user=user, role=Role.MANAGER)
        brands = Brand.objects.bulk_create(
            Brand(agency=agency, name=f"Marque {i}", slug=f"marque-{i}") for i in range(BRANDS)
        )
        accounts = []
        for brand in brands:
            for network in NETWORKS:
                account = SocialAccount(
                    agency=agency,
                    brand=brand,
                    network=network,
                    external_id=f"{brand.pk}-{network}",
                    handle=f"@{network}{brand.pk}",
                )
                account.save()
                accounts.append(account)
        posts = Post.objects.bulk_create(
            Post(agency=agency, brand=accounts[i % accounts_n].brand, title=f"Publication {i}")
            for i in range(posts_n)
        )
        start = timezone.now() - dt.timedelta(days=365)
        variants = PostVariant.objects.bulk_create(
            PostVariant(
                agency=agency,
                post=post,
                social_account=accounts[i % accounts_n],
                state="published",
                external_id=f"x{i}",
                published_at=start + dt.timedelta(minutes=rng.randrange(365 * 24 * 60)),
            )
            for i, post in enumerate(posts)
        )
        collected = timezone.now().isoformat()
        by_id = {a.pk: a for a in accounts}

        def post_rows_():
            for v in variants:
                network = by_id[v.social_account_id].network
                base = rng.randrange(50, 5000)
                first = v.published_at.date()
                for r in range(READINGS):
                    day = first + dt.timedelta(days=r * 4)
                    for metric in GIVES[network]:
                        value = base * (r + 1) // READINGS // (1 if metric == "reach" else 20)
                        yield (agency.pk, v.pk, v.social_account_id, metric, day, value, collected)

        _copy(
            "analytics_postmetricday",
            "agency_id, post_variant_id, social_account_id, metric, day, value, collected_at",
            post_rows_(),
        )

        def account_rows_():
            for a in accounts:
                followers = rng.randrange(1000, 50000)
                for d in range(days):
                    day = today - dt.timedelta(days=days - d)
                    growth = rng.randrange(0, 40)
                    followers += growth
                    yield (agency.pk, a.pk, "followers", day, followers, collected)
                    yield (agency.pk, a.pk, "follower_growth", day, growth, collected)

        _copy(
            "analytics_accountmetricday",
            "agency_id, social_account_id, metric, day, value, collected_at",
            account_rows_(),
        )
    return agency, member, brands[3].pk


def agency_kept(slug: str) -> tuple[Agency, Membership, int]:
    """An agency a run with --keep left: itself, its manager and its fourth brand's id."""
    agency = Agency.objects.get(slug=slug)
    with tenant_scope(agency):
        member = Membership.objects.get(agency=agency, role=Role.MANAGER)
        brand_id = list(Brand.objects.order_by("pk").values_list("pk", flat=True))[3]
    return agency, member, brand_id


def agency_delete(agency) -> None:
    """The metric rows by one statement each (Agency.delete() would load them one by one)."""
    with tenant_scope(agency), transaction.atomic(), connection.cursor() as cursor:
        for table in ("analytics_postmetricday", "analytics_accountmetricday"):
            cursor.execute(f"DELETE FROM {table} WHERE agency_id = %s", [agency.pk])
    agency.delete()
