"""Metric collection: a published variant's counters at 1 h, 24 h and 7 days.

The rows are created with the publication (publishing.outcomes.record_published); beat queues
the due ones (across agencies) and a task reads each from the network in its tenant scope.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from clients.services.accounts import credentials_of
from networks import NetworkError
from networks.registry import display_name
from publishing.models import PostMetricSnapshot
from publishing.worker import adapter_for


def due_metric_snapshots_across_agencies(*, now: dt.datetime, limit: int = 500):
    """Snapshots of EVERY agency whose window has come and that were not taken yet."""
    return PostMetricSnapshot.unscoped.filter(taken_at__isnull=True, due_at__lte=now).order_by(
        "due_at"
    )[:limit]


def metric_snapshot_collect(*, post_metric_snapshot_id: int, adapter=None) -> str:
    """Read one snapshot's counters from the network (in its tenant scope). Claimed with a
    conditional update, so a redelivered task reads the network once; an error is recorded on
    the row, which is not retried (the next window comes anyway)."""
    now = timezone.now()
    if not PostMetricSnapshot.objects.filter(
        pk=post_metric_snapshot_id, taken_at__isnull=True
    ).update(taken_at=now):
        return "skipped"
    snapshot = PostMetricSnapshot.objects.select_related("post_variant__social_account").get(
        pk=post_metric_snapshot_id
    )
    account = snapshot.post_variant.social_account
    adapter = adapter or adapter_for(account.network)
    if not adapter.capabilities.post_metrics or not snapshot.post_variant.external_id:
        snapshot.error = _("%(network)s gives no metrics for a post.") % {
            "network": display_name(account.network)
        }
        snapshot.save(update_fields=["error"])
        return "unsupported"
    try:
        metrics = adapter.post_metrics(credentials_of(account), snapshot.post_variant.external_id)
    except NetworkError as exc:
        snapshot.error = (exc.explanation or exc.__class__.__name__)[:500]
        snapshot.save(update_fields=["error"])
        return "error"
    fields = ["impressions", "reach", "likes", "comments", "shares", "clicks", "saves"]
    fields.append("video_views")
    for name in fields:
        setattr(snapshot, name, getattr(metrics, name))
    snapshot.save(update_fields=fields)
    return "taken"
