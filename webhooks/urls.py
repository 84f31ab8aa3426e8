"""Dashboard pages of webhooks, under Settings. They are part of the `dashboard` namespace,
which config/urls.py assembles from the apps that have pages in it."""

from django.urls import path

from webhooks import views

urlpatterns = [
    path("settings/webhooks/", views.webhook_endpoints, name="webhook_endpoints"),
    path(
        "settings/webhooks/new/",
        views.webhook_endpoint_created,
        name="webhook_endpoint_created",
    ),
    path(
        "settings/webhooks/<int:webhook_endpoint_id>/",
        views.webhook_endpoint,
        name="webhook_endpoint",
    ),
    path(
        "settings/webhooks/<int:webhook_endpoint_id>/delete/",
        views.webhook_endpoint_delete,
        name="webhook_endpoint_delete",
    ),
    path(
        "settings/webhooks/<int:webhook_endpoint_id>/rotate-secret/",
        views.webhook_endpoint_rotate_secret,
        name="webhook_endpoint_rotate_secret",
    ),
    path(
        "settings/webhooks/<int:webhook_endpoint_id>/test/",
        views.webhook_endpoint_test,
        name="webhook_endpoint_test",
    ),
    path(
        "settings/webhooks/deliveries/<int:webhook_delivery_id>/redeliver/",
        views.webhook_delivery_redeliver,
        name="webhook_delivery_redeliver",
    ),
]
