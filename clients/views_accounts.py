"""Dashboard: connect a brand's social account, the OAuth callback, choose a Page, disconnect.

The flow: the brand page's "Connect" -> `account_connect` (POST) stores a pending connection
(state, PKCE verifier, agency, brand, network, 10-minute expiry) in the session and redirects
to the network -> the network redirects to `connection_callback`, which checks the state
against the session before exchanging the code -> the account is stored through
clients.services with its tokens encrypted. Bluesky uses an app password form instead.
"""

import logging

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_POST

from agency import permissions
from agency.views.common import attach_errors, require_action
from clients import oauth, selectors
from clients.forms_profile import BlueskyConnectForm, MastodonConnectForm
from clients.services import accounts as account_services
from core.network_errors import network_error_words
from networks.base import AuthExpired, NetworkError
from networks.connect import Connection
from networks.registry import display_name

logger = logging.getLogger(__name__)

# What the person types, by how the network connects, and the field a refusal is shown on.
CONNECT_FORMS = {
    Connection.OAUTH_PER_SERVER: (MastodonConnectForm, "instance_url"),
    Connection.APP_PASSWORD: (BlueskyConnectForm, "app_password"),
}


def _accounts_tab(brand_id: int) -> str:
    return reverse("brands:detail", kwargs={"brand_id": brand_id}) + "?tab=accounts"


def network_error_message(exc: NetworkError) -> str:
    if isinstance(exc, AuthExpired):
        return _("The network refused the sign-in: %(reason)s") % {
            "reason": network_error_words(exc)
        }
    return _("The network could not complete the connection: %(reason)s") % {
        "reason": network_error_words(exc)
    }


@sensitive_post_parameters("app_password")
@sensitive_variables("profile", "form")
@require_action(permissions.SOCIAL_ACCOUNTS_MANAGE)
def account_connect(request: HttpRequest, brand_id: int) -> HttpResponse:
    """GET: what connecting this network needs; POST: start (or, for Bluesky, do) it."""
    actor = request.membership
    brand = selectors.brand_get_for(actor=actor, brand_id=brand_id)
    network = request.POST.get("network") or request.GET.get("network", "")
    if not oauth.known_network(network):
        messages.error(request, _("Choose a network to connect."))
        return redirect(_accounts_tab(brand.pk))
    unavailable = oauth.unavailable_reason(network)
    connection = oauth.connection(network)
    form_class, _field = CONNECT_FORMS.get(connection, (None, None))
    form = form_class(request.POST or None) if form_class else None
    context = {
        "brand": brand,
        "network": network,
        "network_name": display_name(network),
        "connection": connection,
        "unavailable": unavailable,
        "form": form,
        "redirect_uri": oauth.redirect_uri(network),
    }
    if request.method != "POST" or unavailable:
        return render(request, "clients/accounts/connect.html", context)
    if form is not None and not form.is_valid():
        return render(request, "clients/accounts/connect.html", context)
    try:
        if connection == Connection.APP_PASSWORD:
            profile = oauth.app_password_login(
                network=network,
                identifier=form.cleaned_data["identifier"],
                app_password=form.cleaned_data["app_password"],
                server=form.cleaned_data["pds"],
            )
            account = account_services.social_account_connect(
                actor=actor, brand=brand, profile=profile
            )
            messages.success(
                request,
                _("%(account)s is connected to %(brand)s.")
                % {"account": account, "brand": brand.name},
            )
            for notice in profile.notices:  # e.g. the account password was used
                messages.warning(request, notice)
            return redirect(_accounts_tab(brand.pk))
        instance_url = ""
        if connection == Connection.OAUTH_PER_SERVER:
            instance_url = oauth.normalise_instance_url(form.cleaned_data["instance_url"])
        app = account_services.connect_app_for(network, instance_url)
        pending, url = oauth.begin(
            network=network,
            agency_id=actor.agency_id,
            brand_id=brand.pk,
            app=app,
            instance_url=instance_url,
        )
    except (oauth.ConnectRefused, NetworkError, ValidationError) as exc:
        _refuse(request, form, network, exc)
        return render(request, "clients/accounts/connect.html", context)
    oauth.remember(request.session, pending)
    return HttpResponseRedirect(url)


def _refuse(request: HttpRequest, form, network: str, exc: Exception) -> None:
    """Show why connecting failed, on the field it concerns when there is a form."""
    if isinstance(exc, NetworkError):
        message = network_error_message(exc)
    elif isinstance(exc, ValidationError) and form is not None:
        attach_errors(form, exc)
        return
    else:
        message = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
    _form_class, field = CONNECT_FORMS.get(oauth.connection(network), (None, None))
    if form is None:
        messages.error(request, message)
    else:
        form.add_error(field, message)


def connection_callback(request: HttpRequest, network: str) -> HttpResponse:
    """Where the network sends the browser back: the one callback registered with each
    network. A connection a client started from a connection link goes on there (no agency
    account needed); every other is a member's."""
    if oauth.pending_connection_link_id(request.session, state=request.GET.get("state")):
        from clients.views_connection_links import connection_link_callback

        return connection_link_callback(request, network)
    return _member_connection_callback(request, network)


