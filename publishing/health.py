"""GET /health/: is the publishing engine alive? Public JSON for load balancers and monitors.

200 with ``"status": "ok"`` or 503 with ``"status": "unhealthy"``: the database answers, a
worker process wrote its heartbeat recently, the dispatcher (sent by beat, run by a worker) ran
recently, and no due variant has waited too long to be claimed. Nothing tenant-specific is
shown: counts only.

The same report drives the dashboard's banner (:func:`health_banner`, a context processor):
whenever /health/ would not say "ok", the people who plan posts see it on every page and in
detail on the queue page, instead of finding out when a post stays "scheduled" past its time.
"""

import datetime as dt

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import Min
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from campaigns.models import PostVariant, VariantState
from publishing.dispatch import due_variants_across_agencies
from publishing.heartbeats import HEARTBEAT_DISPATCHER, HEARTBEAT_WORKER
from publishing.reaper import expired_leases_across_agencies

BANNER_CACHE_KEY = "publishing:health:banner"
# Dashboard pages read the report at most this often (it costs a few queries); /health/ itself
# is never cached.
BANNER_CACHE_SECONDS = 10


def publishing_health_across_agencies(*, now: dt.datetime | None = None) -> dict:
    """What /health/ reports: database, worker and dispatcher heartbeats, queue lateness."""
    now = now or timezone.now()
    checks: dict = {}
    healthy = True
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception as exc:  # noqa: BLE001 - health reports any database failure
        return {"status": "unhealthy", "database": f"error: {exc.__class__.__name__}"}
    stale = settings.PUBLISH_HEALTH_STALE_SECONDS
    for name, key in (("worker", HEARTBEAT_WORKER), ("dispatcher", HEARTBEAT_DISPATCHER)):
        seen = cache.get(key)
        age = None if seen is None else max(0.0, now.timestamp() - float(seen))
        alive = age is not None and age <= stale
        checks[name] = {
            "alive": alive,
            "last_seen_seconds_ago": None if age is None else round(age, 1),
        }
        healthy = healthy and alive
    oldest = due_variants_across_agencies(now).aggregate(oldest=Min("due_at"))["oldest"]
    lateness = (now - oldest).total_seconds() if oldest else 0.0
    late = lateness > settings.PUBLISH_HEALTH_MAX_LATENESS_SECONDS
    checks["queue"] = {
        "oldest_due_unclaimed_seconds": round(lateness, 1),
        "late": late,
        "publishing_past_lease": expired_leases_across_agencies(now=now).count(),
        "needs_attention": PostVariant.unscoped.filter(state=VariantState.NEEDS_ATTENTION).count(),
    }
    healthy = healthy and not late
    checks["status"] = "ok" if healthy else "unhealthy"
    return checks


@never_cache
@require_GET
def health(request: HttpRequest) -> JsonResponse:
    report = publishing_health_across_agencies()
    return JsonResponse(report, status=200 if report["status"] == "ok" else 503)


health.public = True


def health_report_cached() -> dict:
    """The /health/ report, cached for a few seconds across processes."""
    report = cache.get(BANNER_CACHE_KEY)
    if report is None:
        report = publishing_health_across_agencies()
        cache.set(BANNER_CACHE_KEY, report, BANNER_CACHE_SECONDS)
    return report


def health_problems(report: dict) -> list[str]:
    """What is wrong, in words for the people who plan posts (empty when healthy)."""
    if report.get("status") == "ok":
        return []
    if report.get("database", "ok") != "ok":
        return [_("The database does not answer: nothing can be published.")]
    problems = []
    worker = report.get("worker") or {}
    if not worker.get("alive"):
        problems.append(
            _("No publishing worker is running: posts due are not sent until one is (re)started.")
        )
    dispatcher = report.get("dispatcher") or {}
    if not dispatcher.get("alive"):
        problems.append(
            _(
                "The scheduler (beat) has not handed out due posts recently: check that it is "
                "running."
            )
        )
    queue = report.get("queue") or {}
    if queue.get("late"):
        minutes = max(1, round(queue.get("oldest_due_unclaimed_seconds", 0) / 60))
        problems.append(
            _("A post due %(minutes)s min ago has not been picked up yet.") % {"minutes": minutes}
        )
    return problems or [_("The publishing engine reports a problem (see /health/).")]


def health_banner(request: HttpRequest) -> dict:
    """Context processor: ``publishing_problems`` for agency members when /health/ is not ok.

    Client roles and pages outside the dashboard (approval links, the sign-in page) get
    nothing: the banner is for the agency, which can act on it."""
    membership = getattr(request, "membership", None)
    if membership is None or membership.is_client:
        return {}
    problems = health_problems(health_report_cached())
    return {"publishing_problems": problems} if problems else {}
