"""Listening queries: list and create, edit, delete."""

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
    ListeningQueryForm,
)
from reputation.selectors.listening import (
    brands_for_filters,
    listening_queries_visible_to,
    listening_query_get_for,
)
from reputation.services.queries import (
    listening_query_create,
    listening_query_delete,
    listening_query_update,
)
from reputation.views.common import (
    current_brand,
)

# --- Queries --------------------------------------------------------------------------------


def _query_fields(cleaned: dict) -> dict:
    """The query form's fields as the listening-query services take them."""
    return {
        "brand_id": cleaned["brand"],
        "name": cleaned["name"],
        "expression": cleaned["expression"],
        "excluded_words": cleaned["excluded_words"],
        "languages": cleaned["languages"],
        "is_competitor": cleaned["is_competitor"],
        "competitor_name": cleaned["competitor_name"],
        "active": cleaned["active"],
    }


@require_action(permissions.LISTENING_VIEW)
def query_list(request: HttpRequest) -> HttpResponse:
    actor = request.membership
    brands = list(brands_for_filters(actor))
    form = ListeningQueryForm(
        request.POST or None, brands=brands, initial={"brand": current_brand(request)}
    )
    if request.method == "POST":
        permissions.require(actor, permissions.LISTENING_MANAGE)
        if form.is_valid():
            try:
                query = listening_query_create(actor=actor, **_query_fields(form.cleaned_data))
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                messages.success(
                    request, _("The query “%(name)s” is listening.") % {"name": query.name}
                )
                return redirect("listening:queries")
    return render(
        request,
        "reputation/queries.html",
        {"form": form, "queries": listening_queries_visible_to(actor)},
    )


@require_action(permissions.LISTENING_MANAGE)
def query_edit(request: HttpRequest, listening_query_id: int) -> HttpResponse:
    actor = request.membership
    query = listening_query_get_for(actor=actor, listening_query_id=listening_query_id)
    brands = list(brands_for_filters(actor))
    form = ListeningQueryForm(
        request.POST or None, brands=brands, initial=ListeningQueryForm.initial_from(query)
    )
    if request.method == "POST" and form.is_valid():
        try:
            listening_query_update(actor=actor, query=query, **_query_fields(form.cleaned_data))
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("The query “%(name)s” is saved.") % {"name": query.name})
            return redirect("listening:queries")
    return render(request, "reputation/query_form.html", {"form": form, "query": query})


@require_action(permissions.LISTENING_MANAGE)
@require_POST
def query_delete(request: HttpRequest, listening_query_id: int) -> HttpResponse:
    query = listening_query_get_for(actor=request.membership, listening_query_id=listening_query_id)
    listening_query_delete(actor=request.membership, query=query)
    messages.success(request, _("The query “%(name)s” is deleted.") % {"name": query.name})
    return redirect("listening:queries")
