"""Campaign audiences through a tenant link table (agency_id on every tenant row).

The automatic many-to-many table had no agency_id; its rows are copied into CampaignPersona,
then the field is declared again with `through`.
"""

import django.db.models.deletion
import django.db.models.manager
from django.db import migrations, models


def copy_links(apps, schema_editor):
    Campaign = apps.get_model("campaigns", "Campaign")
    CampaignPersona = apps.get_model("campaigns", "CampaignPersona")
    Link = Campaign.personas.through
    rows = [
        CampaignPersona(
            agency_id=link.campaign.agency_id,
            campaign_id=link.campaign_id,
            persona_id=link.persona_id,
        )
        for link in Link.objects.select_related("campaign")
    ]
    CampaignPersona.objects.bulk_create(rows)


class Migration(migrations.Migration):
    dependencies = [
        ("agency", "0004_webhooks"),
        ("campaigns", "0001_initial"),
        ("clients", "0002_brand_profile_and_social_accounts"),
    ]

    operations = [
        migrations.CreateModel(
            name="CampaignPersona",
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
                    "campaign",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="campaigns.campaign",
                    ),
                ),
                (
                    "persona",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="clients.persona",
                    ),
                ),
            ],
            options={
                "verbose_name": "campaign audience",
                "verbose_name_plural": "campaign audiences",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("agency", "campaign", "persona"), name="campaign_persona_unique"
                    )
                ],
            },
            managers=[
                ("objects", django.db.models.manager.Manager()),
                ("unscoped", django.db.models.manager.Manager()),
            ],
        ),
        migrations.RunPython(copy_links, migrations.RunPython.noop),
        migrations.RemoveField(model_name="campaign", name="personas"),
        migrations.AddField(
            model_name="campaign",
            name="personas",
            field=models.ManyToManyField(
                blank=True,
                related_name="campaigns",
                through="campaigns.CampaignPersona",
                to="clients.persona",
                verbose_name="audiences",
            ),
        ),
    ]
