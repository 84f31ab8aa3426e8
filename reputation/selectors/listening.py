"""Reads of listening (queries, sources, imports, mentions, authors), narrowed to what the
actor may see.

Client roles see only the brands their BrandAccess names: every list here filters on the brands
visible to the actor, and the fetch-by-id helpers answer 404 for "missing" and "not yours".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Max, Q, QuerySet

from agency.models import CLIENT_ROLES, ApiKey, Membership, User
from agency.visibility import get_visible_or_404
from clients.models import Brand
from clients.selectors import brands_visible_to
from reputation.models.mentions import Author, Mention, MentionMatch
from reputation.models.queries import ListeningQuery
from reputation.models.sources import Source, SourceImport

Actor = Membership | ApiKey
ABUSE_ANY = "any"  # the abuse filter's value for "some abuse label, whichever"


def is_client(actor: Actor) -> bool:
    return isinstance(actor, Membership) and actor.is_client


# --- Queries and sources --------------------------------------------------------------------


def listening_queries_visible_to(actor: Actor, *, brand_id=None) -> QuerySet[ListeningQuery]:
    queryset = ListeningQuery.objects.visible_to(actor).select_related("brand")
    if brand_id:
        queryset = queryset.filter(brand_id=brand_id)
    return queryset.order_by("brand__name", "is_competitor", "name", "id")


def listening_query_get_for(*, actor: Actor, listening_query_id) -> ListeningQuery:
    return get_visible_or_404(listening_queries_visible_to(actor), listening_query_id, actor=actor)


def sources_visible_to(actor: Actor, *, brand_id=None) -> QuerySet[Source]:
    """Agency-wide feeds and the actor's brands' sources (clients: their brands' only)."""
    queryset = Source.objects.visible_to(actor)
    if brand_id:
        queryset = queryset.filter(Q(brand_id=brand_id) | Q(brand=None))
    return queryset.select_related("brand").order_by("name", "id")


def source_get_for(*, actor: Actor, source_id) -> Source:
    return get_visible_or_404(sources_visible_to(actor), source_id, actor=actor)


def source_import_get_for(*, actor: Actor, source_import_id) -> SourceImport:
    """One OPML import of the actor's agency (404 for another agency's or a missing one)."""
    imports = SourceImport.objects.select_related("brand")
    return get_visible_or_404(imports, source_import_id, actor=actor)


# --- Mentions -------------------------------------------------------------------------------


@dataclass
class MentionFilters:
    brand_id: int | None = None
    query_id: int | None = None
    source_id: int | None = None
    author_id: int | None = None
    sentiment: str = ""
    abuse: str = ""  # an abuse label ("insult"), or "any" for every labelled mention
    language: str = ""
    since: dt.datetime | None = None
    until: dt.datetime | None = None
    search: str = ""
    tag: str = ""
    reviewed: bool | None = None
    assigned_to_id: int | None = None
    voice: str | None = None  # "" = the brand itself; a competitor's name; None = all


def mentions_visible_to(actor: Actor) -> QuerySet[Mention]:
    return Mention.objects.visible_to(actor)


def mentions_list(actor: Actor, filters: MentionFilters | None = None) -> QuerySet[Mention]:
    """The mention stream: newest first, with what a row shows fetched in the same query."""
    f = filters or MentionFilters()
    queryset = mentions_visible_to(actor)
    if f.brand_id:
        queryset = queryset.filter(brand_id=f.brand_id)
    if f.query_id:
        queryset = queryset.filter(
            pk__in=MentionMatch.objects.filter(
                agency_id=actor.agency_id, query_id=f.query_id
            ).values("mention_id")
        )
    if f.source_id:
        queryset = queryset.filter(source_id=f.source_id)
    if f.author_id:
        queryset = queryset.filter(author_id=f.author_id)
    if f.sentiment:
        queryset = queryset.filter(sentiment_label=f.sentiment)
    if f.language:
        queryset = queryset.filter(language=f.language)
    if f.abuse == ABUSE_ANY:
        queryset = queryset.exclude(abuse_labels={})
    elif f.abuse:
        queryset = queryset.filter(abuse_labels__has_key=f.abuse)
    if f.since:
        queryset = queryset.filter(published_at__gte=f.since)
    if f.until:
        queryset = queryset.filter(published_at__lt=f.until)
    if f.search:
        for word in f.search.split()[:5]:
            queryset = queryset.filter(Q(text__icontains=word) | Q(title__icontains=word))
    if f.tag:
        queryset = queryset.filter(tags__icontains=f'"{f.tag}"')
    if f.reviewed is not None:
        queryset = queryset.filter(reviewed=f.reviewed)
    if f.assigned_to_id:
        queryset = queryset.filter(assigned_to_id=f.assigned_to_id)
    if f.voice is not None:
        queryset = queryset.filter(voice=f.voice)
    return queryset.select_related("brand", "source", "author", "assigned_to").order_by(
        "-published_at", "-id"
    )


def mentions_newest_id(actor: Actor, filters: MentionFilters | None = None) -> int:
    """The highest id among the stream's mentions (0 for none): the live stream's cursor.
    Ids, not publication times, say what arrived since: a feed may bring today an article
    published last week, and it is new to whoever watches the stream."""
    return mentions_list(actor, filters).aggregate(newest=Max("id"))["newest"] or 0


def mentions_arrived_after(
    actor: Actor, filters: MentionFilters | None, *, after_id: int
) -> QuerySet[Mention]:
    """The stream's mentions (same filters, same narrowing) stored after the mention
    ``after_id``, newest first."""
    return mentions_list(actor, filters).filter(pk__gt=after_id)


def mention_get_for(*, actor: Actor, mention_id) -> Mention:
    return get_visible_or_404(mentions_list(actor), mention_id, actor=actor)


# --- Authors (influencers) and sources ranked -----------------------------------------------


def authors_visible_to(actor: Actor) -> QuerySet[Author]:
    """Authors of the agency; for clients, those who wrote about their brands."""
    queryset = Author.objects.visible_to(actor)
    if is_client(actor):
        queryset = queryset.filter(pk__in=Mention.objects.visible_to(actor).values("author_id"))
    return queryset.order_by("-followers", "handle", "id")


def author_get_for(*, actor: Actor, author_id) -> Author:
    return get_visible_or_404(authors_visible_to(actor), author_id, actor=actor)


def brands_for_filters(actor: Actor) -> QuerySet[Brand]:
    return brands_visible_to(actor)


def agency_team(actor: Actor) -> QuerySet[Membership]:
    """The agency's team (no client roles), by e-mail: who a mention or an incident may be
    assigned to."""
    return (
        Membership.objects.filter(agency_id=actor.agency_id)
        .exclude(role__in=CLIENT_ROLES)
        .select_related("user")
        .order_by("user__email")
    )


def agency_user(actor: Actor, *, user_id) -> User | None:
    """The user behind one of the agency's memberships (any role), or None."""
    member = (
        Membership.objects.filter(agency_id=actor.agency_id, user_id=user_id)
        .select_related("user")
        .first()
    )
    return member.user if member else None
