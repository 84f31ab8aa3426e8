"""Sources: list and follow, edit, stop following, poll now; OPML imports and their progress."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agency import permissions
from agency.views.common import attach_errors, require_action
from reputation.forms import (
    OpmlImportForm,
    SourceEditForm,
    SourceForm,
)
from reputation.models.sources import SOURCE_EDITABLE_FIELDS, SourceKind
from reputation.selectors.listening import (
    brands_for_filters,
    source_get_for,
    source_import_get_for,
    sources_visible_to,
)
from reputation.services import sources as source_services
from reputation.services.source_imports import MAX_OPML_BYTES, source_import_start

# --- Sources --------------------------------------------------------------------------------


@require_action(permissions.LISTENING_VIEW)
def source_list(request: HttpRequest) -> HttpResponse:
    actor = request.membership
    brands = list(brands_for_filters(actor))
    form = SourceForm(request.POST or None, brands=brands)
    if request.method == "POST":
        permissions.require(actor, permissions.LISTENING_MANAGE)
        if form.is_valid():
            fields = dict(form.cleaned_data)  # the service's arguments, the brand as its id
            try:
                source = source_services.source_create(
                    actor=actor, brand_id=fields.pop("brand"), **fields
                )
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                if source.discovered_from:
                    messages.info(request, _discovered(source))
                messages.success(
                    request,
                    _("“%(name)s” is followed; its first poll is within a minute.")
                    % {"name": source.name},
                )
                return redirect("listening:sources")
    return render(
        request,
        "reputation/sources.html",
        {
            "form": form,
            "import_form": OpmlImportForm(brands=brands),
            "sources": sources_visible_to(actor),
            "rss": SourceKind.RSS,
        },
    )


def _discovered(source) -> str:
    return _("The page %(page)s announces the feed %(feed)s: that feed is followed.") % {
        "page": source.discovered_from,
        "feed": source.url,
    }


@require_action(permissions.LISTENING_MANAGE)
def source_edit(request: HttpRequest, source_id: int) -> HttpResponse:
    source = source_get_for(actor=request.membership, source_id=source_id)
    form = SourceEditForm(
        request.POST or None,
        initial={name: getattr(source, name) for name in SOURCE_EDITABLE_FIELDS},
    )
    if request.method == "POST" and form.is_valid():
        fields = dict(form.cleaned_data)
        if source.kind not in (SourceKind.RSS, SourceKind.DISCOURSE):
            fields.pop("url")
        if source.kind == SourceKind.RSS:
            fields.pop("search_terms")
        try:
            source = source_services.source_update(
                actor=request.membership, source=source, **fields
            )
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            if source.discovered_from:
                messages.info(request, _discovered(source))
            messages.success(request, _("“%(name)s” is saved.") % {"name": source.name})
            return redirect("listening:sources")
    return render(request, "reputation/source_form.html", {"form": form, "source": source})


@require_action(permissions.LISTENING_MANAGE)
@require_POST
def source_delete(request: HttpRequest, source_id: int) -> HttpResponse:
    source = source_get_for(actor=request.membership, source_id=source_id)
    source_services.source_delete(actor=request.membership, source=source)
    messages.success(request, _("“%(name)s” is no longer followed.") % {"name": source.name})
    return redirect("listening:sources")


@require_action(permissions.LISTENING_MANAGE)
@require_POST
def source_poll(request: HttpRequest, source_id: int) -> HttpResponse:
    from reputation.services.polling import source_poll_now

    source = source_get_for(actor=request.membership, source_id=source_id)
    source_poll_now(source=source)
    messages.success(
        request, _("“%(name)s” will be polled within a minute.") % {"name": source.name}
    )
    return redirect("listening:sources")


@require_action(permissions.LISTENING_MANAGE)
@require_POST
def source_import(request: HttpRequest) -> HttpResponse:
    actor = request.membership
    form = OpmlImportForm(request.POST, request.FILES, brands=list(brands_for_filters(actor)))
    if not form.is_valid():
        messages.error(request, _("Choose an OPML file to import."))
        return redirect("listening:sources")
    upload = form.cleaned_data["file"]
    try:
        job = source_import_start(
            actor=actor,
            # One byte past the cap is enough to refuse a larger file without reading it all.
            data=upload.read(MAX_OPML_BYTES + 1),
            file_name=upload.name,
            brand_id=form.cleaned_data["brand"],
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("listening:sources")
    return redirect("listening:source_import_status", source_import_id=job.pk)


@require_action(permissions.LISTENING_MANAGE)
def source_import_status(request: HttpRequest, source_import_id: int) -> HttpResponse:
    """The progress of an OPML import; htmx polls the status part until it is finished."""
    job = source_import_get_for(actor=request.membership, source_import_id=source_import_id)
    if request.htmx:
        return render(request, "reputation/_source_import_status.html", {"job": job})
    return render(request, "reputation/source_import.html", {"job": job})
