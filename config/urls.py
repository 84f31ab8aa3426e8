from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from agency import urls as agency_urls
from analytics import urls as analytics_urls
from campaigns.views_files import media_file, media_public
from clients import urls as clients_urls
from engagement import urls as engagement_urls
from engagement.views.meta_webhooks import meta_webhook
from notifications import urls as notifications_urls
from publishing.health import health
from reputation.urls import crisis_urlpatterns
from webhooks import urls as webhooks_urls

# One `dashboard` namespace over the pages of several apps: URL names stay `dashboard:...`
# wherever the page lives (two includes under one namespace would hide each other's names).
dashboard_urlpatterns = (
    [
        *agency_urls.urlpatterns,
        *notifications_urls.urlpatterns,
        *webhooks_urls.urlpatterns,
        *crisis_urlpatterns,
        *engagement_urls.urlpatterns,
        *analytics_urls.urlpatterns,
    ],
    "dashboard",
)

urlpatterns = [
    path("health/", health, name="health"),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("config.api_urls")),
    # Networks' pushes: signed by the network, no session, no CSRF (docs/security.md).
    path("hooks/meta/", meta_webhook, name="meta_webhook"),
    # Uploaded files, in every mode, each only to whoever may see what it belongs to (never
    # `static()` on MEDIA_ROOT, which serves any upload to anyone: docs/setup.md).
    path(f"{settings.MEDIA_URL.strip('/')}/<path:path>", media_file, name="media_file"),
    path("m/<str:token>/<str:name>", media_public, name="media_public"),
    path("listening/", include("reputation.urls")),
    # The client's own space (docs/client-portal.md); on an agency's portal domain the only one.
    path("portal/", include("portal.urls")),
    path("", include("campaigns.urls")),
    path("", include("publishing.urls")),
    path("", include("clients.urls")),
    path("", include("reports.urls")),
    path("", include(dashboard_urlpatterns)),
    path("", include(agency_urls.public_urlpatterns)),
    path("", include(clients_urls.public_urlpatterns)),
]
