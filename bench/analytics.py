"""The analytics pages' selectors at 1,000,000 metric rows in one agency, beside hand-written SQL.

    DATABASE_URL=postgres://agency_app@127.0.0.1:5432/agency_social \\
    .venv/bin/python bench/analytics.py [--rows 1000000] [--rounds 3] [--repeats 3]

One agency gets 10 brands with 3 accounts each (Facebook, LinkedIn, Mastodon) and posts over
the last 12 months, each read on 20 days of its ladder with the metrics its network gives (5 on
average), plus each account's followers and follower growth every day: --rows metric rows in
all, written with COPY. Then, per round, the median of --repeats calls of each selector of the
brand page (analytics.views.context.figures_context) beside hand-written SQL that computes the
same figures from the same rows (the latest reading of each post and metric by DISTINCT ON,
pivoted, aggregated):

- "kpis": ``brand_kpis`` with a comparison period (two periods' post figures, followers,
  growth) against one hand-written query per period;
- "post page": ``post_rows`` sorted by engagement rate, its count and first 25 rows, against
  one query with the same rows and a count;
- "best times": ``best_times`` over 12 months against one grouped query;
- "whole brand page": every selector the page calls (period, KPIs, charts, networks, posts,
  top and bottom, heatmap, freshness), for the record, with its queries.

For one brand over the last 30 days and the last 12 months, and for the agency over 12 months.
Target: the selectors at least 50 % of the hand-written speed, and the same number of queries
at 1,000 and at --rows rows. Everything created is deleted at the end (``--keep`` keeps it).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import RequestFactory  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from agency.models import Agency  # noqa: E402
from agency.tenancy import tenant_scope  # noqa: E402
from analytics.periods import Period  # noqa: E402
from analytics.selectors.performance import best_times, brand_kpis, post_rows  # noqa: E402
from analytics.views.context import figures_context  # noqa: E402
from clients.models import Brand  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from analytics_fixture import TZ, agency_delete, agency_kept, agency_write  # noqa: E402
from analytics_sql import ACCOUNT_KPIS, HEATMAP, KPIS, PAGE  # noqa: E402

# --- The hand-written baseline (the SQL: bench/analytics_sql.py) ---------------------------


def _sql(agency, brand_ids, period: Period, query: str):
    begin, stop = period.utc_bounds(TZ)
    params = {
        "agency": agency.pk,
        "brands": brand_ids,
        "begin": begin,
        "stop": stop,
        "start": period.start,
        "end": period.end,
    }

    def read() -> None:
        with tenant_scope(agency), connection.cursor() as cursor:
            cursor.execute(query, params)
            cursor.fetchall()

    return read


def _hand_kpis(agency, brand_ids, period, comparison):
    parts = [
        _sql(agency, brand_ids, p, q) for p in (period, comparison) for q in (KPIS, ACCOUNT_KPIS)
    ]

    def read() -> None:
        for part in parts:
            part()

    return read


# --- The selectors --------------------------------------------------------------------------


def _selector(member, fn):
    def read() -> None:
        with tenant_scope(member.agency):
            fn()

    return read


def _post_page(member, brand_ids, period):
    def read() -> None:
        rows = post_rows(member, brand_ids=brand_ids, period=period, tz=TZ)
        rows.count()
        shown = [(r.post.title, r.social_account.handle, r.engagement_rate) for r in rows[:25]]
        assert len(shown) <= 25

    return read


def _whole_page(member, brand_ids, preset: str):
    request = RequestFactory().get("/", {"preset": preset})
    request.membership = member
    request.agency = member.agency

    def read() -> None:
        with tenant_scope(member.agency):
            figures_context(request, brand_ids=brand_ids, tz=TZ)

    return read


def _timed(fn, repeats: int) -> float:
    runs = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        runs.append((time.perf_counter() - start) * 1000)
    return statistics.median(runs)


def _queries(fn) -> int:
    with CaptureQueriesContext(connection) as queries:
        fn()
    return len(queries)


def _cases(agency, member, brand_id, brand_ids_all):
    today = timezone.now().astimezone(TZ).date()
    yesterday = today - dt.timedelta(days=1)
    month = Period(yesterday - dt.timedelta(days=29), yesterday)
    first = today.replace(day=1)
    year = Period(first.replace(year=first.year - 1), first - dt.timedelta(days=1))
    cases = {}
    for label, ids, ids_sql, period, preset in (
        ("brand, 30 days", [brand_id], [brand_id], month, "last_30"),
        ("brand, 12 months", [brand_id], [brand_id], year, "last_12_months"),
        ("agency, 12 months", None, brand_ids_all, year, "last_12_months"),
    ):
        before = period.preceding()
        cases[label] = {
            "kpis": (
                _selector(
                    member,
                    lambda ids=ids, p=period, b=before: brand_kpis(
                        member, brand_ids=ids, period=p, comparison=b, tz=TZ
                    ),
                ),
                _hand_kpis(agency, ids_sql, period, before),
            ),
            "post page": (
                _selector(member, _post_page(member, ids, period)),
                _sql(agency, ids_sql, period, PAGE),
            ),
            "best times": (
                _selector(
                    member,
                    lambda ids=ids, p=period: best_times(
                        member,
                        brand_ids=ids,
                        tz=TZ,
                        since=p.utc_bounds(TZ)[0],
                        until=p.utc_bounds(TZ)[1],
                    ),
                ),
                _sql(agency, ids_sql, period, HEATMAP),
            ),
            "whole brand page": (_whole_page(member, ids, preset), None),
        }
    return cases


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--keep", action="store_true", help="keep the agencies (prints them)")
    parser.add_argument(
        "--reuse",
        metavar="SLUG",
        help="measure the kept agency of that slug (and its small one) instead of writing one",
    )
    args = parser.parse_args()

    print(f"database: {connection.vendor} ({connection.settings_dict['NAME']})")
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    start = time.perf_counter()
    if args.reuse:
        agency, member, brand_id = agency_kept(args.reuse)
        small, small_member, small_brand = agency_kept(f"{args.reuse}-small")
        args.keep = True
    else:
        small, small_member, small_brand = agency_write(1000)
        agency, member, brand_id = agency_write(args.rows)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        if args.keep:
            Agency.objects.filter(pk=small.pk).update(slug=f"{agency.slug}-small")
            print(f"kept: --reuse {agency.slug}")
    with tenant_scope(agency):
        from analytics.models import AccountMetricDay, PostMetricDay

        total = PostMetricDay.objects.count() + AccountMetricDay.objects.count()
        brand_ids = list(Brand.objects.values_list("pk", flat=True))
    with tenant_scope(small):
        small_ids = list(Brand.objects.values_list("pk", flat=True))
    print(
        f"fixture: {total:,} metric rows in one agency (+ a small one) in "
        f"{time.perf_counter() - start:.0f} s"
    )

    cases = _cases(agency, member, brand_id, brand_ids)
    small_cases = _cases(small, small_member, small_brand, small_ids)
    figures: dict[tuple[str, str, str], list[float]] = {}
    counts: dict[tuple[str, str, str], int] = {}
    try:
        for label, work in cases.items():
            for name, (selector, hand) in work.items():
                for kind, fn in (("selector", selector), ("hand", hand)):
                    if fn is None:
                        continue
                    fn()  # warm: plans, caches
                    counts[(label, name, kind)] = _queries(fn)
                small_selector = small_cases[label][name][0]
                small_selector()
                counts[(label, name, "small")] = _queries(small_selector)
            for _round in range(args.rounds):
                for name, (selector, hand) in work.items():
                    for kind, fn in (("selector", selector), ("hand", hand)):
                        if fn is not None:
                            figures.setdefault((label, name, kind), []).append(
                                _timed(fn, args.repeats)
                            )
    finally:
        print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        if not args.keep:
            for each in (small, agency):
                agency_delete(each)
    print(
        f"{total:,} metric rows in one agency; median of {args.rounds} rounds, ms per call "
        f"(each round: the median of {args.repeats} calls)"
    )
    print(
        f"{'':>18} {'':>16} {'selector':>9} {'hand SQL':>9} {'speed':>6} {'target':>6} "
        f"{'queries sel/SQL':>15} {'@1,000':>7}"
    )
    for label, work in cases.items():
        for name, (_selector_fn, hand) in work.items():
            sel = statistics.median(figures[(label, name, "selector")])
            q_sel, q_small = counts[(label, name, "selector")], counts[(label, name, "small")]
            same = "same" if q_sel == q_small else "DIFFERENT"
            if hand is None:
                print(
                    f"{label:>18} {name:>16} {sel:>9.1f} {'':>9} {'':>6} {'':>6} "
                    f"{q_sel:>15} {q_small:>7}  queries {same}"
                )
                continue
            val = statistics.median(figures[(label, name, "hand")])
            speed = val / sel * 100
            verdict = "ok" if speed >= 50 and q_sel == q_small else "MISSED"
            print(
                f"{label:>18} {name:>16} {sel:>9.1f} {val:>9.1f} {speed:>5.0f}% {'>=50%':>6} "
                f"{q_sel:>11}/{counts[(label, name, 'hand')]:<3} {q_small:>7}  {verdict}"
            )


if __name__ == "__main__":
    main()
