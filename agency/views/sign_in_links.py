"""Client users' passwordless sign-in (public pages): ask for a link, open it, confirm.

Opening the e-mailed link (GET) only shows a confirmation page, so that the link scanners of
mail systems, which follow links, do not spend it; the button's POST signs in. Both pages
answer the same whatever the address or token (no account enumeration), and both are
rate-limited with allauth's limits (ACCOUNT_RATE_LIMITS: per address and per IP).
"""

from allauth.account.utils import perform_login
from allauth.core import ratelimit
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_variables

from agency.forms import SignInLinkRequestForm
from agency.models import Membership
from agency.services import sign_in_links as services
from agency.views.common import enter_agency


def _ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


def client_home_url(membership: Membership) -> str:
    """Where a client lands after signing in: the portal when it is installed, else the
    dashboard (narrowed to their brands)."""
    try:
        return reverse("portal:home")
    except NoReverseMatch:
        return reverse("dashboard:overview")


@never_cache
def sign_in_link_request(request: HttpRequest) -> HttpResponse:
    """The form where a client types their address; the same answer for every address."""
    form = SignInLinkRequestForm(request.POST if request.method == "POST" else None)
    if request.method != "POST" or not form.is_valid():
        return render(request, "account/sign_in_link_request.html", {"form": form})
    email = form.cleaned_data["email"].strip().lower()
    if not ratelimit.consume(request, action="request_sign_in_link", key=email):
        return render(request, "account/sign_in_link_limited.html", status=429)
    services.sign_in_links_request(email=email, ip=_ip(request))
    return render(request, "account/sign_in_link_sent.html", {"email": email})


@never_cache
@sensitive_variables("token")
def sign_in_link_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """GET: the confirmation page (spends nothing); POST: spend the link and sign in."""
    if request.method != "POST":
        link = services.sign_in_link_get_by_token_across_agencies(token)
        problem = services.sign_in_link_problem(link)
        if problem:
            return _unusable(request, problem, status=404 if link is None else 410)
        return render(request, "account/sign_in_link_confirm.html", {"agency": link.agency})
    if not ratelimit.consume(request, action="confirm_sign_in_link"):
        return render(request, "account/sign_in_link_limited.html", status=429)
    try:
        membership = services.sign_in_link_use(token=token, ip=_ip(request))
    except ValidationError as exc:
        status = 404 if exc.code == "unknown" else 410
        return _unusable(request, " ".join(exc.messages), status=status)
    response = perform_login(
        request,
        membership.user,
        redirect_url=client_home_url(membership),
        email=membership.user.email,
    )
    enter_agency(request, membership.agency_id)
    return response


def _unusable(request: HttpRequest, reason: str, *, status: int) -> HttpResponse:
    return render(request, "account/sign_in_link_unusable.html", {"reason": reason}, status=status)


# Reached from an e-mail, before the person is signed in: the token is the credential.
sign_in_link_request.public = True
sign_in_link_confirm.public = True
