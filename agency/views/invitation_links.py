"""The page an invitation email links to (public): a guest creates their account and joins, a
signed-in person joins, anyone else learns why the link does not open."""

from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from agency import selectors
from agency.forms import InvitationSignupForm
from agency.services import invitations as services
from agency.views.common import attach_errors, enter_agency


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
            attach_errors(form, exc)
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
    enter_agency(request, membership.agency_id)
    messages.success(request, _("Welcome to %(agency)s.") % {"agency": membership.agency.name})
    return redirect("dashboard:overview")


invitation_accept.public = True  # reached from an email, before the person has an account
