"""The demo's published history: a campaign per brand, posts that went out over the last five
weeks, and the metrics the collector would have read for them, so that the analytics pages and
the client reports show something true-looking from the first `make run`.

The posts are written through the campaigns services and then marked published as the engine
would leave them (the accounts are disconnected: nothing is ever sent). The metric series go
through analytics' own upserts, one reading per day, with the vocabulary each network gives:
the Mastodon account has no reach or impressions ("not available"), the Instagram one has them.
Idempotent: a brand whose demo campaign exists is left as it is. Values come from a seeded
random generator, so every machine gets the same demo.
"""

from __future__ import annotations

import datetime as dt
import random
from zoneinfo import ZoneInfo

from django.utils import timezone

from agency.tenancy import tenant_scope
from analytics.services.series import account_metrics_store, post_metrics_store
from campaigns.models import Campaign, Post, PostState, PostVariant, VariantState
from campaigns.services.planning import campaign_create
from campaigns.services.posts import post_create
from clients.models import AccountStatus, SocialAccount
from networks.base import MetricSnapshot

CAMPAIGN_NAME = "Automne 2026"
HISTORY_DAYS = 35
POSTS_PER_BRAND = 12
# The post the demo inbox's comments are under (demo/inbox.py) is the newest one.
NEWEST_EXTERNAL_IDS = {"cafe-zellige": "z-post-1", "atlas-telecom": "t-post-1"}
INSTAGRAM_HANDLES = {"cafe-zellige": "cafezellige.ma", "atlas-telecom": "atlastelecom.ma"}

TEXTS = (
    "Nouveau à la carte : le latte à la fleur d'oranger. Venez le goûter !",
    "Les coulisses de notre torréfaction à Casablanca, en images.",
    "Jeu : dites-nous votre pâtisserie préférée en commentaire.",
    "Horaires du week-end : ouverts de 7 h à minuit.",
    "Merci pour vos 10 000 avis ! Une surprise arrive vendredi.",
    "Recette maison : le msemen au miel, pas à pas.",
    "Rencontre avec Khadija, notre barista de l'année.",
    "Notre engagement : du café issu du commerce équitable.",
    "Happy hour thé à la menthe, de 16 h à 18 h.",
    "Ouverture bientôt à Tanger : suivez le compte à rebours.",
    "Votre moment préféré de la journée pour un café ?",
    "Offre spéciale étudiants, sur présentation de la carte.",
)


def analytics_seed(agency, owner_membership, brands: dict) -> int:
    """Bring the demo's published history to its known state. Returns rows created."""
    created = 0
    now = timezone.now()
    with tenant_scope(agency):
        for slug, newest_id in NEWEST_EXTERNAL_IDS.items():
            brand = brands[slug]
            if Campaign.objects.filter(brand=brand, name=CAMPAIGN_NAME).exists():
                continue
            rng = random.Random(slug)  # noqa: S311 (demo figures, not a secret: seeded to repeat)
            accounts = _accounts(agency, brand, slug)
            campaign = campaign_create(
                actor=owner_membership,
                brand=brand,
                name=CAMPAIGN_NAME,
                objective="awareness",
                starts_on=(now - dt.timedelta(days=HISTORY_DAYS)).date(),
                ends_on=(now + dt.timedelta(days=25)).date(),
                kpi_targets={"reach": 60000, "clicks": 900, "followers_gained": 400},
            )
            created += 1
            created += _posts(owner_membership, brand, campaign, accounts, newest_id, rng, now)
            for account in accounts:
                created += _account_history(account, rng, now)
    return created


