"""Dashboard views of the tenancy app: the shell, the overview and the agency's settings.

Each view parses the request, calls one service (agency.services) or selector, and redirects
with a message or re-renders its form with the service's errors on the fields. Permissions come
from agency.permissions through `require_action`; objects are fetched with the `*_get_for`
selectors, which answer 404 for another agency's objects.
"""

import datetime
import functools
import zoneinfo
from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME, login
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from agency import permissions, selectors, services
from agency.brands import brands_visible_to
from agency.forms import (
    AgencyCreateForm,
    AgencySettingsForm,
    ApiKeyForm,
    AuditFilterForm,
    InvitationForm,
    InvitationSignupForm,
    MembershipRoleForm,
)
from agency.middleware import ACTIVE_AGENCY_SESSION_KEY

CURRENT_BRAND_SESSION_KEY = "current_brand_id"
NEW_API_KEY_SESSION_KEY = "new_api_key"
PAGE_SIZE = 25


# --- Access ---------------------------------------------------------------------------------


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


def _attach(form, exc: ValidationError) -> None:
    """Put a service's error on the form, on the named field when the form has that field."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _page(request: HttpRequest, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


# --- Agency: create and switch --------------------------------------------------------------


def agency_create(request: HttpRequest) -> HttpResponse:
    """Create an agency: the way in for a person who belongs to none, and for a second one."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    form = AgencyCreateForm(request.POST or None)
    if form.is_valid():
        try:
            agency = services.agency_create(owner=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _attach(form, exc)
        else:
            request.session[ACTIVE_AGENCY_SESSION_KEY] = agency.pk
            request.session.pop(CURRENT_BRAND_SESSION_KEY, None)
            messages.success(request, _("%(agency)s is ready.") % {"agency": agency.name})
            return redirect("dashboard:overview")
    return render(request, "dashboard/no_agency.html", {"form": form})


@member_required
@require_POST
def agency_switch(request: HttpRequest, agency_id: int) -> HttpResponse:
    membership = get_object_or_404(
        selectors.memberships_of_user_across_agencies(request.user), agency_id=agency_id
    )
    request.session[ACTIVE_AGENCY_SESSION_KEY] = membership.agency_id
    request.session.pop(CURRENT_BRAND_SESSION_KEY, None)
    messages.success(
        request, _("You are now working in %(agency)s.") % {"agency": membership.agency.name}
    )
    return redirect("dashboard:overview")


# --- Overview and sections ------------------------------------------------------------------


@member_required
def overview(request: HttpRequest) -> HttpResponse:
    membership, agency = request.membership, request.agency
    can_see_members = permissions.can(membership, permissions.MEMBERS_VIEW)
    can_see_audit = permissions.can(membership, permissions.AUDIT_VIEW)
    context = {
        "brand_count": brands_visible_to(membership).count(),
        "member_count": selectors.members_list(agency=agency).count() if can_see_members else None,
        "recent_events": (
            list(selectors.audit_events_list(agency=agency)[:8]) if can_see_audit else None
        ),
    }
    return render(request, "dashboard/overview.html", context)


# What each section will do, shown until it exists. Plain words, no sample data.
SECTIONS = {
    "inbox": (
        gettext_lazy("Inbox"),
        "inbox",
        gettext_lazy(
            "Read and answer the comments and messages of every brand's accounts in one place, "
            "with moderation rules and saved replies."
        ),
    ),
    "reports": (
        gettext_lazy("Reports"),
        "file-earmark-bar-graph",
        gettext_lazy(
            "Send each client a report of results: reach, engagement, e-reputation and the "
            "posts that worked best, as a PDF."
        ),
    ),
}


@member_required
def section_not_ready(request: HttpRequest, section: str) -> HttpResponse:
    title, icon, description = SECTIONS[section]
    return render(
        request,
        "dashboard/section_not_ready.html",
        {"section": section, "title": title, "icon": icon, "description": description},
    )


# --- Settings: agency -----------------------------------------------------------------------


@require_action(permissions.AGENCY_EDIT)
def settings_agency(request: HttpRequest) -> HttpResponse:
    agency = request.agency
    if request.method == "POST":
        form = AgencySettingsForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.agency_update(actor=request.membership, agency=agency, **form.changes())
            except ValidationError as exc:
                _attach(form, exc)
            else:
                messages.success(request, _("The agency's settings are saved."))
                return redirect("dashboard:settings_agency")
    else:
        form = AgencySettingsForm(
            initial={
                "name": agency.name,
                "time_zone": agency.time_zone,
                "language": agency.language,
                "logo": agency.logo,
                "primary_colour": agency.primary_colour,
                "require_two_factor": agency.require_two_factor,
            }
        )
    return render(request, "dashboard/settings/agency.html", {"form": form})


# --- Settings: members ----------------------------------------------------------------------


def _role_form(request: HttpRequest, form_class, data=None, **kwargs):
    return form_class(
        data,
        grantable_roles=permissions.roles_grantable_by(request.membership),
        brands=brands_visible_to(request.membership),
        **kwargs,
    )


@require_action(permissions.MEMBERS_VIEW)
def members(request: HttpRequest) -> HttpResponse:
    page = _page(request, selectors.members_list(agency=request.agency))
    return render(
        request,
        "dashboard/settings/members.html",
        {"page": page, "grantable_roles": permissions.roles_grantable_by(request.membership)},
    )


@require_action(permissions.MEMBERS_MANAGE)
def member_edit(request: HttpRequest, membership_id: int) -> HttpResponse:
    member = selectors.membership_get_for(agency=request.agency, membership_id=membership_id)
    if request.method == "POST":
        form = _role_form(request, MembershipRoleForm, request.POST)
        if form.is_valid():
            try:
                services.membership_change_role(
                    actor=request.membership,
                    membership=member,
                    role=form.cleaned_data["role"],
                    brand_ids=form.brand_ids(),
                )
            except (ValidationError, PermissionDenied) as exc:
                _attach(
                    form, exc if isinstance(exc, ValidationError) else ValidationError(str(exc))
                )
            else:
                messages.success(
                    request,
                    _("%(person)s's role is saved.") % {"person": member.user.get_full_name()},
                )
                return redirect("dashboard:members")
    else:
        form = _role_form(
            request,
            MembershipRoleForm,
            initial={
                "role": member.role,
                "brands": [access.brand_id for access in member.brand_accesses.all()],
            },
        )
    return render(request, "dashboard/settings/member_edit.html", {"member": member, "form": form})


@require_action(permissions.MEMBERS_MANAGE)
@require_POST
def member_remove(request: HttpRequest, membership_id: int) -> HttpResponse:
    member = selectors.membership_get_for(agency=request.agency, membership_id=membership_id)
    try:
        services.membership_remove(actor=request.membership, membership=member)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(_messages_of(exc)))
    else:
        messages.success(
            request,
            _("%(person)s no longer belongs to the agency.")
            % {"person": member.user.get_full_name()},
        )
        if member.pk == request.membership.pk:
            # They left the agency: the next page opens in another agency of theirs, if any.
            request.session.pop(ACTIVE_AGENCY_SESSION_KEY, None)
            request.session.pop(CURRENT_BRAND_SESSION_KEY, None)
            return redirect("dashboard:overview")
    return redirect("dashboard:members")


