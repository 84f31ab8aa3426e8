"""What the dashboard shell shows of crises: the open incidents' count (sidebar badge, banner)."""

from agency import permissions
from reputation.selectors.crises import open_incidents_count


def open_crises(request):
    """Open crisis incidents the member may see; 0 for a role that may not see crises."""
    membership = getattr(request, "membership", None)
    if membership is None:
        return {}
    if not permissions.can(membership, permissions.CRISES_VIEW):
        return {"open_crises": 0}
    return {"open_crises": open_incidents_count(membership)}
