"""GET /health/: is the publishing engine alive? Public JSON for load balancers and monitors.

200 with ``"status": "ok"`` or 503 with ``"status": "unhealthy"``: the database answers, a
worker process wrote its heartbeat recently, the dispatcher (sent by beat, run by a worker) ran
recently, and no due variant has waited too long to be claimed. Nothing tenant-specific is
shown: counts only.
"""

from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from campaigns.publishing import publishing_health_unscoped


@never_cache
@require_GET
def health(request: HttpRequest) -> JsonResponse:
    report = publishing_health_unscoped()
    return JsonResponse(report, status=200 if report["status"] == "ok" else 503)


health.public = True
