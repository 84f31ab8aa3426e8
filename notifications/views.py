"""The notification centre: a person's alerts in the active agency, and their preferences."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agency.redirects import is_safe_next
from agency.views.common import attach_errors, member_required, paginate
from notifications import selectors, services
from notifications.forms import NotificationPreferenceForm


@member_required
def notifications(request: HttpRequest) -> HttpResponse:
    items = selectors.notifications_list(agency=request.agency, user=request.user)
    if request.GET.get("unread"):
        items = items.filter(read_at__isnull=True)
    return render(
        request,
        "notifications/list.html",
        {"page": paginate(request, items), "only_unread": bool(request.GET.get("unread"))},
    )


@member_required
@require_POST
def notification_read(request: HttpRequest, notification_id: int) -> HttpResponse:
    """Mark one notification read and follow its link (a link inside the dashboard only)."""
    notification = selectors.notification_get_for(
        agency=request.agency, user=request.user, notification_id=notification_id
    )
    services.notification_mark_read(user=request.user, notification=notification)
    target = notification.url
    if is_safe_next(request, target):
        return redirect(target)
    return redirect("dashboard:notifications")


@member_required
@require_POST
def notifications_read_all(request: HttpRequest) -> HttpResponse:
    count = services.notifications_mark_all_read(agency=request.agency, user=request.user)
    messages.success(request, _("%(count)s notifications marked read.") % {"count": count})
    return redirect("dashboard:notifications")


@member_required
def notification_preferences(request: HttpRequest) -> HttpResponse:
    pref = services.notification_preference_for(
        agency_id=request.agency.pk, user_id=request.user.pk
    )
    initial = {
        "quiet_hours_start": pref.quiet_hours_start,
        "quiet_hours_end": pref.quiet_hours_end,
        "digest_hour": pref.digest_hour,
    }
    form = NotificationPreferenceForm(request.POST or None, initial=initial)
    for field in form.channel_fields():
        form.fields[field.name].initial = pref.channel_for(field.name.removeprefix("channel:"))
    if request.method == "POST" and form.is_valid():
        try:
            services.notification_preference_update(
                membership=request.membership,
                channels=form.channels,
                quiet_hours_start=form.cleaned_data["quiet_hours_start"],
                quiet_hours_end=form.cleaned_data["quiet_hours_end"],
                digest_hour=form.cleaned_data["digest_hour"],
            )
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("Your alert preferences are saved."))
            return redirect("dashboard:notification_preferences")
    return render(request, "notifications/preferences.html", {"form": form})
