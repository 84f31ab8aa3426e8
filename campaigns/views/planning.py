"""Campaign and idea pages: the campaign list with the idea backlog, campaign forms."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agency import permissions
from agency.views.common import attach_errors, require_action
from campaigns.forms import CampaignForm, IdeaForm
from campaigns.selectors.planning import (
    campaign_get_for,
    campaigns_visible_to,
    idea_get_for,
    open_ideas,
)
from campaigns.selectors.posts import posts_visible_to
from campaigns.services import planning
from campaigns.views.helpers import PAGE_SIZE, current_brand_id, messages_of
from clients.selectors import brands_visible_to


@require_action(permissions.CAMPAIGNS_VIEW)
def campaign_list(request: HttpRequest) -> HttpResponse:
    brand_id = current_brand_id(request)
    campaigns = campaigns_visible_to(request.membership, brand_id=brand_id)
    page = Paginator(campaigns, PAGE_SIZE).get_page(request.GET.get("page"))
    ideas = open_ideas(request.membership, brand_id=brand_id)[:20]
    idea_form = IdeaForm(brands=brands_visible_to(request.membership), initial={"brand": brand_id})
    return render(
        request,
        "campaigns/campaign_list.html",
        {"page": page, "ideas": ideas, "idea_form": idea_form, "section": "campaigns"},
    )


def _campaign_form(request, data=None, **kwargs):
    brands = brands_visible_to(request.membership)
    from clients.selectors import personas_visible_to

    return CampaignForm(
        data,
        brands=brands,
        personas=personas_visible_to(request.membership).select_related("brand"),
        **kwargs,
    )


@require_action(permissions.CAMPAIGNS_MANAGE)
def campaign_create(request: HttpRequest) -> HttpResponse:
    form = _campaign_form(
        request,
        request.POST or None,
        initial={
            "brand": current_brand_id(request),
            "currency": "MAD",
            "status": "planned",
            "utm_enabled": True,
            "utm_source": "{network}",
            "utm_medium": "social",
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            campaign = planning.campaign_create(
                actor=request.membership,
                brand=form.cleaned_data["brand"],
                personas=form.cleaned_data["personas"],
                **form.service_fields(),
            )
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("The campaign “%(name)s” is created.") % {"name": campaign})
            return redirect("campaigns:campaign_detail", campaign_id=campaign.pk)
    return render(request, "campaigns/campaign_form.html", {"form": form, "section": "campaigns"})


@require_action(permissions.CAMPAIGNS_VIEW)
def campaign_detail(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign = campaign_get_for(actor=request.membership, campaign_id=campaign_id)
    posts = posts_visible_to(request.membership).filter(campaign=campaign)
    posts = posts.order_by("scheduled_at", "id")
    return render(
        request,
        "campaigns/campaign_detail.html",
        {"campaign": campaign, "posts": posts, "section": "campaigns"},
    )


@require_action(permissions.CAMPAIGNS_MANAGE)
def campaign_edit(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign = campaign_get_for(actor=request.membership, campaign_id=campaign_id)
    if request.method == "POST":
        form = _campaign_form(request, request.POST)
        form.fields["brand"].required = False
        if form.is_valid():
            try:
                planning.campaign_update(
                    actor=request.membership,
                    campaign=campaign,
                    personas=form.cleaned_data["personas"],
                    **form.service_fields(),
                )
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, _("The campaign is saved."))
                return redirect("campaigns:campaign_detail", campaign_id=campaign.pk)
    else:
        form = _campaign_form(request, initial=CampaignForm.initial_from(campaign))
    form.fields["brand"].disabled = True
    return render(
        request,
        "campaigns/campaign_form.html",
        {"form": form, "campaign": campaign, "section": "campaigns"},
    )


@require_action(permissions.CAMPAIGNS_MANAGE)
@require_POST
def campaign_delete(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign = campaign_get_for(actor=request.membership, campaign_id=campaign_id)
    planning.campaign_delete(actor=request.membership, campaign=campaign)
    messages.success(request, _("The campaign is deleted; its posts are kept."))
    return redirect("campaigns:campaign_list")


# --- Ideas -----------------------------------------------------------------------------------


@require_action(permissions.CAMPAIGNS_MANAGE)
@require_POST
def idea_create(request: HttpRequest) -> HttpResponse:
    form = IdeaForm(request.POST, brands=brands_visible_to(request.membership))
    if form.is_valid():
        try:
            planning.idea_create(actor=request.membership, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, messages_of(exc))
        else:
            messages.success(request, _("The idea is in the backlog."))
    else:
        messages.error(request, _("Give the idea a brand and a title."))
    return redirect("campaigns:campaign_list")


@require_action(permissions.POSTS_WRITE)
@require_POST
def idea_convert(request: HttpRequest, idea_id: int) -> HttpResponse:
    idea = idea_get_for(actor=request.membership, idea_id=idea_id)
    try:
        post = planning.idea_convert(actor=request.membership, idea=idea)
    except ValidationError as exc:
        messages.error(request, messages_of(exc))
        return redirect("campaigns:campaign_list")
    messages.success(request, _("A draft post was made from the idea."))
    return redirect("campaigns:post_edit", post_id=post.pk)


@require_action(permissions.CAMPAIGNS_MANAGE)
@require_POST
def idea_delete(request: HttpRequest, idea_id: int) -> HttpResponse:
    idea = idea_get_for(actor=request.membership, idea_id=idea_id)
    planning.idea_delete(actor=request.membership, idea=idea)
    messages.success(request, _("The idea is deleted."))
    return redirect("campaigns:campaign_list")
