"""Set the tenant for each dashboard request, and enforce an agency's two-factor requirement."""

from allauth.mfa.models import Authenticator
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from agency.selectors import membership_for, portal_membership_for
from agency.tenancy import tenant_scope

ACTIVE_AGENCY_SESSION_KEY = "active_agency_id"


class TenantMiddleware:
    """Resolve the signed-in person's active agency and run the request inside its scope.

    On an agency's portal domain (`request.portal_agency`, set by agency.hosts) only the
    person's membership of that agency is opened, or none.

    API-key requests carry no session: the API base view sets their scope instead. The admin
    is staff support and spans agencies: it runs outside any scope, so that editing another
    agency's row there is not refused by the write guard of agency.tenancy.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.membership = None
        request.agency = None
        portal_agency = getattr(request, "portal_agency", None)
        if request.user.is_authenticated and portal_agency is not None:
            # On an agency's portal domain only that agency is opened (agency/hosts.py): a
            # person who belongs to others too never sees theirs here.
            membership = portal_membership_for(request.user, portal_agency.pk)
            if membership is not None:
                request.membership = membership
                request.agency = membership.agency
                with tenant_scope(membership.agency_id):
                    return self.get_response(request)
            return self.get_response(request)
        if request.user.is_authenticated:
            membership = membership_for(
                request.user, request.session.get(ACTIVE_AGENCY_SESSION_KEY)
            )
            if membership is not None and request.path.startswith(reverse("admin:index")):
                request.agency = membership.agency  # its two-factor rule still applies
                return self.get_response(request)
            if membership is not None:
                request.membership = membership
                request.agency = membership.agency
                with tenant_scope(membership.agency_id):
                    return self.get_response(request)
        return self.get_response(request)


class RequireTwoFactorMiddleware:
    """Members of an agency that requires two-factor must set up an authenticator first."""

    # The pages a person needs in order to comply, sign out, or switch language.
    ALLOWED_PREFIXES = ("/accounts/", "/static/", "/i18n/", "/media/", "/invitations/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        agency = getattr(request, "agency", None)
        if (
            agency is not None
            and agency.require_two_factor
            and not request.path.startswith(self.ALLOWED_PREFIXES)
            and not Authenticator.objects.filter(
                user=request.user, type=Authenticator.Type.TOTP
            ).exists()
        ):
            message = _("%(agency)s requires two-factor authentication. Set it up to continue.") % {
                "agency": agency.name
            }
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {"error": {"code": "two_factor_required", "message": message, "fields": {}}},
                    status=403,
                )
            from django.contrib import messages

            messages.warning(request, message)
            return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)
