"""The publishing engine's post metric snapshots (1 h, 24 h, 7 days) become days of the new
series before publishing drops their table: each snapshot taken is its variant's values on the
UTC day it was taken (a later snapshot of the same day wins). Graph's "impressions" there were
already its views metrics (``post_media_view``, ``views``): they are stored as views."""

from django.db import migrations

METRICS = ("impressions", "reach", "likes", "comments", "shares", "clicks", "saves", "video_views")
META_NETWORKS = ("facebook", "instagram")


def forward(apps, schema_editor):
    Snapshot = apps.get_model("publishing", "PostMetricSnapshot")
    PostMetricDay = apps.get_model("analytics", "PostMetricDay")
    rows = {}
    snapshots = (
        Snapshot.objects.filter(taken_at__isnull=False)
        .select_related("post_variant__social_account")
        .order_by("taken_at")
        .iterator()
    )
    for snap in snapshots:
        variant = snap.post_variant
        meta = variant.social_account.network in META_NETWORKS
        for name in METRICS:
            value = getattr(snap, name)
            if value is None:
                continue
            metric = "views" if meta and name == "impressions" else name
            rows[(variant.pk, metric, snap.taken_at.date())] = PostMetricDay(
                agency_id=snap.agency_id,
                post_variant_id=variant.pk,
                social_account_id=variant.social_account_id,
                metric=metric,
                day=snap.taken_at.date(),
                value=value,
                collected_at=snap.taken_at,
            )
    PostMetricDay.objects.bulk_create(rows.values(), batch_size=1000, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [
        ("analytics", "0001_initial"),
        ("publishing", "0002_same_agency_constraints"),
    ]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
