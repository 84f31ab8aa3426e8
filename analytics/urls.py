"""The analytics pages, in the dashboard namespace (config/urls.py): ``dashboard:analytics``,
``dashboard:brand_analytics``, ``dashboard:campaign_analytics``."""

from django.urls import path

from analytics.views import pages

urlpatterns = [
    path("analytics/", pages.agency_analytics, name="analytics"),
    path("brands/<int:brand_id>/analytics/", pages.brand_analytics, name="brand_analytics"),
    path(
        "campaigns/<int:campaign_id>/analytics/",
        pages.campaign_analytics,
        name="campaign_analytics",
    ),
]
