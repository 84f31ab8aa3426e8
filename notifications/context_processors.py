"""The top bar's unread count, on every dashboard page of a member."""

from notifications.selectors import notifications_unread_count


def unread(request):
    membership = getattr(request, "membership", None)
    if membership is None:
        return {}
    return {
        "unread_notifications": notifications_unread_count(
            agency=membership.agency, user=request.user
        )
    }
