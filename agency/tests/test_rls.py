"""PostgreSQL row-level security, the second line of tenancy (agency/rls.py).

The policies hold only for a role that is neither superuser nor BYPASSRLS, as CI connects
(`agency_app`, .ci/run). As a superuser, or on SQLite, the database-side assertions are skipped:
the app-side line (agency/tenancy.py) is tested elsewhere. CI fails if they would be skipped.
"""

import os

import pytest
from django.db import DatabaseError, connection, transaction

from agency import rls
from agency.models import AuditEvent
from agency.tenancy import tenant_scope
from agency.tests.factories import AuditEventFactory


def _rls_enforced() -> bool:
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = current_user")
        return not cursor.fetchone()[0]


@pytest.fixture
def enforced(db):
    if not _rls_enforced():
        if os.environ.get("RLS_REQUIRED"):
            pytest.fail("RLS_REQUIRED is set but the database role bypasses row-level security.")
        pytest.skip("row-level security binds only a non-superuser, non-BYPASSRLS PostgreSQL role")


def _raw_agency_ids(table="agency_auditevent") -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT agency_id FROM {table} ORDER BY agency_id")  # noqa: S608
        return [row[0] for row in cursor.fetchall()]


@pytest.fixture
def events(agency_a, agency_b):
    return AuditEventFactory(agency=agency_a), AuditEventFactory(agency=agency_b)


def test_a_raw_read_without_a_scope_returns_no_tenant_row(enforced, events):
    assert _raw_agency_ids() == []
    assert _raw_agency_ids("clients_brand") == []


def test_a_raw_read_in_a_scope_returns_that_agencys_rows_only(enforced, events, agency_a):
    with tenant_scope(agency_a):
        assert _raw_agency_ids() == [agency_a.pk]


def test_a_raw_read_outside_a_transaction_is_scoped_too(enforced, events, agency_a):
    # Autocommit: the setting and the statement are one implicit transaction, then both end.
    with tenant_scope(agency_a):
        assert _raw_agency_ids() == [agency_a.pk]
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('app.agency_id', true)")
        assert cursor.fetchone()[0] in ("", None)


def test_a_raw_insert_of_another_agencys_row_is_refused(enforced, agency_a, agency_b):
    refused = pytest.raises(DatabaseError, match="row-level security")
    with tenant_scope(agency_a), refused, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO agency_auditevent (agency_id, actor_label, verb, target_type, "
            "target_id, target_label, data, created_at) "
            "VALUES (%s, 'x', 'x', '', '', '', '{}', now())",
            [agency_b.pk],
        )


def test_a_raw_update_cannot_move_a_row_to_another_agency(enforced, events, agency_a, agency_b):
    refused = pytest.raises(DatabaseError, match="row-level security")
    with tenant_scope(agency_a), refused, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE agency_auditevent SET agency_id = %s", [agency_b.pk])


def test_across_agencies_reads_every_agency(enforced, events, agency_a, agency_b):
    with rls.across_agencies():
        assert _raw_agency_ids() == sorted([agency_a.pk, agency_b.pk])


def test_the_unscoped_manager_reads_across_agencies_by_name(enforced, events):
    assert AuditEvent.unscoped.count() == 2
    with tenant_scope(events[0].agency):
        assert AuditEvent.unscoped.count() == 2
        assert AuditEvent.objects.count() == 1


def test_a_relation_from_a_row_reads_that_rows_agency_only(enforced, events):
    event = AuditEvent.unscoped.get(pk=events[1].pk)
    assert event.agency_id == events[1].agency_id
    event.refresh_from_db()  # the base manager, narrowed to the row's agency
    with tenant_scope(events[0].agency):
        event.refresh_from_db()


def test_a_write_outside_a_scope_is_let_through_for_the_rows_own_agency(enforced, agency_a):
    event = AuditEventFactory.build(agency=agency_a)
    event.save()
    event.verb = "brand.updated"
    event.save()
    with tenant_scope(agency_a):
        assert AuditEvent.objects.get().verb == "brand.updated"


def test_every_table_with_an_agency_column_has_a_forced_policy(enforced):
    with connection.cursor() as cursor:
        assert rls.tables_without_policy(cursor) == []
        cursor.execute(
            "SELECT count(*) FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid "
            "WHERE a.attname = 'agency_id' AND c.relkind = 'r' AND c.relforcerowsecurity"
        )
        assert cursor.fetchone()[0] >= 40


def test_policies_are_applied_to_a_new_agency_table(enforced):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("CREATE TABLE rls_probe (id serial PRIMARY KEY, agency_id bigint)")
        assert rls.policies_apply() == ["rls_probe"]
        assert rls.policies_apply() == []
        cursor.execute("DROP TABLE rls_probe")


def test_the_cross_agency_role_lasts_one_statement(enforced, events):
    with transaction.atomic():
        assert AuditEvent.unscoped.count() == 2
        assert _raw_agency_ids() == []  # the next statement is back to no agency
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_user")
            assert cursor.fetchone()[0] == connection.settings_dict["USER"]


def test_ddl_after_a_cross_agency_statement_is_the_applications(enforced, events):
    with transaction.atomic(), connection.cursor() as cursor:
        assert AuditEvent.unscoped.count() == 2
        cursor.execute("CREATE TABLE rls_owner_probe (id int)")
        cursor.execute(
            "SELECT pg_get_userbyid(relowner) FROM pg_class WHERE relname = 'rls_owner_probe'"
        )
        assert cursor.fetchone()[0] == connection.settings_dict["USER"]
        cursor.execute("DROP TABLE rls_owner_probe")


def test_a_deleted_agency_takes_its_rows_with_it(enforced, events, agency_b):
    agency_b.delete()
    assert AuditEvent.unscoped.count() == 1
