"""What the dashboard shell shows of the inbox: the unread conversations' count (sidebar)."""

from agency import permissions
from engagement.selectors.inbox import unread_count


def inbox_unread(request):
    """Unread, not closed conversations the member may see; nothing for a role without the
    inbox."""
    membership = getattr(request, "membership", None)
    if membership is None or not permissions.can(membership, permissions.INBOX_VIEW):
        return {}
    return {"inbox_unread": unread_count(membership)}
