"""Dashboard views for brands: list, create, edit, archive, restore, and the brand switcher."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agency import permissions
from agency.redirects import redirect_back
from agency.views.common import (
    CURRENT_BRAND_SESSION_KEY,
    attach_errors,
    member_required,
    paginate,
    require_action,
)
from clients import selectors
from clients.forms import BrandForm
from clients.services import brands as brand_services


@require_action(permissions.BRANDS_VIEW)
def brand_list(request: HttpRequest) -> HttpResponse:
    archived = request.GET.get("archived") == "1"
    brands = selectors.brands_visible_to(request.membership, include_archived=archived)
    if archived:
        brands = brands.exclude(archived_at=None)
    return render(
        request, "brands/list.html", {"page": paginate(request, brands), "archived": archived}
    )


@require_action(permissions.BRANDS_MANAGE)
def brand_create(request: HttpRequest) -> HttpResponse:
    form = BrandForm(request.POST or None, initial={"time_zone": request.agency.time_zone})
    if form.is_valid():
        try:
            brand = brand_services.brand_create(actor=request.membership, **form.cleaned_data)
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("The brand “%(name)s” is created.") % {"name": brand.name})
            return redirect("brands:list")
    return render(request, "brands/form.html", {"form": form, "brand": None})


@require_action(permissions.BRANDS_MANAGE)
def brand_edit(request: HttpRequest, brand_id: int) -> HttpResponse:
    brand = selectors.brand_get_for(actor=request.membership, brand_id=brand_id)
    form = BrandForm(request.POST or None, initial=BrandForm.initial_from(brand))
    if form.is_valid():
        fields = dict(form.cleaned_data)
        if not fields["slug"]:
            del fields["slug"]  # left empty: keep the current one
        try:
            brand_services.brand_update(actor=request.membership, brand=brand, **fields)
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("The brand “%(name)s” is saved.") % {"name": brand.name})
            return redirect("brands:list")
    return render(request, "brands/form.html", {"form": form, "brand": brand})


@require_action(permissions.BRANDS_MANAGE)
@require_POST
def brand_archive(request: HttpRequest, brand_id: int) -> HttpResponse:
    brand = selectors.brand_get_for(actor=request.membership, brand_id=brand_id)
    brand_services.brand_archive(actor=request.membership, brand=brand)
    if request.session.get(CURRENT_BRAND_SESSION_KEY) == brand.pk:
        del request.session[CURRENT_BRAND_SESSION_KEY]
    messages.success(
        request,
        _("“%(name)s” is archived: hidden from lists, history kept.") % {"name": brand.name},
    )
    return redirect("brands:list")


@require_action(permissions.BRANDS_MANAGE)
@require_POST
def brand_restore(request: HttpRequest, brand_id: int) -> HttpResponse:
    brand = selectors.brand_get_for(actor=request.membership, brand_id=brand_id)
    brand_services.brand_restore(actor=request.membership, brand=brand)
    messages.success(request, _("“%(name)s” is back in the list.") % {"name": brand.name})
    return redirect("brands:list")


def _back(request: HttpRequest) -> HttpResponse:
    """Return to the page the switcher was used on, if it is one of ours."""
    return redirect_back(request, "dashboard:overview")


@member_required
@require_POST
def brand_select(request: HttpRequest, brand_id: int) -> HttpResponse:
    brand = selectors.brand_get_for(actor=request.membership, brand_id=brand_id)
    if brand.is_archived:
        messages.error(
            request, _("“%(name)s” is archived; restore it first.") % {"name": brand.name}
        )
        return _back(request)
    request.session[CURRENT_BRAND_SESSION_KEY] = brand.pk
    return _back(request)


@member_required
@require_POST
def brand_select_all(request: HttpRequest) -> HttpResponse:
    request.session.pop(CURRENT_BRAND_SESSION_KEY, None)
    return _back(request)
