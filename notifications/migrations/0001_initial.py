# The notification centre's models, moved from agency (issue 11). State only: the tables
# agency_notification and agency_notificationpreference already exist (agency 0003 and 0005).

import django.db.models.deletion
import django.db.models.manager
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('agency', '0008_notifications_moved_out'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Notification',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('verb', models.CharField(max_length=64)),
                        ('message', models.CharField(max_length=500, verbose_name='message')),
                        ('url', models.CharField(blank=True, max_length=500, verbose_name='link')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('read_at', models.DateTimeField(blank=True, null=True, verbose_name='read')),
                        ('severity', models.CharField(default='normal', max_length=10)),
                        ('email_state', models.CharField(blank=True, default='', max_length=10)),
                        ('agency', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='agency.agency')),
                        ('recipient', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='notifications', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'notification',
                        'verbose_name_plural': 'notifications',
                        'db_table': 'agency_notification',
                        'indexes': [models.Index(fields=['agency', 'recipient', 'read_at', '-created_at'], name='notification_inbox')],
                    },
                    managers=[
                        ('objects', django.db.models.manager.Manager()),
                        ('unscoped', django.db.models.manager.Manager()),
                    ],
                ),
                migrations.CreateModel(
                    name='NotificationPreference',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('channels', models.JSONField(blank=True, default=dict)),
                        ('quiet_hours_start', models.TimeField(blank=True, null=True, verbose_name='quiet hours from')),
                        ('quiet_hours_end', models.TimeField(blank=True, null=True, verbose_name='quiet hours until')),
                        ('digest_hour', models.PositiveSmallIntegerField(default=8, verbose_name='digest sent at (hour)')),
                        ('agency', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='agency.agency')),
                        ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'notification preference',
                        'verbose_name_plural': 'notification preferences',
                        'db_table': 'agency_notificationpreference',
                        'constraints': [models.UniqueConstraint(fields=('agency', 'user'), name='notification_preference_one_per_member'), models.CheckConstraint(condition=models.Q(('digest_hour__lte', 23)), name='notification_digest_hour_valid')],
                    },
                    managers=[
                        ('objects', django.db.models.manager.Manager()),
                        ('unscoped', django.db.models.manager.Manager()),
                    ],
                ),
            ],
            database_operations=[],
        ),
    ]
