"""Dashboard: a brand's page (profile tabs and connected accounts) and the profile's forms.

Viewing follows `brands.view` (clients see only their brands: others answer 404); every write
goes through clients.services, which checks `brands.edit_profile`.
"""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from agency import permissions
from agency.views.common import attach_errors, require_action
from clients import oauth, selectors
from clients.account_notes import account_notes_attach
from clients.forms_profile import (
    ClientContactForm,
    CompetitorForm,
    GuidelinesForm,
    LogoForm,
    PersonaForm,
)
from clients.services import profile as profile_services
from networks.registry import NETWORK_CHOICES

TABS = ("guidelines", "audiences", "competitors", "contacts", "accounts")


def _tab_url(brand, tab: str) -> str:
    return reverse("brands:detail", kwargs={"brand_id": brand.pk}) + f"?tab={tab}"


@require_action(permissions.BRANDS_VIEW)
@require_GET
def brand_detail(request: HttpRequest, brand_id: int) -> HttpResponse:
    actor = request.membership
    brand = selectors.brand_get_for(actor=actor, brand_id=brand_id)
    tab = request.GET.get("tab") if request.GET.get("tab") in TABS else "guidelines"
    context = {
        "brand": brand,
        "tab": tab,
        "tabs": [
            ("guidelines", _("Guidelines")),
            ("audiences", _("Audiences")),
            ("competitors", _("Competitors")),
            ("contacts", _("Client contacts")),
            ("accounts", _("Connected accounts")),
        ],
        "can_edit": permissions.can(actor, permissions.BRANDS_EDIT_PROFILE),
        "can_connect": permissions.can(actor, permissions.SOCIAL_ACCOUNTS_MANAGE),
        "logo_form": LogoForm(),
    }
    if tab == "guidelines":
        context["guidelines"] = selectors.brand_guidelines_of(brand=brand)
    elif tab == "audiences":
        context["personas"] = selectors.personas_visible_to(actor, brand_id=brand.pk)
    elif tab == "competitors":
        context["competitors"] = selectors.competitors_visible_to(actor, brand_id=brand.pk)
    elif tab == "contacts":
        context["contacts"] = selectors.client_contacts_visible_to(actor, brand_id=brand.pk)
    else:
        accounts = list(selectors.social_accounts_visible_to(actor, brand_id=brand.pk))
        for account in accounts:
            account.reconnect_reasons = oauth.reconnect_reasons(account)
        context["accounts"] = account_notes_attach(accounts)
        context["networks"] = [
            {"value": value, "label": label, "unavailable": oauth.unavailable_reason(value)}
            for value, label in NETWORK_CHOICES
        ]
        if context["can_connect"]:
            context["connection_links"] = selectors.connection_links_of_brand(
                actor=actor, brand_id=brand.pk
            )
            context["connection_link_days"] = settings.CONNECTION_LINK_TTL_DAYS
    return render(request, "clients/profile/detail.html", context)


@require_action(permissions.BRANDS_EDIT_PROFILE)
def guidelines_edit(request: HttpRequest, brand_id: int) -> HttpResponse:
    brand = selectors.brand_get_for(actor=request.membership, brand_id=brand_id)
    guidelines = selectors.brand_guidelines_of(brand=brand)
    form = GuidelinesForm(request.POST or None, initial=GuidelinesForm.initial_from(guidelines))
    if form.is_valid():
        try:
            profile_services.brand_guidelines_update(
                actor=request.membership, brand=brand, **form.cleaned_data
            )
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("The guidelines are saved."))
            return redirect(_tab_url(brand, "guidelines"))
    return render(
        request,
        "clients/profile/form.html",
        {"form": form, "brand": brand, "title": _("Guidelines"), "tab": "guidelines"},
    )


@require_action(permissions.BRANDS_EDIT_PROFILE)
@require_POST
def logo_upload(request: HttpRequest, brand_id: int) -> HttpResponse:
    brand = selectors.brand_get_for(actor=request.membership, brand_id=brand_id)
    form = LogoForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            profile_services.brand_logo_set(
                actor=request.membership, brand=brand, logo=form.cleaned_data["logo"]
            )
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("The logo is saved."))
            return redirect("brands:detail", brand_id=brand.pk)
    for error in form.errors.get("logo", []):
        messages.error(request, _("Logo: %(error)s") % {"error": error})
    return redirect("brands:detail", brand_id=brand.pk)


@require_action(permissions.BRANDS_EDIT_PROFILE)
@require_POST
def logo_remove(request: HttpRequest, brand_id: int) -> HttpResponse:
    brand = selectors.brand_get_for(actor=request.membership, brand_id=brand_id)
    profile_services.brand_logo_remove(actor=request.membership, brand=brand)
    messages.success(request, _("The logo is removed."))
    return redirect("brands:detail", brand_id=brand.pk)


