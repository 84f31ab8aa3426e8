"""The demo's inbox: a few conversations on two brands' accounts, through the real ingestion.

The accounts are marked disconnected, so nothing ever calls a network for them; the items go
through reputation's authors and analysers and the inbox's own ingestion service, as a poll's
would (a first read: nobody is alerted). Idempotent: the external ids are fixed.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from agency.models import Membership, Role
from agency.tenancy import tenant_scope
from clients.models import AccountStatus, SocialAccount
from engagement.models import InternalNote
from engagement.services.conversations import conversation_assign, conversation_note_add
from engagement.services.ingest import owned_items_store
from reputation.language import detect_language
from reputation.owned_items import KIND_COMMENT, KIND_MENTION, OwnedBatch, OwnedItem
from reputation.sentiment.analysis import analyse
from reputation.services.authors import authors_upsert
from reputation.services.ingest import RawMention

# (brand slug, external id, kind, replies to, author, hours ago, text)
ITEMS = (
    (
        "cafe-zellige",
        "z-101",
        KIND_COMMENT,
        "z-post-1",
        "salma_b",
        30,
        "Service très lent ce matin à Maarif, 25 minutes pour un café.",
    ),
    (
        "cafe-zellige",
        "z-102",
        KIND_COMMENT,
        "z-101",
        "cafezellige",
        29,
        "Désolés Salma, nous en parlons à l'équipe de Maarif aujourd'hui.",
    ),
    (
        "cafe-zellige",
        "z-103",
        KIND_COMMENT,
        "z-102",
        "salma_b",
        5,
        "Merci pour la réponse, j'y retourne demain.",
    ),
    (
        "cafe-zellige",
        "z-104",
        KIND_COMMENT,
        "z-post-1",
        "youssef.k",
        3,
        "L9hwa dyalkom zwina bzaf, bravo!",
    ),
    (
        "cafe-zellige",
        "z-105",
        KIND_MENTION,
        "",
        "nadia_rbt",
        2,
        "@cafezellige vous ouvrez quand à Tanger ?",
    ),
    (
        "atlas-telecom",
        "t-201",
        KIND_MENTION,
        "",
        "karim_casa",
        1,
        "@atlastelecom la fibre est coupée depuis hier soir à Hay Riad, c'est nul.",
    ),
    (
        "atlas-telecom",
        "t-202",
        KIND_COMMENT,
        "t-post-1",
        "amina.e",
        8,
        "Great new offer, I switched yesterday and it works perfectly.",
    ),
)
ACCOUNTS = {"cafe-zellige": "cafezellige", "atlas-telecom": "atlastelecom"}
POSTS = {"cafe-zellige": "z-post-1", "atlas-telecom": "t-post-1"}


def _account(agency, brand, handle) -> tuple[SocialAccount, int]:
    account = SocialAccount.objects.filter(
        agency=agency, brand=brand, network="mastodon", external_id=f"demo-{handle}"
    ).first()
    if account is not None:
        return account, 0
    account = SocialAccount.objects.create(
        agency=agency,
        brand=brand,
        network="mastodon",
        external_id=f"demo-{handle}",
        handle=handle,
        display_name=f"{brand.name} (démo)",
        instance_url="https://mastodon.example",
        status=AccountStatus.REVOKED,
    )
    return account, 1


def inbox_seed(agency, brands: dict) -> int:
    """Bring the demo inbox to its known state. Returns how many rows were created."""
    created = 0
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    with tenant_scope(agency):
        for slug, handle in ACCOUNTS.items():
            account, new = _account(agency, brands[slug], handle)
            created += new
            rows = [item for item in ITEMS if item[0] == slug]
            raws = [
                RawMention(external_id=i[1], text=i[6], network="mastodon", author_handle=i[4])
                for i in rows
            ]
            authors = authors_upsert(agency.pk, raws, now)
            items = []
            for _slug, external_id, kind, parent, author, hours, text in rows:
                language = detect_language(text)
                sentiment = analyse(text, language)
                items.append(
                    OwnedItem(
                        external_id=external_id,
                        kind=kind,
                        text=text,
                        url="",
                        published_at=now - dt.timedelta(hours=hours),
                        language=language,
                        sentiment_label=sentiment.label,
                        sentiment_score=sentiment.score,
                        author_id=authors.get(("mastodon", author)),
                        author_handle=author,
                        author_name=author,
                        parent_external_id=parent,
                        post_external_id=POSTS[slug] if kind == KIND_COMMENT else "",
                    )
                )
            result = owned_items_store(
                OwnedBatch(
                    agency_id=agency.pk,
                    brand_id=account.brand_id,
                    social_account_id=account.pk,
                    network="mastodon",
                    items=items,
                    backfill=True,
                )
            )
            created += result.messages_created + result.conversations_created
        created += _triage(agency)
    return created


def _triage(agency) -> int:
    """One conversation taken by the community manager, with a note: the first time only."""
    from engagement.models import Conversation

    manager = Membership.objects.filter(agency=agency, role=Role.MANAGER).first()
    cm = Membership.objects.filter(agency=agency, role=Role.COMMUNITY_MANAGER).first()
    conversation = Conversation.objects.filter(thread_key="t-201").first()
    if manager is None or cm is None or conversation is None:
        return 0
    if InternalNote.objects.filter(conversation=conversation).exists():
        return 0
    conversation_assign(actor=manager, conversation=conversation, user_id=cm.user_id)
    conversation_note_add(
        actor=manager,
        conversation=conversation,
        body="Client fibre Hay Riad : vérifier l'incident réseau avant de répondre.",
    )
    return 1
