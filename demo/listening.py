"""The demo's listening: what the web says about each brand over the last four weeks, in
French, English, Arabic and Darija in both scripts, through the real ingestion (query
matching, language, sentiment, authors, rollups), so the stream, the overview, the census and
the analytics panels show something true of the product.

Each brand gets a listening query on its name and a press feed that is switched off (nothing
ever fetches its address); the mentions are stored as that feed's entries would be.
Idempotent: a query or source already there is kept, and the ingestion stores an external id
once.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from agency.tenancy import tenant_scope
from reputation.models.queries import ListeningQuery
from reputation.models.sources import Source, SourceKind
from reputation.services.ingest import RawMention, mentions_ingest
from reputation.services.queries import listening_query_create

QUERIES = {
    "cafe-zellige": '"Café Zellige" OR Zellige',
    "atlas-telecom": '"Atlas Télécom"',  # accents are ignored: "Atlas Telecom" matches too
    "taghazout-surf-school": '"Taghazout Surf School" OR "Taghazout Surf"',
}

# (brand slug, place, author, followers, days ago, text)
MENTIONS = (
    (
        "cafe-zellige",
        "lematin.example",
        "Le Matin",
        120_000,
        26,
        "Le Café Zellige ouvre une deuxième adresse à Maarif, avec une terrasse de 40 places.",
    ),
    (
        "cafe-zellige",
        "forum.casablanca.example",
        "nadia_k",
        850,
        21,
        "Le brunch du Café Zellige est excellent, le service rapide et souriant.",
    ),
    (
        "cafe-zellige",
        "reddit.com/r/Morocco",
        "u/expat_casa",
        40,
        17,
        "Café Zellige in Casablanca has the best msemen I have had, friendly staff too.",
    ),
    (
        "cafe-zellige",
        "hespress.example",
        "هسبريس",
        300_000,
        12,
        "مقهى Zellige في الدار البيضاء يقدم فطورا مغربيا رائعا والخدمة ممتازة",
    ),
    (
        "cafe-zellige",
        "forum.casablanca.example",
        "ayoub_dz",
        120,
        6,
        "Café Zellige zwin bzaf, l'atay dyalhom wa3er, ghadi nrje3",
    ),
    (
        "cafe-zellige",
        "blog.gourmand.example",
        "Le Blog Gourmand",
        5_400,
        2,
        "Déçue par le Café Zellige : 40 minutes d'attente et un café froid.",
    ),
    (
        "atlas-telecom",
        "lematin.example",
        "Le Matin",
        120_000,
        27,
        "Atlas Télécom annonce la fibre dans trois nouveaux quartiers de Rabat.",
    ),
    (
        "atlas-telecom",
        "forum.telecom.example",
        "karim_r",
        300,
        20,
        "Atlas Télécom : très bon débit depuis l'installation de la fibre, je recommande.",
    ),
    (
        "atlas-telecom",
        "reddit.com/r/Morocco",
        "u/rabat_dev",
        75,
        15,
        "Atlas Telecom support solved my line issue in ten minutes, impressive.",
    ),
    (
        "atlas-telecom",
        "hespress.example",
        "هسبريس",
        300_000,
        9,
        "انقطاع الإنترنت عند Atlas Télécom في عدة أحياء بالرباط منذ الصباح",
    ),
    (
        "atlas-telecom",
        "forum.telecom.example",
        "salah_9",
        60,
        3,
        "Atlas Télécom coupure f l'internet mn lbareh, walo, khdma khayba",
    ),
    (
        "atlas-telecom",
        "forum.telecom.example",
        "imane.b",
        90,
        1,
        "Troisième coupure cette semaine chez Atlas Télécom, c'est inadmissible.",
    ),
    (
        "atlas-telecom",
        "twitter.example",
        "hamza_tech",
        2_300,
        0,
        "Atlas Telecom outage again in Rabat, no internet since this morning. Terrible service.",
    ),
    (
        "atlas-telecom",
        "forum.telecom.example",
        "walid_m",
        45,
        0,
        "أطلس تيليكوم Atlas Télécom خدمة سيئة جدا والانقطاع مستمر",
    ),
    (
        "taghazout-surf-school",
        "surf-report.example",
        "Surf Report Maroc",
        9_800,
        24,
        "Taghazout Surf School lance des stages d'hiver pour débutants, dès 8 ans.",
    ),
    (
        "taghazout-surf-school",
        "reddit.com/r/surfing",
        "u/wave_hunter",
        210,
        18,
        "Took lessons at Taghazout Surf School last week, amazing instructors and great vibe.",
    ),
    (
        "taghazout-surf-school",
        "forum.voyage.example",
        "lea_voyage",
        130,
        10,
        "Taghazout Surf School : moniteurs patients, planches en bon état, on a adoré.",
    ),
    (
        "taghazout-surf-school",
        "forum.voyage.example",
        "omar_agadir",
        70,
        4,
        "Taghazout Surf School mzyana bzf, lmoniteur kay3ref ykhdem m3a drari sghar",
    ),
)


def listening_seed(agency, owner_membership, brands: dict) -> int:
    """Bring the demo's listening to its known state. Returns how many rows were created."""
    created = 0
    now = timezone.now().replace(second=0, microsecond=0)
    with tenant_scope(agency):
        for slug, expression in QUERIES.items():
            brand = brands[slug]
            name = f"{brand.name} (démo)"
            if not ListeningQuery.objects.filter(brand=brand, name=name).exists():
                listening_query_create(
                    actor=owner_membership, brand_id=brand.pk, name=name, expression=expression
                )
                created += 1
            source, new = Source.objects.get_or_create(
                agency=agency,
                brand=brand,
                kind=SourceKind.RSS,
                url=f"https://presse.example/{slug}.xml",
                defaults={"name": f"Presse (démo) — {brand.name}", "active": False},
            )
            created += new
            items = [
                RawMention(
                    external_id=f"demo-{slug}-{index}",
                    text=text,
                    url=f"https://{place.split('/')[0]}/demo/{slug}/{index}",
                    published_at=now - dt.timedelta(days=days, hours=index % 7),
                    author_handle=author,
                    author_name=author,
                    author_followers=followers,
                )
                for index, (brand_slug, place, author, followers, days, text) in enumerate(MENTIONS)
                if brand_slug == slug
            ]
            created += mentions_ingest(agency_id=agency.pk, items=items, source=source).stored
    return created
