# Notification and NotificationPreference moved to the notifications app (issue 11). Only
# Django's state changes: the tables stay where they are, and notifications.0001 takes them on.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('agency', '0007_webhooks_moved_out'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name='notificationpreference',
                    name='agency',
                ),
                migrations.RemoveField(
                    model_name='notificationpreference',
                    name='user',
                ),
                migrations.DeleteModel(
                    name='Notification',
                ),
                migrations.DeleteModel(
                    name='NotificationPreference',
                ),
            ],
            database_operations=[],
        ),
    ]
