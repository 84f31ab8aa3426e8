"""PostgreSQL row-level security: the database's own line of tenancy, behind agency.tenancy.

Every table with an ``agency_id`` column gets ENABLE + FORCE ROW LEVEL SECURITY and one
policy, ``tenant_isolation``: a row is visible and writable when its agency is the
transaction's ``app.agency_id``. The application connects as a role (``agency_app``) that is
neither superuser nor BYPASSRLS, and a member of ``agency_cross``, a NOLOGIN role with
BYPASSRLS (an attribute, never inherited): a statement that must span agencies switches to it
for its transaction (``set_config('role', 'agency_cross', true)``). Both
settings are per transaction (``set_config(…, true)``), never per session: the connections are
pooled, and a session setting would leak one request's agency into the next.

The settings travel with each statement. An execute wrapper puts
``SELECT set_config(…), set_config(…);`` in front of every data statement (one round trip; in
autocommit mode PostgreSQL runs a multi-statement query as one implicit transaction, inside
``atomic()`` the setting lasts until the next statement sets it again) and moves the cursor to
the statement's own result. What it sets:

- the current agency of ``agency.tenancy`` (``tenant_scope``): the ordinary case;
- the cross-agency role inside ``across_agencies()``, or for a statement built from the
  ``unscoped`` manager (which marks its SQL): cross-agency code says so by name;
- a single named agency for a read narrowed to one instance's agency (a relation followed
  from a row, ``refresh_from_db``), or a write of one row outside any scope (``db_agency``);
- nothing otherwise: a statement outside any scope sees no tenant row at all.

Superusers and BYPASSRLS roles skip every policy, so RLS is enforced only when the application
connects as a role like ``agency_app`` (docs/architecture.md, "Tenancy"); SQLite has none of it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models, transaction

from agency import tenancy

POLICY = "tenant_isolation"
# Bump when the policy's text changes: post_migrate re-creates policies of another version.
POLICY_VERSION = "agency-rls-2"
CROSS_MARK = "/* rls:across_agencies */"
_AGENCY_MARK = re.compile(r"/\* rls:agency=(\d+) \*/")
_DATA_STATEMENTS = ("SELECT", "INSERT", "UPDATE", "DELETE", "WITH", "EXPLAIN")
_TRANSACTION_CONTROL = ("SAVEPOINT", "RELEASE", "ROLLBACK", "COMMIT", "BEGIN", "START", "END")
# The role cross-agency statements switch to (SET LOCAL ROLE): BYPASSRLS, NOLOGIN.
CROSS_ROLE = getattr(settings, "DATABASE_CROSS_AGENCY_ROLE", "agency_cross")

_cross_agency: ContextVar[bool] = ContextVar("rls_cross_agency", default=False)
_db_agency_id: ContextVar[int | None] = ContextVar("rls_db_agency_id", default=None)


@contextmanager
def across_agencies() -> Iterator[None]:
    """Run the block's statements in cross-agency mode: every agency's rows, by name."""
    token = _cross_agency.set(True)
    try:
        yield
    finally:
        _cross_agency.reset(token)


@contextmanager
def db_agency(agency_id: int | None) -> Iterator[None]:
    """Run the block's statements as ``agency_id`` for the database only (no tenant scope).

    For writes of one agency's rows outside any scope (set-up code, admin, commands): the
    database lets them through for that agency and no other. Inside a tenant scope it changes
    nothing: the scope's agency wins.
    """
    token = _db_agency_id.set(agency_id)
    try:
        yield
    finally:
        _db_agency_id.reset(token)


def settings_for(sql: str) -> tuple[str, bool]:
    """The (app.agency_id, cross-agency) pair a statement runs with."""
    if _cross_agency.get() or CROSS_MARK in sql:
        return "", True
    if "rls:agency=" in sql:
        match = _AGENCY_MARK.search(sql)
        if match:
            return match.group(1), False
    agency_id = tenancy.current_agency_id_or_none()
    if agency_id is None:
        agency_id = _db_agency_id.get()
    return ("" if agency_id is None else str(int(agency_id))), False


def _is_data_statement(sql: str) -> bool:
    return sql.lstrip(" (\n").upper().startswith(_DATA_STATEMENTS)


def _is_transaction_control(sql: str) -> bool:
    return sql.lstrip().upper().startswith(_TRANSACTION_CONTROL)


def execute_with_tenant(execute, sql, params, many, context):
    """The execute wrapper: the statement and its tenant settings in one transaction."""
    connection = context["connection"]
    cross_role = getattr(connection, "rls_cross_role", None)
    if cross_role is None or not isinstance(sql, str):  # the role bypasses RLS: nothing to set
        return execute(sql, params, many, context)
    cursor = context["cursor"].cursor  # psycopg's own: the settings go around the wrappers
    if not _is_data_statement(sql):
        # DDL inside a transaction must not run as the cross-agency role a previous statement
        # of the transaction may have left (the objects it creates would be that role's).
        if not connection.get_autocommit() and not _is_transaction_control(sql):
            cursor.execute("SELECT set_config('role', 'none', true)")
        return execute(sql, params, many, context)
    agency_id, cross = settings_for(sql)
    if cross and not cross_role:
        raise ImproperlyConfigured(
            f"A cross-agency statement needs the role {CROSS_ROLE!r} (BYPASSRLS), granted to "
            f"{connection.settings_dict['USER']!r}: see docs/architecture.md."
        )
    prefix = (
        f"SELECT set_config('app.agency_id', '{agency_id}', true), "
        f"set_config('role', '{cross_role if cross else 'none'}', true); "
    )
    if many or getattr(cursor, "name", None):
        # executemany and server-side cursors cannot carry a second statement: run the
        # settings first, in a transaction that holds both.
        with transaction.atomic(using=connection.alias, savepoint=False):
            cursor.execute(prefix)
            return execute(sql, params, many, context)
    # Placeholders are %s and literal percents are doubled in Django's SQL: the prefix has none.
    result = execute(prefix + sql, params, many, context)
    cursor.nextset()
    return result


_ROLE_SQL = """
SELECT r.rolsuper OR r.rolbypassrls,
       EXISTS (SELECT FROM pg_roles WHERE rolname = %(cross)s AND rolbypassrls)
       AND pg_has_role(current_user, %(cross)s, 'MEMBER')
