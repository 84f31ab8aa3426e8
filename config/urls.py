from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from agency.urls import public_urlpatterns as agency_public_urls
from campaigns.health import health
from campaigns.views_files import media_file

urlpatterns = [
    path("health/", health, name="health"),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("config.api_urls")),
    # Uploaded files, in every mode, each only to whoever may see what it belongs to (never
    # `static()` on MEDIA_ROOT, which serves any upload to anyone: docs/setup.md).
    path(f"{settings.MEDIA_URL.strip('/')}/<path:path>", media_file, name="media_file"),
    path("listening/", include("reputation.urls")),
    path("", include("campaigns.urls")),
    path("", include("clients.urls")),
    path("", include("agency.urls")),
    path("", include(agency_public_urls)),
]
