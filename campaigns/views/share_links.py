"""A brand's publishing settings: its approval mode and its share links."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agency import permissions
from agency.views.common import attach_errors, require_action
from campaigns.forms import PolicyForm, ShareLinkForm
from campaigns.models import ShareLinkKind
from campaigns.selectors.planning import policy_of
from campaigns.selectors.share_links import share_link_get_for, share_link_url, share_links_of
from campaigns.services import share_links
from campaigns.services.planning import publishing_policy_update
from campaigns.views.helpers import messages_of
from clients.selectors import brand_get_for


@require_action(permissions.SHARE_LINKS_MANAGE)
def brand_publishing(request: HttpRequest, brand_id: int) -> HttpResponse:
    brand = brand_get_for(actor=request.membership, brand_id=brand_id)
    policy = policy_of(brand)
    policy_form = PolicyForm(
        initial={
            "approval_mode": policy.approval_mode,
            "duplicate_window_hours": policy.duplicate_window_hours,
        }
    )
    link_form = ShareLinkForm(initial={"kind": ShareLinkKind.APPROVAL, "valid_days": 30})
    if request.method == "POST" and request.POST.get("form") == "policy":
        policy_form = PolicyForm(request.POST)
        if policy_form.is_valid():
            try:
                publishing_policy_update(
                    actor=request.membership, brand=brand, **policy_form.cleaned_data
                )
            except (ValidationError, PermissionDenied) as exc:
                messages.error(request, messages_of(exc))
            else:
                messages.success(request, _("The approval settings are saved."))
                return redirect("campaigns:brand_publishing", brand_id=brand.pk)
    elif request.method == "POST":
        link_form = ShareLinkForm(request.POST)
        if link_form.is_valid():
            try:
                share_links.share_link_create(
                    actor=request.membership, brand=brand, **link_form.cleaned_data
                )
            except ValidationError as exc:
                attach_errors(link_form, exc)
            else:
                messages.success(request, _("The link is ready; copy it below."))
                return redirect("campaigns:brand_publishing", brand_id=brand.pk)
    links = []
    for link in share_links_of(request.membership, brand_id=brand.pk):
        link.url = share_link_url(link)
        links.append(link)
    return render(
        request,
        "campaigns/brand_publishing.html",
        {
            "brand": brand,
            "policy_form": policy_form,
            "link_form": link_form,
            "links": links,
            "section": "campaigns",
        },
    )


@require_action(permissions.SHARE_LINKS_MANAGE)
@require_POST
def share_link_revoke(request: HttpRequest, share_link_id: int) -> HttpResponse:
    link = share_link_get_for(actor=request.membership, share_link_id=share_link_id)
    share_links.share_link_revoke(actor=request.membership, share_link=link)
    messages.success(request, _("The link no longer works."))
    return redirect("campaigns:brand_publishing", brand_id=link.brand_id)
