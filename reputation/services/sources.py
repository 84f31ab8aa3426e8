"""Sources: follow, change and stop following them. Each service takes the actor, checks its
permission, runs in one transaction and records an audit event. Polling is in
reputation.services.polling, OPML imports in reputation.services.source_imports."""

from __future__ import annotations

import contextlib

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agency import permissions
from agency.services.audit import audit_record
from networks.registry import adapter_class, display_name
from reputation.models.sources import SOURCE_EDITABLE_FIELDS, Source, SourceKind
from reputation.services.inputs import Actor, brand_for


def validate_feed_url(url: str) -> str:
    """The feed address, if the outbound guard would fetch it: an address on an internal
    network (also by a name resolving there) is refused now, and again at every poll."""
    from agency.outbound import outbound_url_problem

    url = (url or "").strip()
    if not url.lower().startswith(("http://", "https://")) or len(url) > 1000:
        raise ValidationError({"url": _("Enter the feed's address, starting with https://.")})
    problem = outbound_url_problem(url)
    if problem:
        raise ValidationError({"url": problem})
    return url


def listening_networks(kind: str) -> list[str]:
    """The networks a network source of ``kind`` can read, as their adapters declare it
    (``search_mentions`` for a search, ``read_comments`` for the brand's own comments): no
    list of networks is written here, so a new adapter's search is offered the day it lands."""
    from networks.registry import ADAPTERS

    wanted = "search_mentions" if kind == SourceKind.NETWORK_SEARCH else "read_comments"
    return [n.value for n, adapter in ADAPTERS.items() if getattr(adapter.capabilities, wanted)]


def feed_address_find(url: str) -> tuple[str, str, str]:
    """(feed address, page it was announced on, its title) for a feed's or a site's address.

    The address is fetched through the outbound guard (networks.discovery): a feed stays as
    it is; an HTML page gives its main feed (the first announced that is not a comments feed);
    a page that announces none is a ValidationError on ``url``. When the address cannot be
    read now (unreachable, an HTTP error, not a feed yet) it is kept as given: the poll reads
    it again and keeps the reason on the source, as for any feed that fails.
    """
    from agency.outbound import outbound_policy
    from networks.discovery import NoFeedFound, discover_feed
    from networks.feeds import FeedError

    try:
        found = discover_feed(url, policy=outbound_policy())
    except NoFeedFound:
        raise ValidationError(
            {
                "url": _(
                    "This page announces no RSS, Atom or JSON feed. Enter the feed's own "
                    "address, or the home page of a site that has one."
                )
            }
        ) from None
    except FeedError:
        return url, "", ""
    if found.page_url:
        validate_feed_url(found.feed_url)  # as for an address typed in: checked now
    return found.feed_url, found.page_url, found.title


def source_create(*, actor: Actor, kind: str, url: str = "", **fields) -> Source:
    """Add a source (:func:`_source_create`). A feed's address may be a site's page: the feed
    it announces is followed instead, and ``source.discovered_from`` is that page (empty
    when the address was the feed). The page is read before the transaction opens."""
    permissions.require(actor, permissions.LISTENING_MANAGE)
    discovered_from, title = "", ""
    if kind == SourceKind.RSS:
        try:
            url = validate_feed_url(url)
        except ValidationError:
            pass  # _source_create names it with the other fields' errors
        else:
            url, discovered_from, title = feed_address_find(url)
            if title and not (fields.get("name") or "").strip():
                fields["name"] = title
    source = _source_create(actor=actor, kind=kind, url=url, **fields)
    source.discovered_from = discovered_from
    return source


