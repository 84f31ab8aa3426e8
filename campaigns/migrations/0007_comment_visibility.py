"""Every comment on a post is internal (the team only) or external (shared with the client).

Existing comments become internal, except those a client wrote (a client role's, or through an
approval link, which has no author): the client has always read those, and client roles and
link holders only ever write external comments.
"""

from django.db import migrations, models

CLIENT_ROLES = ("client_approver", "client_viewer")


def share_what_clients_wrote(apps, schema_editor):
    # Plain SQL as the migrating role: agency.rls.migrating_starts lifts FORCE on the tables it
    # owns for the whole migrate, so a data migration reads and writes every agency's rows.
    sql = """
        UPDATE campaigns_postcomment AS c SET visibility = 'external'
        WHERE c.author_id IS NULL
           OR EXISTS (
                SELECT 1 FROM agency_membership AS m
                WHERE m.agency_id = c.agency_id AND m.user_id = c.author_id
                  AND m.role IN (%s, %s))
    """
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(sql, CLIENT_ROLES)


class Migration(migrations.Migration):
    dependencies = [
        ("campaigns", "0006_same_agency_constraints"),
        ("agency", "0010_same_agency_constraints"),
    ]

    operations = [
        migrations.AddField(
            model_name="postcomment",
            name="visibility",
            field=models.CharField(
                choices=[
                    ("internal", "Internal (team only)"),
                    ("external", "Shared with the client"),
                ],
                default="internal",
                max_length=10,
                verbose_name="visibility",
            ),
        ),
        migrations.RunPython(share_what_clients_wrote, migrations.RunPython.noop),
    ]
