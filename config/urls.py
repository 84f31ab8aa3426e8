from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from agency.urls import public_urlpatterns as agency_public_urls
from campaigns.health import health

urlpatterns = [
    path("health/", health, name="health"),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("config.api_urls")),
    path("listening/", include("reputation.urls")),
    path("", include("campaigns.urls")),
    path("", include("clients.urls")),
    path("", include("agency.urls")),
    path("", include(agency_public_urls)),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
