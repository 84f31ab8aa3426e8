"""Where a form may send the person back to: one check for every `next` the dashboard reads.

A `next` comes from the request, so anyone can make a link or a form that carries their own:
only a path or address on this site (same host, and https when the request was) is followed,
otherwise the view's own fallback.
"""

from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme


def is_safe_next(request: HttpRequest, target: str | None) -> bool:
    return bool(target) and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )


def redirect_back(request: HttpRequest, fallback: str, *args, **kwargs) -> HttpResponseRedirect:
    """Redirect to the POSTed (else GET) `next` when it is on this site, else to `fallback`
    (a URL name or path, with the arguments of ``django.shortcuts.redirect``)."""
    target = request.POST.get("next") or request.GET.get("next")
    if is_safe_next(request, target):
        return redirect(target)
    return redirect(fallback, *args, **kwargs)
