"""The web version of a finished report behind the signed link of its e-mail (no account:
the token is the credential; a bad token is 404, an expired one 410 with the reason)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.clickjacking import xframe_options_deny
from django.views.decorators.http import require_safe

from agency.tenancy import tenant_scope
from reports.selectors.downloads import run_web_html
from reports.selectors.runs import RunLinkUnusable, run_from_token


@never_cache
@xframe_options_deny
@require_safe
def run_web(request: HttpRequest, token: str) -> HttpResponse:
    try:
        run = run_from_token(token)
    except RunLinkUnusable as exc:
        return render(
            request, "reports/link_unusable.html", {"reason": exc.reason}, status=exc.status
        )
    with tenant_scope(run.agency_id):
        response = HttpResponse(run_web_html(run))
    response["Referrer-Policy"] = "no-referrer"
    return response


run_web.public = True  # reached from the report's e-mail; the signed token is the credential