FROM pg_roles r WHERE r.rolname = current_user
"""


def _role_state(connection) -> str | None:
    """None when the role bypasses RLS; else the cross-agency role to switch to, or ""."""
    with connection.connection.cursor() as cursor:  # psycopg's: no wrapper yet
        cursor.execute(_ROLE_SQL, {"cross": CROSS_ROLE})
        bypasses, member = cursor.fetchone()
    if bypasses:
        return None
    return CROSS_ROLE if member else ""


def install(sender=None, connection=None, **kwargs) -> None:
    """connection_created: add the wrapper once to a PostgreSQL connection (idempotent)."""
    if connection is None or connection.vendor != "postgresql":
        return
    if not hasattr(connection, "rls_cross_role"):  # once per connection settings
        connection.rls_cross_role = _role_state(connection)
    if execute_with_tenant not in connection.execute_wrappers:
        connection.execute_wrappers.append(execute_with_tenant)


class RlsMark(models.Expression):
    """``TRUE`` in a WHERE clause, with a comment the execute wrapper reads.

    ``RlsMark()`` marks the statement cross-agency; ``RlsMark(agency_id)`` runs it as that one
    agency. The mark is part of the query, so it survives cloning, ``update()`` and subqueries.
    """

    output_field = models.BooleanField()
    conditional = True

    def __init__(self, agency_id: int | None = None):
        super().__init__()
        self.agency_id = agency_id

    def as_sql(self, compiler, connection):
        if self.agency_id is None:
            return f"{CROSS_MARK} TRUE", []
        return f"/* rls:agency={int(self.agency_id)} */ TRUE", []


# --- The policies ------------------------------------------------------------------------------
# On every table with an agency_id column, new ones included: post_migrate (re)applies them, so
# an app's new tenant table needs nothing of its own. agency/tests/test_rls.py checks coverage.

POLICY_SQL = "agency_id = NULLIF(current_setting('app.agency_id', true), '')::bigint"

_TABLES_WITHOUT_POLICY = """
SELECT c.relname FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'agency_id' AND NOT a.attisdropped
WHERE c.relkind IN ('r', 'p') AND n.nspname = current_schema()
AND NOT (c.relrowsecurity AND c.relforcerowsecurity AND EXISTS (
    SELECT 1 FROM pg_policy p
    JOIN pg_description d ON d.objoid = p.oid AND d.classoid = 'pg_policy'::regclass
    WHERE p.polrelid = c.oid AND p.polname = %s AND d.description = %s)
  )
