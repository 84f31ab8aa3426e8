# Post metrics are analytics' now (its collector reads every published variant on the age
# ladder); the snapshots taken were copied into its series first (analytics 0002).

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('publishing', '0002_same_agency_constraints'),
        ('analytics', '0002_publishing_snapshots'),
    ]

    operations = [
        migrations.DeleteModel(
            name='PostMetricSnapshot',
        ),
    ]
