"""Connection links: the team's pages (create, revoke; the list is on the brand's accounts
tab) and the client's public pages, where the client connects the brand's own accounts.

The client's flow is the team's (clients/views_accounts.py) through the same `clients.oauth`
machinery: the pending connection in the session carries the link's id, and the one OAuth
callback registered with each network (`brands:connection_callback`) hands it back here. The
brand and agency always come from the link, never from the request.
"""

import logging

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_POST

from agency import permissions
from agency.branding import branding_for
from agency.views.common import require_action
from clients import oauth, selectors
from clients.services import accounts as account_services
from clients.services import connection_links as services
from clients.views_accounts import CONNECT_FORMS, network_error_message
from networks.base import NetworkError
from networks.connect import Connection
from networks.registry import NETWORK_CHOICES, display_name

logger = logging.getLogger(__name__)

# The link a pending choice of Page/organisation belongs to (the choice itself is oauth's).
CHOICE_LINK_SESSION_KEY = "connection_link_choice"


def _accounts_tab(brand_id: int) -> str:
    return reverse("brands:detail", kwargs={"brand_id": brand_id}) + "?tab=accounts"


def connection_link_url(token: str) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("connection_link", args=[token])


# --- The team's pages -----------------------------------------------------------------------


@require_action(permissions.SOCIAL_ACCOUNTS_MANAGE)
@require_POST
def connection_link_create(request: HttpRequest, brand_id: int) -> HttpResponse:
    """Make a link for the brand and show it, once (only its hash is kept)."""
    brand = selectors.brand_get_for(actor=request.membership, brand_id=brand_id)
    try:
        link, token = services.connection_link_create(
            actor=request.membership, brand=brand, label=request.POST.get("label", "")
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(_accounts_tab(brand.pk))
    return render(
        request,
        "clients/connection_links/created.html",
        {"brand": brand, "link": link, "url": connection_link_url(token)},
    )


@require_action(permissions.SOCIAL_ACCOUNTS_MANAGE)
@require_POST
def connection_link_revoke(request: HttpRequest, connection_link_id: int) -> HttpResponse:
    link = selectors.connection_link_get_for(
        actor=request.membership, connection_link_id=connection_link_id
    )
    services.connection_link_revoke(actor=request.membership, link=link)
    messages.success(request, _("The connection link is withdrawn: it no longer works."))
    return redirect(_accounts_tab(link.brand_id))


# --- The client's pages (public: the token is the credential) -------------------------------


def _branding(agency):
    """The agency's name, logo and colours on the client's pages (the portal's one reader)."""
    return branding_for(agency)


def _page(request: HttpRequest, template: str, link, status: int = 200, **context):
    context = {"link": link, "brand": link.brand, "branding": _branding(link.agency), **context}
    return render(request, f"clients/connection_links/{template}", context, status=status)


def _unusable(request: HttpRequest, link, reason: str) -> HttpResponse:
    status = 404 if link is None else 410
    branding = _branding(link.agency) if link is not None else None
    return render(
        request,
        "clients/connection_links/unusable.html",
        {"reason": reason, "branding": branding},
        status=status,
    )


def _networks(link) -> list[dict]:
    used = services.connection_link_networks_used(link)
    return [
        {
            "value": value,
            "label": label,
            "used": value in used,
            "unavailable": oauth.unavailable_reason(value),
        }
        for value, label in NETWORK_CHOICES
    ]


@never_cache
@sensitive_post_parameters("app_password")
@sensitive_variables("token", "profile", "form")
def connection_link_page(request: HttpRequest, token: str) -> HttpResponse:
    """The client's page: the brand's networks; one chosen, what connecting it needs; POST
    starts the network's OAuth (or, with an app password, connects at once)."""
    link = services.connection_link_get_by_token_across_agencies(token)
    problem = services.connection_link_problem(link)
    if problem:
        return _unusable(request, link, problem)
    network = request.POST.get("network") or request.GET.get("network", "")
    if not network or not oauth.known_network(network):
        return _page(request, "page.html", link, networks=_networks(link))
    connection = oauth.connection(network)
    form_class, field = CONNECT_FORMS.get(connection, (None, None))
    form = form_class(request.POST or None) if form_class else None
    context = {
        "network": network,
        "network_name": display_name(network),
        "connection": connection,
        "unavailable": oauth.unavailable_reason(network),
        "form": form,
    }
    if request.method != "POST" or context["unavailable"]:
        return _page(request, "network.html", link, **context)
    if form is not None and not form.is_valid():
        return _page(request, "network.html", link, status=400, **context)
    try:
        services.connection_link_check_network(link, network)
        if connection == Connection.APP_PASSWORD:
            profile = oauth.app_password_login(
                network=network,
                identifier=form.cleaned_data["identifier"],
                app_password=form.cleaned_data["app_password"],
                server=form.cleaned_data["pds"],
            )
            account = services.social_account_connect_through_link(link=link, profile=profile)
            return _page(request, "done.html", link, account=account, notices=profile.notices)
        instance_url = ""
        if connection == Connection.OAUTH_PER_SERVER:
            instance_url = oauth.normalise_instance_url(form.cleaned_data["instance_url"])
        app = account_services.connect_app_for(network, instance_url)
        if app is None:
            raise oauth.ConnectRefused(oauth.unavailable_reason(network))
        pending, url = oauth.begin(
            network=network,
            agency_id=link.agency_id,
            brand_id=link.brand_id,
            app=app,
            instance_url=instance_url,
            connection_link_id=link.pk,
        )
    except ValidationError as exc:
        services.connection_link_refusal_record(
            link=link, network=network, reason=" ".join(exc.messages)
        )
        context["error"] = " ".join(exc.messages)
        return _page(request, "network.html", link, status=400, **context)
    except (oauth.ConnectRefused, NetworkError) as exc:
        message = network_error_message(exc) if isinstance(exc, NetworkError) else str(exc)
        if form is not None and field:
            form.add_error(field, message)
        else:
            context["error"] = message
        return _page(request, "network.html", link, status=400, **context)
    oauth.remember(request.session, pending)
    return HttpResponseRedirect(url)


@sensitive_variables("profiles", "code")
def connection_link_callback(request: HttpRequest, network: str) -> HttpResponse:
    """The network's callback for a connection a link started (`brands:connection_callback`
    hands it over when the pending connection names a link)."""
    state = request.GET.get("state")
    link = services.connection_link_get_across_agencies(
        oauth.pending_connection_link_id(request.session, state=state)
    )
    if link is None:
        return _unusable(request, None, _("This connection attempt was not recognised."))
    try:
        pending = oauth.take(
            request.session, network=network, state=state, agency_id=link.agency_id
        )
    except oauth.ConnectRefused as exc:
        return _page(request, "network.html", link, status=400, error=str(exc), network="")
    problem = services.connection_link_problem(link)
    if problem or pending.connection_link_id != link.pk or pending.brand_id != link.brand_id:
        return _unusable(request, link, problem or _("This connection link is not valid."))
    back = {"network": network, "network_name": display_name(network)}
    if request.GET.get("error") or not request.GET.get("code"):
        error = _("%(network)s did not give access (%(reason)s). Nothing was connected.") % {
            "network": display_name(network),
            "reason": request.GET.get("error_description")
            or request.GET.get("error")
            or _("no authorisation code"),
        }
        return _page(request, "network.html", link, status=400, error=error, **back)
    try:
        app = account_services.connect_app_for(network, pending.instance_url)
        if app is None:
            raise oauth.ConnectRefused(oauth.unavailable_reason(network))
        profiles = oauth.complete(pending, app=app, code=request.GET["code"])
    except (oauth.ConnectRefused, NetworkError) as exc:
        logger.warning("connecting %s through a link failed: %s", network, type(exc).__name__)
        message = network_error_message(exc) if isinstance(exc, NetworkError) else str(exc)
        return _page(request, "network.html", link, status=400, error=message, **back)
    if not profiles:
        error = _(
            "This %(network)s login manages no Page or organisation that can be connected."
        ) % {"network": display_name(network)}
        return _page(request, "network.html", link, status=400, error=error, **back)
    if len(profiles) > 1:
        oauth.remember_choice(
            request.session, agency_id=link.agency_id, brand_id=link.brand_id, profiles=profiles
        )
        request.session[CHOICE_LINK_SESSION_KEY] = link.pk
        return redirect("connection_link_choose")
    return _store(request, link, profiles[0])


@sensitive_variables("profile")
def _store(request: HttpRequest, link, profile) -> HttpResponse:
    try:
        account = services.social_account_connect_through_link(link=link, profile=profile)
    except ValidationError as exc:
        services.connection_link_refusal_record(
            link=link, network=profile.network, reason=" ".join(exc.messages)
        )
        return _page(
            request, "network.html", link, status=400, error=" ".join(exc.messages), network=""
        )
    return _page(request, "done.html", link, account=account, notices=profile.notices)


@never_cache
@sensitive_variables("profiles")
def connection_link_choose(request: HttpRequest) -> HttpResponse:
    """Several Pages or organisations behind one login: the client picks the brand's."""
    link = services.connection_link_get_across_agencies(
        request.session.get(CHOICE_LINK_SESSION_KEY) or 0
    )
    profiles = (
        oauth.pending_choice(request.session, agency_id=link.agency_id, brand_id=link.brand_id)
        if link is not None and not services.connection_link_problem(link)
        else []
    )
    if link is None or not profiles:
        # Nothing waits here (expired, already chosen, another browser): say so, plainly.
        return render(request, "clients/connection_links/nothing_to_choose.html")
    if request.method == "POST":
        chosen = next(
            (p for p in profiles if p.external_id == request.POST.get("external_id")), None
        )
        if chosen is not None:
            oauth.forget_choice(request.session)
            request.session.pop(CHOICE_LINK_SESSION_KEY, None)
            return _store(request, link, chosen)
        messages.error(request, _("Choose one of the accounts listed."))
    return _page(
        request,
        "choose.html",
        link,
        profiles=profiles,
        network_name=display_name(profiles[0].network),
    )


connection_link_page.public = True
connection_link_choose.public = True
