"""What every dashboard page needs to draw the shell: agency, switchers, allowed actions."""

from agency import permissions
from agency.brands import brands_visible_to
from agency.selectors import memberships_of_user_across_agencies


def tenant(request):
    membership = getattr(request, "membership", None)
    if membership is None:
        return {}
    return {
        "agency": membership.agency,
        "membership": membership,
        "my_memberships": memberships_of_user_across_agencies(request.user),
        "switcher_brands": brands_visible_to(membership),
        "current_brand_id": request.session.get("current_brand_id"),
        "allowed": permissions.actions_for(membership),
    }
