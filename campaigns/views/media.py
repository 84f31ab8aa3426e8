"""The media library page: upload and delete."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agency import permissions
from agency.views.common import attach_errors, require_action
from campaigns.forms import MediaUploadForm
from campaigns.selectors.media import media_asset_get_for, media_visible_to
from campaigns.services.media import media_asset_delete, media_asset_upload
from campaigns.views.helpers import current_brand_id, messages_of
from clients.selectors import brands_visible_to


@require_action(permissions.CAMPAIGNS_VIEW)
def media_library(request: HttpRequest) -> HttpResponse:
    brands = brands_visible_to(request.membership)
    form = MediaUploadForm(brands=brands, initial={"brand": current_brand_id(request)})
    if request.method == "POST":
        permissions.require(request.membership, permissions.POSTS_WRITE)
        form = MediaUploadForm(request.POST, request.FILES, brands=brands)
        if form.is_valid():
            try:
                media_asset_upload(
                    actor=request.membership,
                    brand=form.cleaned_data["brand"],
                    upload=form.cleaned_data["file"],
                    alt_text=form.cleaned_data["alt_text"],
                )
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, _("The file is in the library."))
                return redirect("campaigns:media_library")
    media = media_visible_to(request.membership, brand_id=current_brand_id(request)).select_related(
        "brand"
    )
    page = Paginator(media, 48).get_page(request.GET.get("page"))
    return render(request, "campaigns/media.html", {"form": form, "page": page, "section": "media"})


@require_action(permissions.POSTS_WRITE)
@require_POST
def media_delete(request: HttpRequest, media_asset_id: int) -> HttpResponse:
    asset = media_asset_get_for(actor=request.membership, media_asset_id=media_asset_id)
    try:
        media_asset_delete(actor=request.membership, media_asset=asset)
    except ValidationError as exc:
        messages.error(request, messages_of(exc))
    else:
        messages.success(request, _("The file is deleted."))
    return redirect("campaigns:media_library")
