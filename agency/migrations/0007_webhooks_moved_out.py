# The webhook models moved to the `webhooks` app (webhooks/0001_initial), keeping their
# tables: this only removes them from agency's state; nothing changes in the database.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("agency", "0006_webhook_previous_secret"),
        ("webhooks", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="WebhookDelivery"),
                migrations.DeleteModel(name="WebhookEndpoint"),
            ],
            database_operations=[],
        ),
    ]
