"""Agencies' own portal domains: the Host check, and which agency a portal domain belongs to.

With `PORTAL_CUSTOM_DOMAINS` on, Django's own Host check is opened (`ALLOWED_HOSTS = ["*"]`)
and this middleware, first in MIDDLEWARE, makes it instead, before anything reads the host:

- one of the product's own names (`PRODUCT_HOSTS`, i.e. DJANGO_ALLOWED_HOSTS): the whole
  product, as before;
- an agency's portal domain (`Agency.portal_domain`): that agency's portal only. The paths of
  `PORTAL_DOMAIN_PATHS` (the portal, sign-in, language, static files and uploads) are served,
  `/` leads to the portal, anything else (the dashboard, the API, the admin) is 404. The
  request carries `portal_agency`, and the tenant middleware opens the person's membership of
  that agency only, never another of theirs: the portal on one agency's domain never shows
  another agency's data, whoever signs in there;
- any other name: refused (400, Django's DisallowedHost), as Django would.

With it off, `portal_agency` is always None and Django checks hosts itself.
"""

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http import Http404, HttpRequest, HttpResponseRedirect
from django.http.request import split_domain_port, validate_host

from agency.models import Agency


def portal_agency_for_host(domain: str) -> Agency | None:
    """The agency whose portal domain is `domain` (stored lower-cased), or None."""
    if not domain:
        return None
    return Agency.objects.filter(portal_domain=domain.lower()).first()


class PortalHostMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        request.portal_agency = None  # type: ignore[attr-defined]
        if not settings.PORTAL_CUSTOM_DOMAINS:
            return self.get_response(request)
        raw_host = request._get_raw_host()
        domain, _port = split_domain_port(raw_host)
        if domain and validate_host(domain, settings.PRODUCT_HOSTS):
            return self.get_response(request)
        agency = portal_agency_for_host(domain)
        if agency is None:
            raise DisallowedHost(f"Invalid HTTP_HOST header: {raw_host!r}.")
        request.portal_agency = agency  # type: ignore[attr-defined]
        if request.path == "/":
            return HttpResponseRedirect(settings.PORTAL_HOME_PATH)
        if not request.path.startswith(tuple(settings.PORTAL_DOMAIN_PATHS)):
            raise Http404
        return self.get_response(request)