@transaction.atomic
def _source_create(
    *,
    actor: Actor,
    kind: str,
    name: str = "",
    url: str = "",
    brand_id: int | None = None,
    network: str = "",
    search_terms: str = "",
    poll_interval_minutes: int = 15,
    active: bool = True,
) -> Source:
    """Add a source. Feeds need an http(s) address and are unique per agency and brand;
    network searches need a brand and a network (and, to be polled, a connected account)."""
    permissions.require(actor, permissions.LISTENING_MANAGE)
    errors: dict[str, str | list[ValidationError]] = {}
    if kind not in SourceKind.values:
        errors["kind"] = _("Choose a kind of source.")
    name = (name or "").strip()[:200]
    brand = brand_for(actor, brand_id) if brand_id else None
    if kind == SourceKind.RSS:
        try:
            url = validate_feed_url(url)
        except ValidationError as exc:
            errors.update(exc.error_dict)
        name = name or url[:200]
    elif kind == SourceKind.DISCOURSE:
        try:
            url = validate_feed_url(url)
        except ValidationError as exc:
            errors.update(exc.error_dict)
        name = name or f"{url}: {search_terms}".rstrip(": ")[:200]
    elif kind == SourceKind.REDDIT:
        from reputation.services.web_sources import REDDIT_NOT_CONFIGURED, reddit_configured

        if not reddit_configured():
            errors["kind"] = REDDIT_NOT_CONFIGURED()
        if not search_terms.strip():
            errors["search_terms"] = _("Say what to search for.")
        url = ""
        name = name or f"Reddit: {search_terms}"[:200]
    elif kind in (SourceKind.NETWORK_SEARCH, SourceKind.OWNED_COMMENTS):
        if brand is None:
            errors["brand"] = _("A network source belongs to one brand.")
        if network not in listening_networks(kind):
            errors["network"] = _("Choose a network.")
        if kind == SourceKind.NETWORK_SEARCH and not search_terms.strip():
            errors["search_terms"] = _("Say what to search for.")
        name = name or f"{network}: {search_terms}"[:200]
    interval_error = _interval_error(kind, network, poll_interval_minutes)
    if interval_error:
        errors["poll_interval_minutes"] = interval_error
    if errors:
        raise ValidationError(errors)
    duplicate = Source.objects.filter(
        kind=kind, url=url, network=network, search_terms=search_terms.strip(), brand=brand
    )
    if duplicate.exists():
        raise ValidationError({"url": _("This source is already followed.")})
    try:
        with transaction.atomic():
            source = Source.objects.create(
                agency_id=actor.agency_id,
                kind=kind,
                name=name,
                url=url,
                brand=brand,
                network=network,
                search_terms=search_terms.strip(),
                poll_interval_minutes=poll_interval_minutes,
                active=active,
                next_poll_at=timezone.now(),
            )
    except IntegrityError:
        raise ValidationError({"url": _("This source is already followed.")}) from None
    audit_record(agency=actor.agency, actor=actor, verb="source.created", target=source)
    return source


def _interval_error(kind: str, network: str, minutes) -> str:
    """Why ``minutes`` is no interval for this source ("" when it is one). A network whose
    searches are expensive (YouTube: 100 of the day's 10,000 quota units each) says how often
    a search source may poll at most (the adapter's ``min_search_interval_minutes``)."""
    fastest = 5
    if kind == SourceKind.NETWORK_SEARCH and network:
        with contextlib.suppress(ValueError):  # an unknown network is refused on its field
            fastest = max(fastest, adapter_class(network).min_search_interval_minutes)
    if not fastest <= int(minutes or 0) <= 24 * 60:
        if fastest > 5:
            return _(
                "%(network)s searches use much of its daily quota: poll between every "
                "%(minutes)s minutes and once a day."
            ) % {"network": display_name(network), "minutes": fastest}
        return _("Poll between every 5 minutes and once a day.")
    return ""


def source_update(*, actor: Actor, source: Source, **fields) -> Source:
    """Change a source (:func:`_source_update`). A feed's new address may be a site's page,
    as for :func:`source_create` (``source.discovered_from``)."""
    permissions.require(actor, permissions.LISTENING_MANAGE)
    discovered_from = ""
    if "url" in fields and source.kind == SourceKind.RSS:
        url = validate_feed_url(fields["url"])
        if url != source.url:
            url, discovered_from, _title = feed_address_find(url)
        fields["url"] = url
    source = _source_update(actor=actor, source=source, **fields)
    source.discovered_from = discovered_from
    return source


@transaction.atomic
def _source_update(*, actor: Actor, source: Source, **fields) -> Source:
    """Change a source's name, address, interval or active state. Re-activating a source
    clears its failure count so that it is polled at the next dispatch."""
    permissions.require(actor, permissions.LISTENING_MANAGE)
    unknown = set(fields).difference(SOURCE_EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"Not source fields: {sorted(unknown)}")
    if "url" in fields and source.kind in (SourceKind.RSS, SourceKind.DISCOURSE):
        fields["url"] = validate_feed_url(fields["url"])
        if fields["url"] != source.url:
            source.cursor = "" if source.kind == SourceKind.DISCOURSE else source.cursor
            source.etag = source.last_modified = ""
    if "poll_interval_minutes" in fields:
        interval_error = _interval_error(
            source.kind, source.network, fields["poll_interval_minutes"]
        )
        if interval_error:
            raise ValidationError({"poll_interval_minutes": interval_error})
    if fields.get("active") and not source.active:
        source.consecutive_failures = 0
        source.next_poll_at = timezone.now()
    for key, value in fields.items():
        setattr(source, key, value)
    source.save()
    audit_record(agency=actor.agency, actor=actor, verb="source.updated", target=source)
    return source


@transaction.atomic
def source_delete(*, actor: Actor, source: Source) -> None:
    """Stop following a source. Its mentions stay, without a source."""
    permissions.require(actor, permissions.LISTENING_MANAGE)
    audit_record(agency=actor.agency, actor=actor, verb="source.deleted", target=source)
    source.delete()
