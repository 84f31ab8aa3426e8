"""Posts from a CSV file: the upload page and the preview that creates the drafts."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from agency import permissions
from agency.views.common import attach_errors, require_action
from campaigns.forms import ImportForm
from campaigns.selectors.posts import post_import_get_for
from campaigns.services import imports
from campaigns.views.helpers import current_brand_id, messages_of
from clients.selectors import brands_visible_to


@require_action(permissions.POSTS_WRITE)
def post_import(request: HttpRequest) -> HttpResponse:
    brands = brands_visible_to(request.membership)
    form = ImportForm(
        request.POST or None,
        request.FILES or None,
        brands=brands,
        initial={"brand": current_brand_id(request)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            preview = imports.post_import_preview(
                actor=request.membership,
                brand=form.cleaned_data["brand"],
                upload=form.cleaned_data["file"],
            )
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            return redirect("campaigns:post_import_preview", post_import_id=preview.pk)
    return render(request, "campaigns/import.html", {"form": form, "section": "calendar"})


@require_action(permissions.POSTS_WRITE)
def post_import_preview(request: HttpRequest, post_import_id: int) -> HttpResponse:
    preview = post_import_get_for(actor=request.membership, post_import_id=post_import_id)
    if request.method == "POST":
        try:
            created = imports.post_import_commit(
                actor=request.membership,
                post_import=preview,
                valid_only=request.POST.get("valid_only") == "1",
            )
        except ValidationError as exc:
            messages.error(request, messages_of(exc))
        else:
            messages.success(
                request, _("%(count)s draft post(s) were created.") % {"count": len(created)}
            )
            return redirect(reverse("campaigns:calendar") + "?view=list")
        preview.refresh_from_db()
    return render(
        request, "campaigns/import_preview.html", {"preview": preview, "section": "calendar"}
    )
