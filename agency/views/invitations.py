"""The invitations page: inviting someone (with their brands, for a client role), and sending
an invitation again or withdrawing it."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agency import permissions, selectors
from agency.forms import InvitationForm
from agency.services import invitations as services
from agency.views.common import attach_errors, paginate, require_action
from agency.views.members import role_form


@require_action(permissions.INVITATIONS_MANAGE)
def invitations(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = role_form(request, InvitationForm, request.POST)
        if form.is_valid():
            try:
                invitation, _token = services.invitation_create(
                    actor=request.membership,
                    email=form.cleaned_data["email"],
                    role=form.cleaned_data["role"],
                    brand_ids=form.brand_ids(),
                )
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                messages.success(
                    request, _("An invitation was sent to %(email)s.") % {"email": invitation.email}
                )
                return redirect("dashboard:invitations")
    else:
        form = role_form(request, InvitationForm)
    page = paginate(request, selectors.invitations_list(agency=request.agency))
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
