"""Google's error answers mapped to the error taxonomy.

Every Google API answers ``{"error": {"code": 403, "message": "...", "status":
"PERMISSION_DENIED", "details": [...]}}`` (google.rpc.Status). The canonical ``status`` decides:
``UNAUTHENTICATED`` (and a token without the scope, ``ACCESS_TOKEN_SCOPE_INSUFFICIENT``) asks
for a reconnection, ``RESOURCE_EXHAUSTED`` is a rate limit (``Retry-After`` or the details'
``google.rpc.RetryInfo.retryDelay``), ``UNAVAILABLE``/``INTERNAL`` and 5xx are temporary, the
rest is a refusal whose explanation names the fields of the details
(``google.rpc.BadRequest.fieldViolations``, the Business Profile's own
``google.mybusiness.v4.ValidationError.errorDetails``).
"""

from __future__ import annotations

import httpx

from networks.base import NetworkError
from networks.http import classify_status, json_or_none, retry_after_seconds

NAME = "Google Business Profile"

EXPLANATIONS = {
    "INVALID_ARGUMENT": "Google refused the request as invalid",
    "FAILED_PRECONDITION": "Google refused it for this location (is the location verified?)",
    "PERMISSION_DENIED": "this Google account may not manage that location, or the Business "
    "Profile APIs are not enabled for the app's Google Cloud project",
    "NOT_FOUND": "Google cannot find that location, post or review",
    "ALREADY_EXISTS": "Google reports that it already exists",
}


def classify(response: httpx.Response) -> NetworkError:
    body = json_or_none(response)
    error = body.get("error") if isinstance(body, dict) else None
    error = error if isinstance(error, dict) else {}
    status = str(error.get("status") or "")
    message = str(error.get("message") or "")
    details = [d for d in error.get("details") or [] if isinstance(d, dict)]
    reasons = {str(d.get("reason") or "") for d in details}
    fields = _field_problems(details)
    if fields:
        message = f"{message} ({fields})" if message else fields
    return classify_status(
        response,
        network="google_business",
        name=NAME,
        message=message,
        raw=body,
        explanations=EXPLANATIONS,
        key=status or response.status_code,
        auth_expired=status == "UNAUTHENTICATED" or "ACCESS_TOKEN_SCOPE_INSUFFICIENT" in reasons,
        auth_text=f"Google refused the token ({status or response.status_code}): {message}",
        rate_limited=status == "RESOURCE_EXHAUSTED",
        rate_text="Google Business Profile quota reached (requests per minute per project)",
        retry_after=retry_after_seconds(response.headers.get("Retry-After"))
        or _retry_delay(details),
    )


def _field_problems(details: list[dict]) -> str:
    """``field: what is wrong`` for each field the details name, in Google's words."""
    found = []
    for detail in details:
        for violation in detail.get("fieldViolations") or []:
            if isinstance(violation, dict):
                found.append(f"{violation.get('field', '')}: {violation.get('description', '')}")
        for problem in detail.get("errorDetails") or []:
            if isinstance(problem, dict):
                found.append(f"{problem.get('field', '')}: {problem.get('message', '')}")
    return "; ".join(found)[:500]


def _retry_delay(details: list[dict]) -> float | None:
    """google.rpc.RetryInfo's ``retryDelay`` (a Duration in JSON: ``"30s"``) in seconds."""
    for detail in details:
        delay = detail.get("retryDelay")
        if isinstance(delay, str) and delay.endswith("s"):
            try:
                return max(0.0, float(delay[:-1]))
            except ValueError:
                return None
    return None
