"""Who else has a conversation open, and who is typing in it (the collision guard's display).

Each open page beats every few seconds; a beat is one cache key per (agency, conversation,
person) that expires after ``PRESENCE_TTL_SECONDS``: a closed tab disappears by itself, and two
people beating at once never overwrite each other (no shared list to read and write back).
Reading the others is one ``get_many`` over the agency's people. Nothing here is stored in the
database: presence is a hint, the refusal of a stale send is the guarantee (services/actions).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.cache import cache

from agency.models import Membership

PRESENCE_TTL_SECONDS = 15
BEAT_SECONDS = 5  # how often the page beats; well inside the TTL so one late beat is harmless


@dataclass(frozen=True)
class Presence:
    user_id: int
    name: str
    typing: bool


def _key(agency_id: int, conversation_id: int, user_id: int) -> str:
    return f"inbox-presence:{agency_id}:{conversation_id}:{user_id}"


def presence_beat(*, actor: Membership, conversation, typing: bool) -> None:
    """Record that ``actor`` has ``conversation`` open (and is typing, or not) for the next
    ``PRESENCE_TTL_SECONDS``. The conversation was fetched through the actor's visibility."""
    assert conversation.agency_id == actor.agency_id
    user = actor.user
    cache.set(
        _key(actor.agency_id, conversation.pk, actor.user_id),
        {"name": user.full_name or user.email, "typing": bool(typing)},
        PRESENCE_TTL_SECONDS,
    )


def presence_others(*, actor: Membership, conversation) -> list[Presence]:
    """The other people of the agency with the conversation open now, by name."""
    assert conversation.agency_id == actor.agency_id
    user_ids = (
        Membership.objects.filter(agency_id=actor.agency_id)
        .exclude(user_id=actor.user_id)
        .values_list("user_id", flat=True)
    )
    keys = {_key(actor.agency_id, conversation.pk, uid): uid for uid in user_ids}
    found = cache.get_many(list(keys))
    return sorted(
        (
            Presence(user_id=keys[key], name=str(value["name"]), typing=bool(value["typing"]))
            for key, value in found.items()
        ),
        key=lambda p: p.name.lower(),
    )