def _messages_of(exc: Exception) -> list[str]:
    if isinstance(exc, ValidationError):
        return exc.messages
    return [str(exc)]


# --- Settings: invitations ------------------------------------------------------------------


@require_action(permissions.INVITATIONS_MANAGE)
def invitations(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = _role_form(request, InvitationForm, request.POST)
        if form.is_valid():
            try:
                invitation, _token = services.invitation_create(
                    actor=request.membership,
                    email=form.cleaned_data["email"],
                    role=form.cleaned_data["role"],
                    brand_ids=form.brand_ids(),
                )
            except ValidationError as exc:
                _attach(form, exc)
            else:
                messages.success(
                    request, _("An invitation was sent to %(email)s.") % {"email": invitation.email}
                )
                return redirect("dashboard:invitations")
    else:
        form = _role_form(request, InvitationForm)
    page = _page(request, selectors.invitations_list(agency=request.agency))
    return render(request, "dashboard/settings/invitations.html", {"form": form, "page": page})


@require_action(permissions.INVITATIONS_MANAGE)
@require_POST
def invitation_revoke(request: HttpRequest, invitation_id: int) -> HttpResponse:
    invitation = selectors.invitation_get_for(agency=request.agency, invitation_id=invitation_id)
    try:
        services.invitation_revoke(actor=request.membership, invitation=invitation)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("The invitation to %(email)s is withdrawn.") % {"email": invitation.email}
        )
    return redirect("dashboard:invitations")


@require_action(permissions.INVITATIONS_MANAGE)
@require_POST
def invitation_resend(request: HttpRequest, invitation_id: int) -> HttpResponse:
    invitation = selectors.invitation_get_for(agency=request.agency, invitation_id=invitation_id)
    try:
        services.invitation_resend(actor=request.membership, invitation=invitation)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("The invitation was sent again to %(email)s, with a new link.")
            % {"email": invitation.email},
        )
    return redirect("dashboard:invitations")


# --- Settings: API keys ---------------------------------------------------------------------


