"""Listening queries: create, change, delete. Each service takes the actor, checks its
permission, runs in one transaction and records an audit event."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from agency import permissions
from agency.services.audit import audit_record
from reputation import expressions
from reputation.models.queries import QUERY_FIELDS, ListeningQuery, validate_query_languages
from reputation.services.inputs import Actor, brand_for, words


def _clean_query_fields(fields: dict) -> dict:
    errors: dict[str, str | list[str]] = {}
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
        fields["excluded_words"] = words(fields["excluded_words"])
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
    brand = brand_for(actor, brand_id)
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
    audit_record(agency=actor.agency, actor=actor, verb="listening_query.created", target=query)
    return query


@transaction.atomic
def listening_query_update(*, actor: Actor, query: ListeningQuery, **fields) -> ListeningQuery:
    """Change a query; only the given fields change. The matcher picks it up at its next batch."""
    permissions.require(actor, permissions.LISTENING_MANAGE)
    unknown = set(fields).difference({*QUERY_FIELDS, "brand_id"})
    if unknown:
        raise ValueError(f"Not query fields: {sorted(unknown)}")
    if "brand_id" in fields:
        query.brand = brand_for(actor, fields.pop("brand_id"))
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
    audit_record(agency=actor.agency, actor=actor, verb="listening_query.updated", target=query)
    return query


@transaction.atomic
def listening_query_delete(*, actor: Actor, query: ListeningQuery) -> None:
    """Delete a query. Mentions it found stay (they may match other queries too)."""
    permissions.require(actor, permissions.LISTENING_MANAGE)
    audit_record(agency=actor.agency, actor=actor, verb="listening_query.deleted", target=query)
    query.delete()