@sensitive_variables("profiles", "code")
@require_action(permissions.SOCIAL_ACCOUNTS_MANAGE)
def _member_connection_callback(request: HttpRequest, network: str) -> HttpResponse:
    """A member's connection. Nothing is stored unless the state matches a pending
    connection of this session, network and agency, younger than ten minutes."""
    actor = request.membership
    try:
        pending = oauth.take(
            request.session,
            network=network,
            state=request.GET.get("state"),
            agency_id=actor.agency_id,
        )
    except oauth.ConnectRefused as exc:
        messages.error(request, str(exc))
        return redirect("brands:list")
    brand = selectors.brand_get_for(actor=actor, brand_id=pending.brand_id)
    if request.GET.get("error") or not request.GET.get("code"):
        messages.warning(
            request,
            _("%(network)s did not give access (%(reason)s). Nothing was connected.")
            % {
                "network": display_name(network),
                "reason": request.GET.get("error_description")
                or request.GET.get("error")
                or _("no authorisation code"),
            },
        )
        return redirect(_accounts_tab(brand.pk))
    try:
        app = account_services.connect_app_for(network, pending.instance_url)
        if app is None:
            raise oauth.ConnectRefused(oauth.unavailable_reason(network))
        profiles = oauth.complete(pending, app=app, code=request.GET["code"])
    except oauth.ConnectRefused as exc:
        messages.error(request, str(exc))
        return redirect(_accounts_tab(brand.pk))
    except NetworkError as exc:
        logger.warning("connecting %s failed: %s", network, type(exc).__name__)
        messages.error(request, network_error_message(exc))
        return redirect(_accounts_tab(brand.pk))
    if not profiles:
        messages.error(
            request,
            _("This %(network)s login manages no Page or organisation that can be connected.")
            % {"network": display_name(network)},
        )
        return redirect(_accounts_tab(brand.pk))
    if len(profiles) > 1:
        oauth.remember_choice(
            request.session, agency_id=actor.agency_id, brand_id=brand.pk, profiles=profiles
        )
        return redirect("brands:connection_choose", brand_id=brand.pk)
    return _store(request, brand, profiles[0])


@sensitive_variables("profile")
def _store(request: HttpRequest, brand, profile) -> HttpResponse:
    try:
        account = account_services.social_account_connect(
            actor=request.membership, brand=brand, profile=profile
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("%(account)s is connected to %(brand)s.") % {"account": account, "brand": brand.name},
        )
    return redirect(_accounts_tab(brand.pk))


@sensitive_variables("profiles")
@require_action(permissions.SOCIAL_ACCOUNTS_MANAGE)
def connection_choose(request: HttpRequest, brand_id: int) -> HttpResponse:
    """Facebook Pages, Instagram accounts or LinkedIn organisations: the person picks one."""
    actor = request.membership
    brand = selectors.brand_get_for(actor=actor, brand_id=brand_id)
    profiles = oauth.pending_choice(request.session, agency_id=actor.agency_id, brand_id=brand.pk)
    if not profiles:
        messages.error(request, _("Nothing is waiting to be chosen; start the connection again."))
        return redirect(_accounts_tab(brand.pk))
    if request.method == "POST":
        chosen = next(
            (p for p in profiles if p.external_id == request.POST.get("external_id")), None
        )
        if chosen is None:
            messages.error(request, _("Choose one of the accounts listed."))
        else:
            oauth.forget_choice(request.session)
            return _store(request, brand, chosen)
    return render(
        request,
        "clients/accounts/choose.html",
        {"brand": brand, "profiles": profiles, "network_name": display_name(profiles[0].network)},
    )


@require_action(permissions.SOCIAL_ACCOUNTS_MANAGE)
@require_POST
def account_disconnect(request: HttpRequest, social_account_id: int) -> HttpResponse:
    account = selectors.social_account_get_for(
        actor=request.membership, social_account_id=social_account_id
    )
    try:
        revoked = account_services.social_account_disconnect(
            actor=request.membership, social_account=account
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(_accounts_tab(account.brand_id))
    if revoked:
        messages.success(request, _("%(account)s is disconnected.") % {"account": account})
    else:
        messages.success(
            request,
            _(
                "%(account)s is disconnected here and its tokens are deleted. The network did "
                "not confirm the revocation: you can also remove the app from the account's "
                "settings on %(network)s."
            )
            % {"account": account, "network": display_name(account.network)},
        )
    return redirect(_accounts_tab(account.brand_id))


@require_action(permissions.SOCIAL_ACCOUNTS_MANAGE)
@require_POST
def account_webhooks_retry(request: HttpRequest, social_account_id: int) -> HttpResponse:
    """The accounts tab's "Try again" when real-time updates could not be switched on."""
    from clients.services.webhooks_install import social_account_webhooks_retry

    account = selectors.social_account_get_for(
        actor=request.membership, social_account_id=social_account_id
    )
    if not account.is_connected:
        messages.error(request, _("Reconnect the account first."))
        return redirect(_accounts_tab(account.brand_id))
    social_account_webhooks_retry(actor=request.membership, social_account=account)
    messages.success(
        request,
        _("Real-time updates for %(account)s are being switched on again.") % {"account": account},
    )
    return redirect(_accounts_tab(account.brand_id))
