"""The current agency, and the manager that refuses to read tenant rows without one.

The agency lives in a ContextVar, set by the dashboard middleware, the API base view, the Celery
task base class, and tests (``tenant_scope``). The scoped manager fails *closed*: no agency set
means an exception, never every agency's rows. Code that must span agencies (dispatchers,
rollups, authentication look-ups) says so by using the ``unscoped`` manager by name.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import models

_current_agency_id: ContextVar[int | None] = ContextVar("current_agency_id", default=None)


class NoTenantError(RuntimeError):
    """Tenant data was queried outside any agency scope."""


def current_agency_id() -> int:
    agency_id = _current_agency_id.get()
    if agency_id is None:
        raise NoTenantError(
            "No agency is set for this query. Enter tenant_scope(agency) first, or use the "
            "model's `unscoped` manager in code that deliberately spans agencies."
        )
    return agency_id


def current_agency_id_or_none() -> int | None:
    return _current_agency_id.get()


@contextmanager
def tenant_scope(agency_or_id) -> Iterator[int]:
    """Run the block with the given agency as the tenant; restores the previous one after."""
    agency_id = getattr(agency_or_id, "pk", agency_or_id)
    if agency_id is None:
        raise NoTenantError("tenant_scope needs a saved agency or an agency id.")
    token = _current_agency_id.set(int(agency_id))
    try:
        yield int(agency_id)
    finally:
        _current_agency_id.reset(token)


class CurrentAgencyId(models.Expression):
    """The current agency id, read when the query is compiled to SQL, not when it is built.

    So a queryset may be built anywhere (a form field, a library reading `.query`) but reads
    rows only inside a tenant scope: outside one, compiling it raises NoTenantError.
    """

    output_field = models.BigIntegerField()

    def as_sql(self, compiler, connection):
        return "%s", [current_agency_id()]


class TenantManager(models.Manager):
    """Default manager of tenant models: every query is filtered by the current agency."""

    def get_queryset(self):
        return super().get_queryset().filter(agency_id=CurrentAgencyId())


class TenantModel(models.Model):
    """Base of every tenant-owned table: an ``agency`` column, a scoped and an unscoped manager.

    ``objects`` is the scoped default; ``unscoped`` is the base manager too, so that Django's
    own machinery (cascading deletes, related-object access from an object already fetched)
    works without a tenant set.
    """

    agency = models.ForeignKey("agency.Agency", on_delete=models.CASCADE, related_name="+")

    objects = TenantManager()
    unscoped = models.Manager()

    class Meta:
        abstract = True
        base_manager_name = "unscoped"