ORDER BY c.relname
"""
_TABLES_NOT_GRANTED = """
SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p') AND n.nspname = current_schema()
AND NOT has_table_privilege(%s, c.oid, 'SELECT, INSERT, UPDATE, DELETE')
"""


def tables_without_policy(cursor) -> list[str]:
    cursor.execute(_TABLES_WITHOUT_POLICY, [POLICY, POLICY_VERSION])
    return [row[0] for row in cursor.fetchall()]


def policies_apply(using: str = "default") -> list[str]:
    """Give every agency_id table of the schema the current policy; returns the tables changed.

    The row's agency is the transaction's ``app.agency_id``: a plain equality, which the
    planner folds into the query's own ``agency_id = …`` (docs/decisions.md). The cross-agency
    role, when it exists, gets the application's privileges on every table of the schema.
    """
    from django.db import connections

    connection = connections[using]
    if connection.vendor != "postgresql":
        return []
    qn = connection.ops.quote_name
    with transaction.atomic(using=using), connection.cursor() as cursor:
        cursor.execute("SELECT EXISTS (SELECT FROM pg_roles WHERE rolname = %s)", [CROSS_ROLE])
        cross_role = cursor.fetchone()[0]
        tables = tables_without_policy(cursor)
        for table in tables:
            cursor.execute(f"DROP POLICY IF EXISTS {POLICY} ON {qn(table)}")
            cursor.execute(
                f"CREATE POLICY {POLICY} ON {qn(table)} "
                f"USING ({POLICY_SQL}) WITH CHECK ({POLICY_SQL})"
            )
            cursor.execute(f"COMMENT ON POLICY {POLICY} ON {qn(table)} IS %s", [POLICY_VERSION])
            cursor.execute(f"ALTER TABLE {qn(table)} ENABLE ROW LEVEL SECURITY")
            cursor.execute(f"ALTER TABLE {qn(table)} FORCE ROW LEVEL SECURITY")
        if cross_role:
            cursor.execute(_TABLES_NOT_GRANTED, [CROSS_ROLE])
            if cursor.fetchone()[0]:
                cursor.execute("SELECT current_schema()")
                schema = qn(cursor.fetchone()[0])
                cursor.execute(
                    f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} "
                    f"TO {qn(CROSS_ROLE)}"
                )
                cursor.execute(
                    f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {qn(CROSS_ROLE)}"
                )
    return tables


def migrating_starts(sender=None, using="default", **kwargs) -> None:
    """pre_migrate: data migrations read and write every agency's rows.

    The tables' owner is exempt from RLS unless it is forced: lift FORCE on the tables the
    migrating role owns (the application's role, if it is not the owner, stays bound);
    post_migrate puts it back.
    """
    from django.db import connections

    connection = connections[using]
    if connection.vendor != "postgresql":
        return
    qn = connection.ops.quote_name
    with transaction.atomic(using=using), connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = current_schema() AND c.relforcerowsecurity "
            "AND pg_get_userbyid(c.relowner) = current_user"
        )
        for (table,) in cursor.fetchall():
            cursor.execute(f"ALTER TABLE {qn(table)} NO FORCE ROW LEVEL SECURITY")


def migrating_ends(sender=None, using="default", **kwargs) -> None:
    """post_migrate (the agency app's, once per migrate or flush): the policies, forced."""
    policies_apply(using)
