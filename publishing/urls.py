from django.urls import path

from publishing import views

app_name = "publishing"

urlpatterns = [
    path("queue/", views.publishing_queue, name="publishing_queue"),
    path("queue/networks/", views.network_status, name="network_status"),
    path("queue/pause/", views.agency_publishing_pause, name="agency_publishing_pause"),
    path(
        "queue/variants/<int:post_variant_id>/retry/",
        views.post_variant_retry,
        name="post_variant_retry",
    ),
    path(
        "queue/variants/<int:post_variant_id>/cancel/",
        views.post_variant_cancel,
        name="post_variant_cancel",
    ),
    path(
        "queue/variants/<int:post_variant_id>/resolve/",
        views.post_variant_resolve,
        name="post_variant_resolve",
    ),
    path(
        "brands/<int:brand_id>/publishing/pause/",
        views.brand_publishing_pause,
        name="brand_publishing_pause",
    ),
]
