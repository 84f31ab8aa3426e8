"""On PostgreSQL, a metric snapshot keeps its variant's agency (agency/same_agency.py)."""

from django.db import migrations

from agency.same_agency import same_agency_fk


class Migration(migrations.Migration):
    dependencies = [
        ("publishing", "0001_initial"),
        ("campaigns", "0006_same_agency_constraints"),
    ]

    operations = [
        same_agency_fk("publishing", "PostMetricSnapshot", "post_variant"),
    ]
