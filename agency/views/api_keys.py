"""The API keys page: creating a key (its secret shown once, right after), and revoking one."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from agency import permissions, selectors
from agency.forms import ApiKeyForm
from agency.services import api_keys as services
from agency.views.common import attach_errors, paginate, require_action

NEW_API_KEY_SESSION_KEY = "new_api_key"


@require_action(permissions.API_KEYS_MANAGE)
def api_keys(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = ApiKeyForm(request.POST)
        if form.is_valid():
            try:
                key, secret = services.api_key_create(actor=request.membership, **form.cleaned_data)
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                # Kept in the session for exactly one page view, then gone: only a hash is stored.
                request.session[NEW_API_KEY_SESSION_KEY] = {"id": key.pk, "secret": secret}
                return redirect("dashboard:api_key_created")
    else:
        form = ApiKeyForm()
    page = paginate(request, selectors.api_keys_list(agency=request.agency))
    return render(request, "dashboard/settings/api_keys.html", {"form": form, "page": page})


@never_cache
@require_action(permissions.API_KEYS_MANAGE)
def api_key_created(request: HttpRequest) -> HttpResponse:
    shown = request.session.pop(NEW_API_KEY_SESSION_KEY, None)
    if shown is None:
        messages.info(
            request, _("A key is shown only once, right after it is created. Create a new key.")
        )
        return redirect("dashboard:api_keys")
    key = selectors.api_key_get_for(agency=request.agency, api_key_id=shown["id"])
    return render(
        request, "dashboard/settings/api_key_created.html", {"key": key, "secret": shown["secret"]}
    )


@require_action(permissions.API_KEYS_MANAGE)
def api_key_revoke(request: HttpRequest, api_key_id: int) -> HttpResponse:
    key = selectors.api_key_get_for(agency=request.agency, api_key_id=api_key_id)
    if request.method == "POST":
        services.api_key_revoke(actor=request.membership, api_key=key)
        messages.success(
            request,
            _("The key “%(name)s” is revoked; programs using it are refused from now on.")
            % {"name": key.name},
        )
        return redirect("dashboard:api_keys")
    return render(request, "dashboard/settings/api_key_revoke.html", {"key": key})
