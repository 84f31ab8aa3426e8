"""What every app's dashboard views share: who may open a page (`require_action`), a
service's errors on a form, a page of a long list, and the agency and brand a person works in.
"""

import functools
from collections.abc import Callable

from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.http import HttpRequest, QueryDict
from django.shortcuts import render

from agency import permissions
from agency.forms import AgencyCreateForm
from agency.middleware import ACTIVE_AGENCY_SESSION_KEY

CURRENT_BRAND_SESSION_KEY = "current_brand_id"
PAGE_SIZE = 25


def require_action(action: str | None = None) -> Callable:
    """Only for signed-in members of an agency, who may perform `action` (if one is given).

    Anonymous people go to the login page; a person without an agency is offered to create one;
    a member whose role lacks the action gets 403.
    """

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(
                    request.get_full_path(), redirect_field_name=REDIRECT_FIELD_NAME
                )
            if request.membership is None:
                return render(request, "dashboard/no_agency.html", {"form": AgencyCreateForm()})
            if action is not None:
                permissions.require(request.membership, action)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


member_required = require_action()


def attach_errors(form, exc: ValidationError) -> None:
    """Put a service's error on the form, on the named field when the form has that field."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def refusal_messages(exc: Exception) -> list[str]:
    """The person's words in a service's refusal (a ValidationError or a PermissionDenied)."""
    if isinstance(exc, ValidationError):
        return exc.messages
    return [str(exc)]


def paginate(request: HttpRequest, queryset) -> Page:
    """The page of `queryset` the `page` parameter names (the first if it is not a number, the
    last if past the end: a stale link never fails)."""
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def current_brand_id(request: HttpRequest) -> int | None:
    """The brand a page is about: the one its ``?brand=`` names (empty: all brands), else the
    one chosen in the top bar. Every page that follows the top bar reads it here."""
    value = request.GET.get("brand")
    if value is None:
        value = request.session.get(CURRENT_BRAND_SESSION_KEY)
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def with_current_brand(request: HttpRequest, query: QueryDict) -> QueryDict:
    """A page's filter parameters, given the top bar's brand when they name no brand (an empty
    ``brand`` is "all brands", chosen in the page's own filter)."""
    query = query.copy()
    if "brand" not in query and (brand_id := current_brand_id(request)):
        query["brand"] = str(brand_id)
    return query


def enter_agency(request: HttpRequest, agency_id: int | None) -> None:
    """Open the next pages in this agency (None: in the person's first one). The current brand
    belonged to the agency left, so it is forgotten."""
    if agency_id is None:
        request.session.pop(ACTIVE_AGENCY_SESSION_KEY, None)
    else:
        request.session[ACTIVE_AGENCY_SESSION_KEY] = agency_id
    request.session.pop(CURRENT_BRAND_SESSION_KEY, None)
