"""Database constraints that keep a child row's agency equal to its parent's (PostgreSQL).

Every tenant table carries ``agency_id``, child tables too (a post variant, a mention match),
so that every query and index can lead with it. Nothing in a plain foreign key stops a variant
of agency A from pointing at a post of agency B; these constraints do:

- ``parent_key("campaigns", "Post")``: ``UNIQUE (agency_id, id)`` on the parent table, which a
  composite foreign key needs (``id`` alone is already unique: this adds only the index);
- ``same_agency_fk("campaigns", "PostVariant", "post")``: ``FOREIGN KEY (agency_id, post_id)
  REFERENCES post (agency_id, id)``, deferred like Django's own foreign keys. A null parent id
  is not checked (MATCH SIMPLE), so optional parents stay optional.

They are migration operations (RunPython reading the table names from the migration state) and
do nothing on SQLite, the embedded default: there the write guard of agency.tenancy (no write
of another agency's row inside a tenant scope) is the only line.
"""

from django.db import migrations


def _table(apps, app_label: str, model_name: str) -> str:
    return apps.get_model(app_label, model_name)._meta.db_table


def _key_name(table: str) -> str:
    return f"{table}_agency_id_id_key"[-63:]


def _fk_name(table: str, column: str) -> str:
    return f"{table}_{column}_same_agency"[-63:]


def _constraint_exists(cursor, name: str) -> bool:
    cursor.execute("SELECT 1 FROM pg_constraint WHERE conname = %s", [name])
    return cursor.fetchone() is not None


def parent_key(app_label: str, model_name: str) -> migrations.RunPython:
    def forward(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        table = _table(apps, app_label, model_name)
        qn = schema_editor.quote_name
        with schema_editor.connection.cursor() as cursor:
            if not _constraint_exists(cursor, _key_name(table)):
                cursor.execute(
                    f"ALTER TABLE {qn(table)} ADD CONSTRAINT {qn(_key_name(table))} "
                    "UNIQUE (agency_id, id)"
                )

    def backward(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        table = _table(apps, app_label, model_name)
        qn = schema_editor.quote_name
        schema_editor.execute(
            f"ALTER TABLE {qn(table)} DROP CONSTRAINT IF EXISTS {qn(_key_name(table))}"
        )

    return migrations.RunPython(forward, backward, elidable=False)


def same_agency_fk(app_label: str, model_name: str, field_name: str) -> migrations.RunPython:
    def forward(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        model = apps.get_model(app_label, model_name)
        field = model._meta.get_field(field_name)
        table, column = model._meta.db_table, field.column
        parent = field.related_model._meta.db_table
        qn = schema_editor.quote_name
        schema_editor.execute(
            f"ALTER TABLE {qn(table)} ADD CONSTRAINT {qn(_fk_name(table, column))} "
            f"FOREIGN KEY (agency_id, {qn(column)}) REFERENCES {qn(parent)} (agency_id, id) "
            "DEFERRABLE INITIALLY DEFERRED"
        )

    def backward(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        model = apps.get_model(app_label, model_name)
        table = model._meta.db_table
        column = model._meta.get_field(field_name).column
        qn = schema_editor.quote_name
        schema_editor.execute(
            f"ALTER TABLE {qn(table)} DROP CONSTRAINT IF EXISTS {qn(_fk_name(table, column))}"
        )

    return migrations.RunPython(forward, backward, elidable=False)
