"""Invitation.brands gets an explicit through model with agency_id (InvitationBrand).

Django cannot add `through=` to an existing many-to-many, so: create the new table, copy the
rows of the automatic one (agency from the invitation), drop the old field and add the new one.
"""

import django.db.models.deletion
import django.db.models.manager
from django.db import migrations, models


def copy_to_through_model(apps, schema_editor):
    Invitation = apps.get_model("agency", "Invitation")
    InvitationBrand = apps.get_model("agency", "InvitationBrand")
    old = Invitation.brands.through.objects.select_related("invitation")
    InvitationBrand.objects.bulk_create(
        InvitationBrand(
            agency_id=row.invitation.agency_id,
            invitation_id=row.invitation_id,
            brand_id=row.brand_id,
        )
        for row in old.iterator()
    )


def copy_back(apps, schema_editor):
    Invitation = apps.get_model("agency", "Invitation")
    InvitationBrand = apps.get_model("agency", "InvitationBrand")
    Invitation.brands.through.objects.bulk_create(
        Invitation.brands.through(invitation_id=row.invitation_id, brand_id=row.brand_id)
        for row in InvitationBrand.objects.iterator()
    )


class Migration(migrations.Migration):
    dependencies = [
        ("agency", "0008_notifications_moved_out"),
        ("clients", "0002_brand_profile_and_social_accounts"),
    ]

    operations = [
        migrations.CreateModel(
            name="InvitationBrand",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "agency",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="agency.agency",
                    ),
                ),
                (
                    "brand",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="clients.brand",
                    ),
                ),
                (
                    "invitation",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="agency.invitation",
                    ),
                ),
            ],
            options={
                "verbose_name": "invitation brand",
                "verbose_name_plural": "invitation brands",
            },
            managers=[
                ("objects", django.db.models.manager.Manager()),
                ("unscoped", django.db.models.manager.Manager()),
            ],
        ),
        migrations.RunPython(copy_to_through_model, copy_back, elidable=False),
        migrations.RemoveField(model_name="invitation", name="brands"),
        migrations.AddField(
            model_name="invitation",
            name="brands",
            field=models.ManyToManyField(
                blank=True, related_name="+", through="agency.InvitationBrand", to="clients.brand"
            ),
        ),
        migrations.AddConstraint(
            model_name="invitationbrand",
            constraint=models.UniqueConstraint(
                fields=("agency", "invitation", "brand"), name="invitation_brand_unique"
            ),
        ),
    ]