@require_action(permissions.API_KEYS_MANAGE)
def api_keys(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = ApiKeyForm(request.POST)
        if form.is_valid():
            try:
                key, secret = services.api_key_create(actor=request.membership, **form.cleaned_data)
            except ValidationError as exc:
                _attach(form, exc)
            else:
                # Kept in the session for exactly one page view, then gone: only a hash is stored.
                request.session[NEW_API_KEY_SESSION_KEY] = {"id": key.pk, "secret": secret}
                return redirect("dashboard:api_key_created")
    else:
        form = ApiKeyForm()
    page = _page(request, selectors.api_keys_list(agency=request.agency))
    return render(request, "dashboard/settings/api_keys.html", {"form": form, "page": page})


@never_cache
@require_action(permissions.API_KEYS_MANAGE)
def api_key_created(request: HttpRequest) -> HttpResponse:
    shown = request.session.pop(NEW_API_KEY_SESSION_KEY, None)
    if shown is None:
        messages.info(
            request, _("A key is shown only once, right after it is created. Create a new key.")
        )
        return redirect("dashboard:api_keys")
    key = selectors.api_key_get_for(agency=request.agency, api_key_id=shown["id"])
    return render(
        request, "dashboard/settings/api_key_created.html", {"key": key, "secret": shown["secret"]}
    )


@require_action(permissions.API_KEYS_MANAGE)
def api_key_revoke(request: HttpRequest, api_key_id: int) -> HttpResponse:
    key = selectors.api_key_get_for(agency=request.agency, api_key_id=api_key_id)
    if request.method == "POST":
        services.api_key_revoke(actor=request.membership, api_key=key)
        messages.success(
            request,
            _("The key “%(name)s” is revoked; programs using it are refused from now on.")
            % {"name": key.name},
        )
        return redirect("dashboard:api_keys")
    return render(request, "dashboard/settings/api_key_revoke.html", {"key": key})


# --- Settings: audit log --------------------------------------------------------------------


def _day_start(day: datetime.date | None, tz) -> datetime.datetime | None:
    if day is None:
        return None
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=tz)


@require_action(permissions.AUDIT_VIEW)
def audit_log(request: HttpRequest) -> HttpResponse:
    agency = request.agency
    form = AuditFilterForm(request.GET or None, members=selectors.members_list(agency=agency))
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    tz = zoneinfo.ZoneInfo(agency.time_zone)  # dates are days in the agency's time zone
    until = filters.get("until")
    events = selectors.audit_events_list(
        agency=agency,
        verb=filters.get("verb") or None,
        actor_id=filters.get("actor"),
        since=_day_start(filters.get("since"), tz),
        # The end date is included: up to the start of the next day.
        until=_day_start(until + datetime.timedelta(days=1), tz) if until else None,
    )
    context = {
        "form": form,
        "page": _page(request, events),
        "verbs": selectors.audit_verbs(agency=agency),
        "filtered": bool(filters and any(filters.values())),
    }
    return render(request, "dashboard/settings/audit.html", context)


# --- Invitation links (public) --------------------------------------------------------------


def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """The page an invitation email links to, for guests, new people and existing accounts."""
    invitation = selectors.invitation_get_by_token_across_agencies(token)
    try:
        services.invitation_check_usable(invitation)
    except ValidationError as exc:
        return render(
            request,
            "invitations/unusable.html",
            {"reason": " ".join(exc.messages)},
            status=404 if invitation is None else 410,
        )
    context = {"invitation": invitation, "token": token}
    user = request.user
    if user.is_authenticated:
        if user.email.lower() != invitation.email.lower():
            return render(request, "invitations/wrong_account.html", context, status=403)
        if request.method == "POST":
            return _accept_signed_in(request, token, context)
        return render(request, "invitations/accept.html", context)
    form = InvitationSignupForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            user, membership = services.invitation_accept_as_new_user(
                token=token,
                full_name=form.cleaned_data["full_name"],
                password=form.cleaned_data["password"],
            )
        except ValidationError as exc:
            _attach(form, exc)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            return _welcome(request, membership)
    context["form"] = form
    return render(request, "invitations/accept.html", context)


def _accept_signed_in(request: HttpRequest, token: str, context: dict) -> HttpResponse:
    try:
        membership = services.invitation_accept(token=token, user=request.user)
    except ValidationError as exc:
        context["error"] = " ".join(exc.messages)
        return render(request, "invitations/accept.html", context, status=400)
    return _welcome(request, membership)


def _welcome(request: HttpRequest, membership) -> HttpResponse:
    request.session[ACTIVE_AGENCY_SESSION_KEY] = membership.agency_id
    request.session.pop(CURRENT_BRAND_SESSION_KEY, None)
    messages.success(request, _("Welcome to %(agency)s.") % {"agency": membership.agency.name})
    return redirect("dashboard:overview")


invitation_accept.public = True  # reached from an email, before the person has an account
