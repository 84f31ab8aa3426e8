"""Dashboard pages of outbound webhooks, under Settings: endpoints, their delivery log,
the test button and redelivery. Each view calls one service or selector of this app."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from agency import permissions
from agency.views.common import attach_errors, paginate, refusal_messages, require_action
from webhooks import selectors
from webhooks.forms import WebhookEndpointForm
from webhooks.services import emit, endpoints
from webhooks.signing import PREVIOUS_SECRET_GRACE, REPLAY_WINDOW_SECONDS

NEW_WEBHOOK_SECRET_SESSION_KEY = "new_webhook_secret"
manage_required = require_action(permissions.WEBHOOKS_MANAGE)


@manage_required
def webhook_endpoints(request: HttpRequest) -> HttpResponse:
    form = WebhookEndpointForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            endpoint, secret = endpoints.webhook_endpoint_create(
                actor=request.membership, **form.cleaned_data
            )
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            # Kept for exactly one page view: afterwards only the encrypted copy exists.
            request.session[NEW_WEBHOOK_SECRET_SESSION_KEY] = {
                "id": endpoint.pk,
                "secret": secret,
            }
            return redirect("dashboard:webhook_endpoint_created")
    page = paginate(request, selectors.webhook_endpoints_list(agency=request.agency))
    return render(request, "webhooks/endpoints.html", {"form": form, "page": page})


@never_cache
@manage_required
def webhook_endpoint_created(request: HttpRequest) -> HttpResponse:
    shown = request.session.pop(NEW_WEBHOOK_SECRET_SESSION_KEY, None)
    if shown is None:
        messages.info(request, _("A signing secret is shown only once, right after creation."))
        return redirect("dashboard:webhook_endpoints")
    endpoint = selectors.webhook_endpoint_get_for(
        agency=request.agency, webhook_endpoint_id=shown["id"]
    )
    return render(
        request,
        "webhooks/endpoint_created.html",
        {
            "endpoint": endpoint,
            "secret": shown["secret"],
            "rotated": shown.get("rotated", False),
            "grace_hours": int(PREVIOUS_SECRET_GRACE.total_seconds() // 3600),
        },
    )


@manage_required
def webhook_endpoint(request: HttpRequest, webhook_endpoint_id: int) -> HttpResponse:
    """An endpoint: edit it, turn it on or off, and read its delivery log."""
    endpoint = selectors.webhook_endpoint_get_for(
        agency=request.agency, webhook_endpoint_id=webhook_endpoint_id
    )
    initial = {"url": endpoint.url, "description": endpoint.description, "events": endpoint.events}
    form = WebhookEndpointForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if "active" in request.POST:
            endpoints.webhook_endpoint_update(
                actor=request.membership,
                endpoint=endpoint,
                active=request.POST["active"] == "1",
            )
            messages.success(
                request,
                _("The endpoint is on.") if endpoint.active else _("The endpoint is off."),
            )
            return redirect("dashboard:webhook_endpoint", webhook_endpoint_id=endpoint.pk)
        if form.is_valid():
            try:
                endpoints.webhook_endpoint_update(
                    actor=request.membership, endpoint=endpoint, **form.cleaned_data
                )
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, _("The endpoint is saved."))
                return redirect("dashboard:webhook_endpoint", webhook_endpoint_id=endpoint.pk)
    deliveries = paginate(
        request, selectors.webhook_deliveries_list(agency=request.agency, endpoint=endpoint)
    )
    return render(
        request,
        "webhooks/endpoint.html",
        {
            "endpoint": endpoint,
            "form": form,
            "page": deliveries,
            "replay_window_minutes": REPLAY_WINDOW_SECONDS // 60,
        },
    )


def _say_outcome(request: HttpRequest, action, done: str) -> None:
    """Run ``action``; say ``done`` when it worked, each of its refusals when it did not."""
    try:
        action()
    except ValidationError as exc:
        for message in refusal_messages(exc):
            messages.error(request, message)
    else:
        messages.success(request, done)


@manage_required
def webhook_endpoint_delete(request: HttpRequest, webhook_endpoint_id: int) -> HttpResponse:
    endpoint = selectors.webhook_endpoint_get_for(
        agency=request.agency, webhook_endpoint_id=webhook_endpoint_id
    )
    if request.method == "POST":
        endpoints.webhook_endpoint_delete(actor=request.membership, endpoint=endpoint)
        messages.success(request, _("The endpoint and its delivery log are deleted."))
        return redirect("dashboard:webhook_endpoints")
    return render(request, "webhooks/endpoint_delete.html", {"endpoint": endpoint})


@manage_required
@require_POST
def webhook_endpoint_rotate_secret(request: HttpRequest, webhook_endpoint_id: int) -> HttpResponse:
    endpoint = selectors.webhook_endpoint_get_for(
        agency=request.agency, webhook_endpoint_id=webhook_endpoint_id
    )
    secret = endpoints.webhook_endpoint_rotate_secret(actor=request.membership, endpoint=endpoint)
    # Shown once, on the same page as a new endpoint's secret.
    request.session[NEW_WEBHOOK_SECRET_SESSION_KEY] = {
        "id": endpoint.pk,
        "secret": secret,
        "rotated": True,
    }
    return redirect("dashboard:webhook_endpoint_created")


@manage_required
@require_POST
def webhook_endpoint_test(request: HttpRequest, webhook_endpoint_id: int) -> HttpResponse:
    endpoint = selectors.webhook_endpoint_get_for(
        agency=request.agency, webhook_endpoint_id=webhook_endpoint_id
    )
    _say_outcome(
        request,
        lambda: endpoints.webhook_endpoint_send_test(actor=request.membership, endpoint=endpoint),
        _("A test event is on its way; its outcome appears in the log below."),
    )
    return redirect("dashboard:webhook_endpoint", webhook_endpoint_id=endpoint.pk)


@manage_required
@require_POST
def webhook_delivery_redeliver(request: HttpRequest, webhook_delivery_id: int) -> HttpResponse:
    delivery = selectors.webhook_delivery_get_for(
        agency=request.agency, webhook_delivery_id=webhook_delivery_id
    )
    _say_outcome(
        request,
        lambda: emit.webhook_delivery_redeliver(actor=request.membership, delivery=delivery),
        _("The event is queued to be delivered again."),
    )
    return redirect("dashboard:webhook_endpoint", webhook_endpoint_id=delivery.endpoint_id)
