"""The current agency, and the manager that refuses to read tenant rows without one.

The agency lives in a ContextVar, set by the dashboard middleware, the API base view, the Celery
task base class, and tests (``tenant_scope``). The scoped manager fails *closed*: no agency set
means an exception, never every agency's rows. Code that must span agencies (dispatchers,
rollups, authentication look-ups) says so by using the ``unscoped`` manager by name.

Writes are guarded too: inside a tenant scope, saving, bulk-creating or moving a row to another
agency raises TenantMismatchError. Outside any scope writes are allowed, because the only code
that runs there is cross-agency by construction (management commands, admin, migrations, the
``*_across_agencies`` dispatchers before they enter a scope, test set-up) and a tenant row
cannot be saved without naming its agency explicitly: there is no current agency to default to.
Reading tenant rows outside a scope still fails closed (``objects``), so such code could only
have reached another agency's rows through ``unscoped``, by name.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import models
from django.db.models.manager import ManagerDescriptor

from agency import rls

_current_agency_id: ContextVar[int | None] = ContextVar("current_agency_id", default=None)


class NoTenantError(RuntimeError):
    """Tenant data was queried outside any agency scope."""


class TenantMismatchError(RuntimeError):
    """A tenant row of another agency was written inside a tenant scope."""


def check_writable(agency_id) -> None:
    """Refuse a write of a row of ``agency_id`` when a different agency's scope is current."""
    current = _current_agency_id.get()
    if current is not None and agency_id != current:
        raise TenantMismatchError(
            f"A row of agency {agency_id} was written inside the scope of agency {current}. "
            "Enter tenant_scope() of the row's agency first."
        )


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


def _single_agency(objs) -> int | None:
    """The one agency of rows written outside a scope (RLS lets them through for it), or None."""
    agencies = {obj.agency_id for obj in objs}
    return agencies.pop() if len(agencies) == 1 else None


class TenantQuerySet(models.QuerySet):
    """Querysets of tenant models: the actor narrowing, and guarded bulk writes."""

    _visible_to = None  # the actor this queryset was narrowed for, if any
    _across_agencies = False  # built from the unscoped manager (RLS: cross-agency mode)

    def visible_to(self, actor):
        """The rows ``actor`` may see: its agency's, and for client roles only its brands'.

        The one client-brand narrowing of the product (agency/visibility.py says how a model
        reaches its brand); the API base class and the ``*_get_for`` helpers apply it. Applying
        it twice for the same actor adds nothing to the query.
        """
        from agency.visibility import narrow_to_actor

        if actor is not None and self._visible_to is actor:
            return self
        narrowed = narrow_to_actor(self, actor)
        narrowed._visible_to = actor
        return narrowed

    def _clone(self):
        clone = super()._clone()
        clone._visible_to = self._visible_to
        clone._across_agencies = self._across_agencies
        return clone

    # Combining querysets can widen them: the result is no longer known to be narrowed.
    def __or__(self, other):
        combined = super().__or__(other)
        combined._visible_to = None
        return combined

    def __xor__(self, other):
        combined = super().__xor__(other)
        combined._visible_to = None
        return combined

    def _combinator_query(self, *args, **kwargs):
        combined = super()._combinator_query(*args, **kwargs)
        combined._visible_to = None
        return combined

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        for obj in objs:
            check_writable(obj.agency_id)
        with rls.db_agency(_single_agency(objs)):
            return super().bulk_create(objs, *args, **kwargs)

    def bulk_update(self, objs, fields, *args, **kwargs):
        objs = list(objs)
        if {"agency", "agency_id"} & set(fields):
            for obj in objs:
                check_writable(obj.agency_id)
        return super().bulk_update(objs, fields, *args, **kwargs)

    def update(self, **kwargs):
        for name in ("agency", "agency_id"):
            if name in kwargs:
                check_writable(getattr(kwargs[name], "pk", kwargs[name]))
        return super().update(**kwargs)

    def delete(self):
        # Django deletes the rows it collected by primary key, in statements that no longer
        # carry the unscoped manager's cross-agency mark: keep the mode for the whole cascade.
        if self._across_agencies:
            with rls.across_agencies():
                return super().delete()
        return super().delete()


class TenantManager(models.Manager.from_queryset(TenantQuerySet)):
    """Default manager of tenant models: every query is filtered by the current agency."""

    def get_queryset(self):
        return super().get_queryset().filter(agency_id=CurrentAgencyId())


class UnscopedManager(models.Manager.from_queryset(TenantQuerySet)):
    """The named cross-agency manager, and the base manager Django's own machinery uses.

    Read from an instance (a forward foreign key ``variant.post``, a reverse one-to-one,
    ``refresh_from_db``), Django passes that instance as a hint: the read is then narrowed to
    the instance's agency, so a row never reaches another agency's row through a relation,
    in or out of a tenant scope. Other uses (cascading deletes, ``Model.unscoped`` by name)
    are not narrowed.
    """

    def get_queryset(self):
        queryset = super().get_queryset()
        agency_id = getattr(self._hints.get("instance"), "agency_id", None)
        if agency_id is not None:
            # The database too reads this one agency's rows, in a scope or outside one.
            return queryset.filter(rls.RlsMark(agency_id), agency_id=agency_id)
        if self._hints.get("across_agencies"):
            # Named cross-agency reads say so to the database (RLS cross-agency mode).
            queryset = queryset.filter(rls.RlsMark())
            queryset._across_agencies = True
        return queryset

    def contribute_to_class(self, cls, name):
        super().contribute_to_class(cls, name)
        setattr(cls, name, _NamedAcrossAgencies(self))


class _NamedAcrossAgencies(ManagerDescriptor):
    """``Model.unscoped`` by name: the manager in cross-agency mode for the database too.

    Django's own uses of the base manager (saving, cascading deletes) reach the same manager
    without this descriptor, so they keep the current agency (or the row's, ``db_agency``).
    """

    def __get__(self, instance, cls=None):
        return super().__get__(instance, cls).db_manager(hints={"across_agencies": True})


class TenantModel(models.Model):
    """Base of every tenant-owned table: an ``agency`` column, a scoped and an unscoped manager.

    ``objects`` is the scoped default; ``unscoped`` is the base manager too, so that Django's
    own machinery (cascading deletes, related-object access from an object already fetched)
    works without a tenant set; related-object access is still narrowed to the instance's
    agency (UnscopedManager). Saving inside another agency's scope raises.
    """

    agency = models.ForeignKey("agency.Agency", on_delete=models.CASCADE, related_name="+")

    objects = TenantManager()
    unscoped = UnscopedManager()

    class Meta:
        abstract = True
        base_manager_name = "unscoped"

    def save(self, *args, **kwargs):
        check_writable(self.agency_id)
        # Outside a scope, the database lets the write through for the row's own agency only.
        with rls.db_agency(self.agency_id):
            super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        # Outside a scope, the cascade reaches this agency's rows only (same-agency constraints
        # keep children in their parent's agency).
        with rls.db_agency(self.agency_id):
            return super().delete(*args, **kwargs)
