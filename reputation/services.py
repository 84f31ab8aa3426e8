"""Every write of the listening app (the ingestion pipeline is reputation.pipeline, polling is
reputation.polling). Each service takes the actor explicitly, checks its permission, runs in
one transaction and records an audit event where a person acted.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agency import permissions
from agency.models import ApiKey, Membership
from agency.services import audit_record
from clients.models import Brand
from clients.selectors import brands_visible_to
from reputation import expressions
from reputation.models import (
    ListeningQuery,
    Mention,
    SentimentCorrection,
    SentimentLabel,
    Source,
    SourceKind,
    validate_query_languages,
)
from reputation.pipeline import rollups_recompute
from reputation.sentiment import NEGATIVE_THRESHOLD, POSITIVE_THRESHOLD

Actor = Membership | ApiKey
MAX_TAGS = 20
MAX_TAG_CHARS = 40


def _brand_for(actor: Actor, brand_id) -> Brand:
    brand = brands_visible_to(actor, include_archived=True).filter(pk=brand_id).first()
    if brand is None:
        raise ValidationError({"brand": _("Choose one of your brands.")})
    return brand


def _words(value) -> list[str]:
    if isinstance(value, str):
        value = value.replace("\n", ",").split(",")
    return [" ".join(str(w).split()) for w in value or [] if str(w).strip()][:100]


def _agency(actor: Actor):
    return actor.agency


# --- Queries --------------------------------------------------------------------------------


def _clean_query_fields(fields: dict) -> dict:
    errors = {}
    if "name" in fields:
        fields["name"] = (fields["name"] or "").strip()
        if not fields["name"]:
            errors["name"] = _("Give the query a name.")
    if "expression" in fields:
        try:
            expressions.parse(fields["expression"] or "")
        except expressions.ExpressionError as exc:
            errors["expression"] = exc.message
    if "excluded_words" in fields:
        fields["excluded_words"] = _words(fields["excluded_words"])
    if "languages" in fields:
        fields["languages"] = list(fields["languages"] or [])
        try:
            validate_query_languages(fields["languages"])
        except ValidationError as exc:
            errors["languages"] = exc.messages
    if fields.get("is_competitor") and not (fields.get("competitor_name") or "").strip():
        errors["competitor_name"] = _("Name the competitor this query follows.")
    if errors:
        raise ValidationError(errors)
    return fields


@transaction.atomic
def listening_query_create(
    *,
    actor: Actor,
    brand_id: int,
    name: str,
    expression: str,
    excluded_words=None,
    languages=None,
    is_competitor: bool = False,
    competitor_name: str = "",
    active: bool = True,
) -> ListeningQuery:
    """Create a query for one of the actor's brands. The expression is parsed first; an
    invalid one is refused with an error naming the character where the problem is."""
    permissions.require(actor, permissions.LISTENING_MANAGE)
    brand = _brand_for(actor, brand_id)
    fields = _clean_query_fields(
        {
            "name": name,
            "expression": expression,
            "excluded_words": excluded_words or [],
            "languages": languages or [],
            "is_competitor": is_competitor,
            "competitor_name": competitor_name or "",
        }
    )
    if ListeningQuery.objects.filter(brand=brand, name__iexact=fields["name"]).exists():
        raise ValidationError({"name": _("This brand already has a query with this name.")})
    query = ListeningQuery.objects.create(
        agency_id=actor.agency_id, brand=brand, active=active, **fields
    )
    audit_record(agency=_agency(actor), actor=actor, verb="listening_query.created", target=query)
    return query


@transaction.atomic
def listening_query_update(*, actor: Actor, query: ListeningQuery, **fields) -> ListeningQuery:
    """Change a query; only the given fields change. The matcher picks it up at its next batch."""
    permissions.require(actor, permissions.LISTENING_MANAGE)
    allowed = {
        "name",
        "expression",
        "excluded_words",
        "languages",
        "is_competitor",
        "competitor_name",
        "active",
        "brand_id",
    }
    unknown = set(fields) - allowed
    if unknown:
        raise ValueError(f"Not query fields: {sorted(unknown)}")
    if "brand_id" in fields:
        query.brand = _brand_for(actor, fields.pop("brand_id"))
    merged = {"competitor_name": query.competitor_name, **fields}
    if "is_competitor" not in merged:
        merged["is_competitor"] = query.is_competitor
    fields = _clean_query_fields(merged)
    name = fields.get("name", query.name)
    clash = ListeningQuery.objects.filter(brand=query.brand, name__iexact=name).exclude(pk=query.pk)
    if clash.exists():
        raise ValidationError({"name": _("This brand already has a query with this name.")})
    for key, value in fields.items():
        setattr(query, key, value)
    query.save()
    audit_record(agency=_agency(actor), actor=actor, verb="listening_query.updated", target=query)
    return query


@transaction.atomic
def listening_query_delete(*, actor: Actor, query: ListeningQuery) -> None:
    """Delete a query. Mentions it found stay (they may match other queries too)."""
    permissions.require(actor, permissions.LISTENING_MANAGE)
    audit_record(agency=_agency(actor), actor=actor, verb="listening_query.deleted", target=query)
    query.delete()


# --- Sources --------------------------------------------------------------------------------


def _validate_feed_url(url: str) -> str:
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


@transaction.atomic
def source_create(
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
    errors = {}
    if kind not in SourceKind.values:
        errors["kind"] = _("Choose a kind of source.")
    name = (name or "").strip()[:200]
    brand = _brand_for(actor, brand_id) if brand_id else None
    if kind == SourceKind.RSS:
        try:
            url = _validate_feed_url(url)
        except ValidationError as exc:
            errors.update(exc.error_dict)
        name = name or url[:200]
    elif kind in (SourceKind.NETWORK_SEARCH, SourceKind.OWNED_COMMENTS):
        from networks.registry import ADAPTERS

        if brand is None:
            errors["brand"] = _("A network source belongs to one brand.")
        if network not in {n.value for n in ADAPTERS}:
            errors["network"] = _("Choose a network.")
        if kind == SourceKind.NETWORK_SEARCH and not search_terms.strip():
            errors["search_terms"] = _("Say what to search for.")
        name = name or f"{network}: {search_terms}"[:200]
    if not 5 <= int(poll_interval_minutes or 0) <= 24 * 60:
        errors["poll_interval_minutes"] = _("Poll between every 5 minutes and once a day.")
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
    audit_record(agency=_agency(actor), actor=actor, verb="source.created", target=source)
    return source


@transaction.atomic
def source_update(*, actor: Actor, source: Source, **fields) -> Source:
    """Change a source's name, address, interval or active state. Re-activating a source
    clears its failure count so that it is polled at the next dispatch."""
    permissions.require(actor, permissions.LISTENING_MANAGE)
    allowed = {"name", "url", "poll_interval_minutes", "active", "search_terms"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValueError(f"Not source fields: {sorted(unknown)}")
    if "url" in fields and source.kind == SourceKind.RSS:
        fields["url"] = _validate_feed_url(fields["url"])
        if fields["url"] != source.url:
            source.etag = source.last_modified = ""
    if "poll_interval_minutes" in fields and not 5 <= int(fields["poll_interval_minutes"]) <= 1440:
        raise ValidationError(
            {"poll_interval_minutes": _("Poll between every 5 minutes and once a day.")}
        )
    if fields.get("active") and not source.active:
        source.consecutive_failures = 0
        source.next_poll_at = timezone.now()
    for key, value in fields.items():
        setattr(source, key, value)
    source.save()
    audit_record(agency=_agency(actor), actor=actor, verb="source.updated", target=source)
    return source


@transaction.atomic
def source_delete(*, actor: Actor, source: Source) -> None:
    """Stop following a source. Its mentions stay, without a source."""
    permissions.require(actor, permissions.LISTENING_MANAGE)
    audit_record(agency=_agency(actor), actor=actor, verb="source.deleted", target=source)
    source.delete()


# --- Mentions: triage -----------------------------------------------------------------------


@transaction.atomic
def mention_correct_sentiment(*, actor: Actor, mention: Mention, label: str) -> Mention:
    """Set a mention's sentiment by hand. The analyser's verdict is kept in a
    SentimentCorrection (to measure the analyser) and the hour's rollup is recomputed."""
    permissions.require(actor, permissions.MENTIONS_TRIAGE)
    if label not in SentimentLabel.values:
        raise ValidationError({"label": _("Choose positive, neutral or negative.")})
    if label == mention.sentiment_label and mention.sentiment_corrected:
        return mention
    SentimentCorrection.objects.create(
        agency_id=mention.agency_id,
        mention=mention,
        text=f"{mention.title}. {mention.text}" if mention.title else mention.text,
        language=mention.language,
        previous_label=mention.sentiment_label,
        previous_score=mention.sentiment_score,
        label=label,
        corrected_by=actor.user if isinstance(actor, Membership) else None,
    )
    mention.sentiment_label = label
    mention.sentiment_score = {
        "positive": max(mention.sentiment_score, POSITIVE_THRESHOLD, 0.5),
        "negative": min(mention.sentiment_score, NEGATIVE_THRESHOLD, -0.5),
        "neutral": 0.0,
    }[label]
    mention.sentiment_corrected = True
    mention.save(update_fields=["sentiment_label", "sentiment_score", "sentiment_corrected"])
    rollups_recompute(
        agency_id=mention.agency_id,
        brand_ids=[mention.brand_id],
        since=mention.published_at,
        until=mention.published_at,
    )
    audit_record(
        agency=_agency(actor),
        actor=actor,
        verb="mention.sentiment_corrected",
        target=mention,
        data={"label": label},
    )
    return mention


