"""On PostgreSQL, a delivery keeps its endpoint's agency (agency/same_agency.py)."""

from django.db import migrations

from agency.same_agency import parent_key, same_agency_fk


class Migration(migrations.Migration):
    dependencies = [("webhooks", "0001_initial")]

    operations = [
        parent_key("webhooks", "WebhookEndpoint"),
        same_agency_fk("webhooks", "WebhookDelivery", "endpoint"),
    ]
