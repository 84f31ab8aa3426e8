"""The team page: who belongs to the agency, changing a member's role and brands, removing a
member (oneself included)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agency import permissions, selectors
from agency.brands import brands_visible_to
from agency.forms import MembershipRoleForm
from agency.services import members as services
from agency.views.common import (
    attach_errors,
    enter_agency,
    paginate,
    refusal_messages,
    require_action,
)


def role_form(request: HttpRequest, form_class, data=None, **kwargs):
    """A role form (a member's or an invitation's) offering only the roles and brands that the
    signed-in member may give."""
    return form_class(
        data,
        grantable_roles=permissions.roles_grantable_by(request.membership),
        brands=brands_visible_to(request.membership),
        **kwargs,
    )


@require_action(permissions.MEMBERS_VIEW)
def members(request: HttpRequest) -> HttpResponse:
    page = paginate(request, selectors.members_list(agency=request.agency))
    return render(
        request,
        "dashboard/settings/members.html",
        {"page": page, "grantable_roles": permissions.roles_grantable_by(request.membership)},
    )


@require_action(permissions.MEMBERS_MANAGE)
def member_edit(request: HttpRequest, membership_id: int) -> HttpResponse:
    member = selectors.membership_get_for(agency=request.agency, membership_id=membership_id)
    if request.method == "POST":
        form = role_form(request, MembershipRoleForm, request.POST)
        if form.is_valid():
            try:
                services.membership_change_role(
                    actor=request.membership,
                    membership=member,
                    role=form.cleaned_data["role"],
                    brand_ids=form.brand_ids(),
                )
            except (ValidationError, PermissionDenied) as exc:
                attach_errors(
                    form, exc if isinstance(exc, ValidationError) else ValidationError(str(exc))
                )
            else:
                messages.success(
                    request,
                    _("%(person)s's role is saved.") % {"person": member.user.get_full_name()},
                )
                return redirect("dashboard:members")
    else:
        form = role_form(
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
        messages.error(request, " ".join(refusal_messages(exc)))
    else:
        messages.success(
            request,
            _("%(person)s no longer belongs to the agency.")
            % {"person": member.user.get_full_name()},
        )
        if member.pk == request.membership.pk:
            # They left the agency: the next page opens in another agency of theirs, if any.
            enter_agency(request, None)
            return redirect("dashboard:overview")
    return redirect("dashboard:members")