def _accounts(agency, brand, slug) -> list[SocialAccount]:
    """The brand's Mastodon account of the demo inbox, and an Instagram one (both
    disconnected: the demo never calls a network)."""
    mastodon = SocialAccount.objects.filter(brand=brand, network="mastodon").first()
    instagram, _ = SocialAccount.objects.get_or_create(
        agency=agency,
        brand=brand,
        network="instagram",
        external_id=f"demo-ig-{slug}",
        defaults={
            "handle": INSTAGRAM_HANDLES[slug],
            "display_name": f"{brand.name} (démo)",
            "status": AccountStatus.REVOKED,
        },
    )
    return [a for a in (instagram, mastodon) if a is not None]


def _posts(actor, brand, campaign, accounts, newest_id, rng, now) -> int:
    tz = ZoneInfo(brand.time_zone)
    created = 0
    for i in range(POSTS_PER_BRAND):
        days_ago = 2 + i * (HISTORY_DAYS - 4) // POSTS_PER_BRAND
        local_day = (now.astimezone(tz) - dt.timedelta(days=days_ago)).date()
        hour = rng.choice((8, 9, 12, 13, 18, 19, 20, 21))
        published_at = dt.datetime.combine(local_day, dt.time(hour, 0), tzinfo=tz)
        post = post_create(
            actor=actor,
            brand=brand,
            account_ids=[a.pk for a in accounts],
            campaign=campaign,
            text=TEXTS[i % len(TEXTS)],
        )
        Post.objects.filter(pk=post.pk).update(
            state=PostState.PUBLISHED, scheduled_at=published_at, approved_at=published_at
        )
        created += 1
        for variant in PostVariant.objects.filter(post=post).select_related("social_account"):
            external_id = newest_id if i == 0 else f"{newest_id}-{i}"
            if variant.social_account.network == "instagram":
                external_id = f"ig-{external_id}"
            PostVariant.objects.filter(pk=variant.pk).update(
                state=VariantState.PUBLISHED,
                review="approved",  # it went out: its network was approved
                published_at=published_at,
                external_id=external_id,
            )
            variant.published_at = published_at
            created += _post_history(variant, rng, now)
    return created


# The days after publication a reading is kept for (the collector's ladder reads more often;
# one reading per day stands for that day's last one).
READING_DAYS = (0, 1, 2, 4, 7, 13)


def _post_history(variant, rng, now) -> int:
    """Readings from publication, counters growing fast then levelling off."""
    instagram = variant.social_account.network == "instagram"
    audience = rng.randint(1500, 9000) if instagram else rng.randint(150, 900)
    written = 0
    for day in READING_DAYS:
        taken = variant.published_at + dt.timedelta(days=day, hours=6)
        if taken >= now:
            break
        share = 1 - 0.5 ** (day + 1)
        reach = int(audience * share)
        likes = int(reach * rng.uniform(0.03, 0.07))
        snapshot = MetricSnapshot(
            likes=likes,
            comments=int(likes * 0.12),
            shares=int(likes * 0.05),
            **(
                {
                    "reach": reach,
                    "impressions": int(reach * 1.35),
                    "saves": int(likes * 0.08),
                    "clicks": int(reach * 0.01),
                }
                if instagram
                else {}
            ),
            raw={"demo": True},
        )
        written += post_metrics_store(variant=variant, snapshot=snapshot, taken_at=taken)
    return written


def _account_history(account, rng, now) -> int:
    """Daily followers (and, on Instagram, reach and impressions) for the history's days."""
    instagram = account.network == "instagram"
    followers = rng.randint(8000, 15000) if instagram else rng.randint(600, 2000)
    snapshots = []
    for days_ago in range(HISTORY_DAYS + 30, 0, -1):
        followers += rng.randint(-3, 25 if instagram else 6)
        extra = {}
        if instagram:
            reach = rng.randint(1200, 4000)
            extra = {"reach": reach, "impressions": int(reach * 1.4)}
        snapshots.append(
            MetricSnapshot(
                followers=followers, day=(now - dt.timedelta(days=days_ago)).date(), **extra
            )
        )
    return account_metrics_store(account=account, snapshots=snapshots, taken_at=now)
