"""The client portal at /portal/ (namespace `portal`): docs/client-portal.md."""

from django.urls import path

from portal.views import pages

app_name = "portal"

urlpatterns = [
    path("", pages.home, name="home"),
    path("published/", pages.history, name="history"),
    path("calendar/", pages.calendar, name="calendar"),
    path("activity/", pages.activity, name="activity"),
]