def _clean_tags(tags) -> list[str]:
    cleaned = []
    for tag in _words(tags):
        tag = tag[:MAX_TAG_CHARS]
        if tag.lower() not in {t.lower() for t in cleaned}:
            cleaned.append(tag)
    if len(cleaned) > MAX_TAGS:
        raise ValidationError({"tags": _("At most %(max)d tags.") % {"max": MAX_TAGS}})
    return cleaned


@transaction.atomic
def mention_triage(
    *,
    actor: Actor,
    mention: Mention,
    tags=None,
    assigned_to_id: int | None | str = "",
    reviewed: bool | None = None,
) -> Mention:
    """Tag, assign (to a member of the agency; None to unassign) or mark reviewed.
    Arguments left out do not change."""
    permissions.require(actor, permissions.MENTIONS_TRIAGE)
    changed = []
    if tags is not None:
        mention.tags = _clean_tags(tags)
        changed.append("tags")
    if assigned_to_id != "":
        if assigned_to_id is not None:
            member = Membership.objects.filter(user_id=assigned_to_id).exclude(
                role__in=["client_approver", "client_viewer"]
            )
            if not member.exists():
                raise ValidationError(
                    {"assigned_to": _("Assign the mention to a member of the agency team.")}
                )
        mention.assigned_to_id = assigned_to_id
        changed.append("assigned_to")
    if reviewed is not None:
        mention.reviewed = bool(reviewed)
        changed.append("reviewed")
    if changed:
        mention.save(update_fields=changed)
        audit_record(
            agency=_agency(actor),
            actor=actor,
            verb="mention.triaged",
            target=mention,
            data={"fields": changed},
        )
    return mention
