"""Reads of reports' own tables: the agency's templates, and the brands a report may be
previewed for (the actor's: a client role only its brands)."""

from __future__ import annotations

from django.db.models import QuerySet

from agency.models import ApiKey, Membership
from agency.visibility import get_visible_or_404
from clients.models import Brand
from clients.selectors import brand_get_for, brands_visible_to
from reports.models import ReportTemplate

Actor = Membership | ApiKey


def templates_visible_to(actor: Actor) -> QuerySet[ReportTemplate]:
    """The agency's report templates (agency-wide: client roles see the templates, and the
    reports of their own brands only)."""
    return ReportTemplate.objects.visible_to(actor).order_by("name", "id")


def template_get_for(*, actor: Actor, report_template_id) -> ReportTemplate:
    return get_visible_or_404(templates_visible_to(actor), report_template_id, actor=actor)


def report_brands(actor: Actor) -> QuerySet[Brand]:
    """The brands a report may be built for by ``actor`` (not archived)."""
    return brands_visible_to(actor)


def report_brand_get_for(*, actor: Actor, brand_id) -> Brand:
    """One brand the actor may see a report of; 404 for another agency's or, for a client
    role, a brand it was not given."""
    return brand_get_for(actor=actor, brand_id=brand_id)
