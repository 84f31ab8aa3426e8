"""Authors of ingested mentions: created or refreshed in a fixed number of statements."""

from __future__ import annotations

from typing import TYPE_CHECKING

from reputation.models.mentions import Author
from reputation.text import normalise

if TYPE_CHECKING:
    from reputation.services.ingest import RawMention


def raw_handle(raw: RawMention) -> str:
    """The author's handle as stored: the handle, else the name, capped."""
    return (raw.author_handle or raw.author_name).strip()[:200]


def authors_upsert(agency_id: int, raws: list[RawMention], now) -> dict[tuple[str, str], int]:
    """Create or refresh the authors of a batch; returns (network, handle) -> author id.

    Four statements whatever the batch size: read the known, insert the new (a concurrent
    insert of the same author is ignored), read the new ids, touch ``last_seen_at``.
    """
    wanted: dict[tuple[str, str], RawMention] = {}
    for raw in raws:
        handle = raw_handle(raw)
        if handle:
            wanted[(raw.network[:20], handle)] = raw
    if not wanted:
        return {}

    def read(keys):
        return Author.objects.filter(
            network__in={n for n, _ in keys},
            handle__in={h for _, h in keys},
        ).values_list("network", "handle", "id", "followers")

    found: dict[tuple[str, str], int] = {}
    stale = []
    for network, handle, author_id, followers in read(wanted):
        if (network, handle) in wanted:
            found[(network, handle)] = author_id
            new = wanted[(network, handle)].author_followers
            if new is not None and new != followers:
                stale.append(Author(pk=author_id, followers=new))
    missing = {key: raw for key, raw in wanted.items() if key not in found}
    if missing:
        Author.objects.bulk_create(
            [
                Author(
                    agency_id=agency_id,
                    network=network,
                    handle=handle,
                    name=normalise(raw.author_name, max_chars=200),
                    followers=raw.author_followers,
                    url=raw.author_url[:1000]
                    if raw.author_url.lower().startswith(("http://", "https://"))
                    else "",
                    first_seen_at=now,
                    last_seen_at=now,
                )
                for (network, handle), raw in missing.items()
            ],
            ignore_conflicts=True,
            batch_size=500,
        )
        for network, handle, author_id, _followers in read(missing):
            if (network, handle) in missing:
                found[(network, handle)] = author_id
    known = [author_id for key, author_id in found.items() if key not in missing]
    if known:
        Author.objects.filter(pk__in=known).update(last_seen_at=now)
    if stale:
        Author.objects.bulk_update(stale, ["followers"])
    return found
