"""What every portal page shares: who may open it, the agency's branding, the brand chosen,
the navigation (with the approvals entry wherever the approvals pages live)."""

import functools
from collections.abc import Callable

from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse

from agency import permissions
from agency.branding import branding_for
from agency.views.common import paginate
from portal import selectors

__all__ = ["paginate", "portal_page", "render_portal", "chosen_brand_id"]


def portal_page(view: Callable) -> Callable:
    """Only for signed-in members of the agency (on its portal domain: of that agency). Client
    approvers and viewers are at home here; a team member sees it as a preview."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(
                request.get_full_path(), redirect_field_name=REDIRECT_FIELD_NAME
            )
        if request.membership is None:
            agency = getattr(request, "portal_agency", None)
            context = {"branding": branding_for(agency) if agency else None}
            return render(request, "portal/no_access.html", context, status=403)
        return view(request, *args, **kwargs)

    return wrapper


def chosen_brand_id(request: HttpRequest) -> int | None:
    """The `brand` filter, when it names one of the person's brands (anything else: all)."""
    raw = request.GET.get("brand", "")
    if not raw.isdigit():
        return None
    return int(raw) if selectors.portal_brands(request.membership).filter(pk=raw).exists() else None


def approvals_url(membership) -> str | None:
    """Where the person decides: the portal's approvals page once it exists (`portal:approvals`),
    until then the approvals page of the product, for those who may decide there."""
    try:
        return reverse("portal:approvals")
    except NoReverseMatch:
        pass
    if permissions.can(membership, permissions.POSTS_CLIENT_APPROVE) or not membership.is_client:
        return reverse("campaigns:approvals")
    return None


def render_portal(
    request: HttpRequest, template: str, context: dict, *, section: str
) -> HttpResponse:
    membership = request.membership
    brands = list(selectors.portal_brands(membership))
    context = {
        "branding": branding_for(membership.agency),
        "portal_brands": brands,
        "brand_id": context.pop("brand_id", None),
        "section": section,
        "approvals_url": approvals_url(membership),
        "reports_url": reverse("portal:reports"),
        "is_preview": not membership.is_client,
        **context,
    }
    return render(request, template, context)
