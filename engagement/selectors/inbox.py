"""Reads of the inbox list, narrowed to what the actor may see, in a fixed number of queries.

The list reads the conversation rows alone (language, sentiment and the preview repeat the
last inbound message's), joined to brand, account, assignee and author, with the labels in one
prefetch: the same number of queries for 5 conversations or 100,000.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Value
from django.db.models.functions import Concat, Lower
from django.utils import timezone

from agency.models import CLIENT_ROLES, Membership
from engagement.models import (
    AuthorList,
    BrandAuthor,
    Conversation,
    ConversationLabel,
    ConversationStatus,
    Direction,
    Label,
    Message,
)

# Saved views: a name -> what it narrows to (see ``conversations_list``).
VIEW_MINE = "mine"
VIEW_UNASSIGNED = "unassigned"
VIEW_NEGATIVE_TODAY = "negative_today"
SAVED_VIEWS = (VIEW_MINE, VIEW_UNASSIGNED, VIEW_NEGATIVE_TODAY)
ASSIGNEE_NONE = "none"
ABUSE_ANY = "any"


@dataclass(frozen=True)
class InboxFilters:
    view: str = ""
    brand_id: int | None = None
    account_id: int | None = None  # one of the brands' social accounts
    network: str = ""
    kind: str = ""
    status: str = ""
    assignee: str = ""  # a user id, or ASSIGNEE_NONE
    sentiment: str = ""
    language: str = ""
    label_id: int | None = None
    priority: int | None = None
    search: str = ""
    has_link: bool = False
    vip_author: bool = False
    abuse: str = ""  # an abuse label, or ABUSE_ANY


def conversations_visible_to(actor) -> QuerySet[Conversation]:
    return Conversation.objects.visible_to(actor)


def _today_start(tz) -> dt.datetime:
    today = timezone.now().astimezone(tz).date()
    return dt.datetime.combine(today, dt.time.min, tzinfo=tz)


def conversations_list(actor, filters: InboxFilters, *, tz) -> QuerySet[Conversation]:
    """The actor's inbox, newest first (network time), filtered."""
    queryset = conversations_visible_to(actor)
    f = filters
    if f.view == VIEW_MINE:
        queryset = queryset.filter(assignee_id=getattr(actor, "user_id", None)).exclude(
            status=ConversationStatus.CLOSED
        )
    elif f.view == VIEW_UNASSIGNED:
        queryset = queryset.filter(assignee__isnull=True).exclude(status=ConversationStatus.CLOSED)
    elif f.view == VIEW_NEGATIVE_TODAY:
        queryset = queryset.filter(sentiment="negative", last_inbound_at__gte=_today_start(tz))
    if f.brand_id:
        queryset = queryset.filter(brand_id=f.brand_id)
    if f.account_id:
        queryset = queryset.filter(social_account_id=f.account_id)
    if f.network:
        queryset = queryset.filter(network=f.network)
    if f.kind:
        queryset = queryset.filter(kind=f.kind)
    if f.status:
        queryset = queryset.filter(status=f.status)
    if f.assignee == ASSIGNEE_NONE:
        queryset = queryset.filter(assignee__isnull=True)
    elif f.assignee.isdigit():
        queryset = queryset.filter(assignee_id=int(f.assignee))
    if f.sentiment:
        queryset = queryset.filter(sentiment=f.sentiment)
    if f.language:
        queryset = queryset.filter(language=f.language)
    if f.priority is not None:
        queryset = queryset.filter(priority=f.priority)
    if f.label_id:
        queryset = queryset.filter(
            Exists(
                ConversationLabel.objects.filter(
                    conversation_id=OuterRef("pk"), label_id=f.label_id
                )
            )
        )
    queryset = _message_filters(queryset, f)
    if f.search:
        queryset = queryset.filter(
            Exists(
                Message.objects.filter(
                    conversation_id=OuterRef("pk"), text__icontains=f.search[:200]
                )
            )
        )
    return (
        # Only what a row shows: the account and the author are read by id (the page shows
        # the author's label kept on the row), so joining them would only build objects.
        queryset.select_related("brand", "assignee")
        .prefetch_related(Prefetch("labels", queryset=Label.objects.order_by("name")))
        .order_by("-last_message_at", "-id")
    )


def _message_filters(queryset: QuerySet[Conversation], f: InboxFilters) -> QuerySet:
    """Has a link, VIP author, abuse label: an author's message of the conversation has it.
    Subqueries on the message rows (indexed by conversation), so no extra query per row."""
    inbound = Message.objects.filter(conversation_id=OuterRef("pk"), direction=Direction.INBOUND)
    if f.has_link:
        queryset = queryset.filter(Exists(inbound.filter(has_link=True)))
    if f.abuse == ABUSE_ANY:
        queryset = queryset.filter(Exists(inbound.exclude(abuse_labels={})))
    elif f.abuse:
        queryset = queryset.filter(Exists(inbound.filter(abuse_labels__has_key=f.abuse)))
    if f.vip_author:
        # Handles are listed folded (lower case, no "@"); messages keep the network's spelling.
        vip = BrandAuthor.objects.filter(
            brand_id=OuterRef(OuterRef("brand_id")),
            network=OuterRef(OuterRef("network")),
            list=AuthorList.VIP,
        ).annotate(at_handle=Concat(Value("@"), "handle"))
        vip = vip.filter(Q(handle=OuterRef("folded")) | Q(at_handle=OuterRef("folded")))
        by_vip = inbound.annotate(folded=Lower("author_handle")).filter(Exists(vip))
        queryset = queryset.filter(Exists(by_vip))
    return queryset


def unread_count(actor) -> int:
    """The sidebar's count: conversations with something nobody has looked at, not closed."""
    return (
        conversations_visible_to(actor)
        .filter(unread=True)
        .exclude(status=ConversationStatus.CLOSED)
        .count()
    )


def labels_of_agency(actor) -> QuerySet[Label]:
    return Label.objects.filter(agency_id=actor.agency_id).order_by("name")


def team_of_agency(actor) -> QuerySet[Membership]:
    """Who a conversation may be assigned to: the agency's team (no client roles)."""
    return (
        Membership.objects.filter(agency_id=actor.agency_id)
        .exclude(role__in=CLIENT_ROLES)
        .select_related("user")
        .order_by("user__email")
    )