# --- Personas, competitors, contacts: one pattern ------------------------------------------

_KINDS = {
    "persona": {
        "form": PersonaForm,
        "tab": "audiences",
        "fields": profile_services.PERSONA_FIELDS,
        "get": lambda actor, pk: selectors.persona_get_for(actor=actor, persona_id=pk),
        "title_new": _("New audience"),
        "title_edit": _("Edit the audience"),
    },
    "competitor": {
        "form": CompetitorForm,
        "tab": "competitors",
        "fields": profile_services.COMPETITOR_FIELDS,
        "get": lambda actor, pk: selectors.competitor_get_for(actor=actor, competitor_id=pk),
        "title_new": _("New competitor"),
        "title_edit": _("Edit the competitor"),
    },
    "client_contact": {
        "form": ClientContactForm,
        "tab": "contacts",
        "fields": profile_services.CONTACT_FIELDS,
        "get": lambda actor, pk: selectors.client_contact_get_for(
            actor=actor, client_contact_id=pk
        ),
        "title_new": _("New client contact"),
        "title_edit": _("Edit the client contact"),
    },
}


def _service_fields(form) -> dict:
    if hasattr(form, "service_fields"):
        return form.service_fields()
    return dict(form.cleaned_data)


def _initial(kind: str, instance) -> dict:
    form_class = _KINDS[kind]["form"]
    if hasattr(form_class, "initial_from"):
        return form_class.initial_from(instance)
    return {name: getattr(instance, name) for name in _KINDS[kind]["fields"]}


def _child_form(request, *, kind: str, brand, instance=None) -> HttpResponse:
    spec = _KINDS[kind]
    initial = _initial(kind, instance) if instance else {}
    form = spec["form"](request.POST or None, initial=initial)
    if form.is_valid():
        try:
            if instance is None:
                getattr(profile_services, f"{kind}_create")(
                    actor=request.membership, brand=brand, **_service_fields(form)
                )
            else:
                getattr(profile_services, f"{kind}_update")(
                    actor=request.membership, **{kind: instance}, **_service_fields(form)
                )
        except ValidationError as exc:
            _attach_child(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(_tab_url(brand, spec["tab"]))
    return render(
        request,
        "clients/profile/form.html",
        {
            "form": form,
            "brand": brand,
            "tab": spec["tab"],
            "title": spec["title_edit"] if instance else spec["title_new"],
            "instance": instance,
            "delete_url": reverse(f"brands:{kind}_delete", args=[instance.pk]) if instance else "",
        },
    )


def _attach_child(form, exc: ValidationError) -> None:
    """Service errors on the form's fields; competitor handles land on the matching field."""
    if hasattr(exc, "error_dict") and "handles" in exc.error_dict and "handles" not in form.fields:
        errors = exc.error_dict.pop("handles")
        form.add_error(None, errors)
    attach_errors(form, exc)


def _child_delete(request, *, kind: str, pk: int) -> HttpResponse:
    instance = _KINDS[kind]["get"](request.membership, pk)
    brand = instance.brand
    getattr(profile_services, f"{kind}_delete")(actor=request.membership, **{kind: instance})
    messages.success(request, _("“%(name)s” is deleted.") % {"name": instance})
    return redirect(_tab_url(brand, _KINDS[kind]["tab"]))


def _child_views(kind: str):
    """The create, edit and delete views of one kind of profile child; the edit and delete
    URLs name the child ``<kind>_id`` (another agency's child answers 404)."""

    @require_action(permissions.BRANDS_EDIT_PROFILE)
    def create(request: HttpRequest, brand_id: int) -> HttpResponse:
        brand = selectors.brand_get_for(actor=request.membership, brand_id=brand_id)
        return _child_form(request, kind=kind, brand=brand)

    @require_action(permissions.BRANDS_EDIT_PROFILE)
    def edit(request: HttpRequest, **child_id: int) -> HttpResponse:
        instance = _KINDS[kind]["get"](request.membership, child_id[f"{kind}_id"])
        return _child_form(request, kind=kind, brand=instance.brand, instance=instance)

    @require_action(permissions.BRANDS_EDIT_PROFILE)
    @require_POST
    def delete(request: HttpRequest, **child_id: int) -> HttpResponse:
        return _child_delete(request, kind=kind, pk=child_id[f"{kind}_id"])

    for view, action in ((create, "create"), (edit, "edit"), (delete, "delete")):
        view.__name__ = view.__qualname__ = f"{kind}_{action}"
    return create, edit, delete


persona_create, persona_edit, persona_delete = _child_views("persona")
competitor_create, competitor_edit, competitor_delete = _child_views("competitor")
client_contact_create, client_contact_edit, client_contact_delete = _child_views("client_contact")
