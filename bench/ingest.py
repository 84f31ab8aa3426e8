"""Listening ingestion benchmark: end to end into the configured database.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/agency_social .venv/bin/python bench/ingest.py

Creates a throw-away agency with 100 brands and 1,000 active queries (and, for comparison, one
with 10 queries), then pushes batches of realistic mentions (French, English, Arabic, Darija in
both scripts; about a third match some query) through
``reputation.services.ingest.mentions_ingest``:
normalise, de-duplicate, detect language, match, score, upsert authors, bulk insert, roll up.
Prints mentions per second and time per mention at 10 and 1,000 queries, and the matching cost
alone. Targets (issue 6): ≥ 2,000 mentions/s on one core; matching cost flat in the number of
queries. Everything it created is deleted at the end (``--keep`` to keep it).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.db import DatabaseError, connection  # noqa: E402

from agency.models import Agency  # noqa: E402
from agency.tenancy import tenant_scope  # noqa: E402
from clients.models import Brand  # noqa: E402
from reputation import matching  # noqa: E402
from reputation.models.queries import ListeningQuery  # noqa: E402
from reputation.services.ingest import RawMention, mentions_ingest  # noqa: E402
from reputation.text import fold  # noqa: E402

CITIES = ["Casablanca", "Rabat", "Tanger", "Fès", "Marrakech", "Agadir", "Oujda", "Tétouan"]
SECTORS = ["Café", "Télécom", "Banque", "Market", "Assurance", "Voyages", "Auto", "Immo"]
TEMPLATES = [
    "Franchement {brand} est excellent, je recommande à tout le monde à {city} !",
    "Service client nul chez {brand}, ça fait trois jours que j'attends 😡",
    "{brand} annonce l'ouverture d'une nouvelle agence à {city} la semaine prochaine.",
    "The new {brand} app is really great, smooth and fast 👍",
    "Worst experience ever with {brand}, never again.",
    "خدمة {brand} في {city} ممتازة جدا، شكرا للفريق",
    "الخدمة ديال {brand} خايبة بزاف، ماعجبنيش",
    "l khedma dyal {brand} f {city} zwina bzaf, tbarkallah",
    "Le match de ce soir à {city} s'annonce serré, rendez-vous au stade.",
    "Météo : du soleil prévu sur {city} et la côte atlantique ce week-end.",
    "Nouvelle hausse du prix de l'essence annoncée pour le mois prochain.",
    "Le festival de musique de {city} attire des milliers de visiteurs.",
]


def _setup(name: str, n_brands: int, n_queries: int) -> tuple[Agency, list[str]]:
    agency = Agency.objects.create(name=name, slug=f"{name}-{random.randrange(10**9)}")
    brands = Brand.unscoped.bulk_create(
        Brand(agency=agency, name=f"Marque {i}", slug=f"marque-{i}") for i in range(n_brands)
    )
    names = []
    queries = []
    for i in range(n_queries):
        brand = brands[i % n_brands]
        label = f"{SECTORS[i % len(SECTORS)]} {CITIES[i % len(CITIES)]} {i}"
        names.append(label)
        queries.append(
            ListeningQuery(
                agency=agency,
                brand=brand,
                name=f"q{i}",
                expression=f'"{label}" OR ({SECTORS[i % len(SECTORS)]}{i} AND NOT emploi)',
                excluded_words=["recrutement"],
            )
        )
    ListeningQuery.unscoped.bulk_create(queries)
    return agency, names


def _items(names: list[str], n: int, run: int, rng: random.Random) -> list[RawMention]:
    items = []
    for i in range(n):
        template = rng.choice(TEMPLATES)
        # About a third of the web talks about one of our brands; the rest is noise.
        brand = rng.choice(names) if rng.random() < 0.35 else f"Enseigne {rng.randrange(10**6)}"
        text = template.format(brand=brand, city=rng.choice(CITIES))
        text += f" ({run}-{i})"
        items.append(
            RawMention(
                external_id=f"https://news.example/{run}/{i}",
                url=f"https://news.example/{run}/{i}",
                title=text[:60],
                text=f"<p>{text}</p>",
                author_handle=f"auteur{rng.randrange(500)}",
                author_name=f"Auteur {rng.randrange(500)}",
                author_followers=rng.randrange(100, 100_000),
            )
        )
    return items


def _run(agency, names, *, batches: int, batch_size: int, seed: int) -> dict:
    rng = random.Random(seed)
    matching.clear_cache()
    mentions_ingest(agency_id=agency.pk, items=_items(names, 50, -1, rng))  # warm caches
    timings, cpu, stored = [], 0.0, 0
    for run in range(batches):
        items = _items(names, batch_size, run, rng)
        start, start_cpu = time.perf_counter(), time.process_time()
        result = mentions_ingest(agency_id=agency.pk, items=items)
        timings.append(time.perf_counter() - start)
        cpu += time.process_time() - start_cpu
        stored += result.stored
    total = sum(timings)
    n = batches * batch_size
    return {
        "mentions": n,
        "stored": stored,
        "seconds": total,
        "rate": n / total,
        "us_per_mention": total / n * 1e6,
        # This process's own CPU (one core); the database server's work is not in it.
        "cpu_rate": n / cpu if cpu else float("inf"),
        "batch_p50": statistics.median(timings),
    }


def _matching_only(agency, names, *, n: int, seed: int, repeats: int = 5) -> float:
    """Microseconds per mention for the matcher alone (fold + automaton + expressions),
    the median of several runs: the machine is shared, single runs are noisy."""
    matcher = matching.matcher_for_agency(agency.pk)
    texts = [f"{i.title}\n{i.text}" for i in _items(names, n, 10**6, random.Random(seed))]
    runs = []
    for _ in range(repeats):
        start = time.perf_counter()
        for text in texts:
            matcher.match("", language="fr", folded=fold(text))
        runs.append((time.perf_counter() - start) / n * 1e6)
    return statistics.median(runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--batches", type=int, default=20)
    parser.add_argument("--batch-size", type=int, default=500)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()

    print(f"database: {connection.vendor} ({connection.settings_dict['NAME']})")
    print(f"load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    small, small_names = _setup("bench-10q", 10, 10)
    large, large_names = _setup("bench-1000q", 100, 1000)
    try:
        results = {}
        for label, agency, names in (
            ("10 queries / 10 brands", small, small_names),
            ("1,000 queries / 100 brands", large, large_names),
        ):
            # In the agency's tenant scope, as the poll task runs the pipeline.
            with tenant_scope(agency):
                figures = _run(
                    agency, names, batches=args.batches, batch_size=args.batch_size, seed=7
                )
                figures["match_us"] = _matching_only(agency, names, n=5000, seed=11)
            results[label] = figures
            print(
                f"{label:>28}: {figures['rate']:>7.0f} mentions/s end to end "
                f"({figures['cpu_rate']:.0f}/s of this process's CPU), "
                f"{figures['us_per_mention']:>6.0f} µs/mention "
                f"({figures['stored']} stored of {figures['mentions']}), "
                f"matching alone {figures['match_us']:.1f} µs/mention"
            )
        small_fig, large_fig = results.values()
        print(
            f"matching cost ratio 1,000 vs 10 queries: "
            f"{large_fig['match_us'] / small_fig['match_us']:.2f}×; "
            f"end-to-end ratio: {large_fig['us_per_mention'] / small_fig['us_per_mention']:.2f}×"
        )
        target = "met" if large_fig["rate"] >= 2000 else "NOT met"
        print(f"target ≥ 2,000 mentions/s with 1,000 queries: {target}")
    finally:
        if not args.keep:
            for agency in (small, large):
                try:
                    agency.delete()  # in its own agency for the database (agency/rls.py)
                except DatabaseError as exc:
                    print(
                        f"could not delete the bench agency {agency.slug} ({exc}); is the "
                        "database migrated? Delete it by hand."
                    )


if __name__ == "__main__":
    main()
