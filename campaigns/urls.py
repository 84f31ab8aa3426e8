from django.urls import path

from campaigns import views, views_queue

app_name = "campaigns"


def _action(name: str):
    return path(
        f"posts/<int:post_id>/{name}/", views.post_action, {"action": name}, name=f"post_{name}"
    )


urlpatterns = [
    path("campaigns/", views.campaign_list, name="campaign_list"),
    path("campaigns/new/", views.campaign_create, name="campaign_create"),
    path("campaigns/<int:campaign_id>/", views.campaign_detail, name="campaign_detail"),
    path("campaigns/<int:campaign_id>/edit/", views.campaign_edit, name="campaign_edit"),
    path("campaigns/<int:campaign_id>/delete/", views.campaign_delete, name="campaign_delete"),
    path("ideas/new/", views.idea_create, name="idea_create"),
    path("ideas/<int:idea_id>/convert/", views.idea_convert, name="idea_convert"),
    path("ideas/<int:idea_id>/delete/", views.idea_delete, name="idea_delete"),
    path("calendar/", views.calendar, name="calendar"),
    path("calendar/export.csv", views.calendar_export, name="calendar_export"),
    path("approvals/", views.approvals, name="approvals"),
    path("posts/new/", views.post_create, name="post_create"),
    path("posts/preview/", views.compose_preview, name="compose_preview"),
    path("posts/import/", views.post_import, name="post_import"),
    path(
        "posts/import/<int:post_import_id>/",
        views.post_import_preview,
        name="post_import_preview",
    ),
    path("posts/<int:post_id>/", views.post_detail, name="post_detail"),
    path("posts/<int:post_id>/edit/", views.post_edit, name="post_edit"),
    path("posts/<int:post_id>/approve/", views.post_approve, name="post_approve"),
    path(
        "posts/<int:post_id>/request-changes/",
        views.post_request_changes,
        name="post_request_changes",
    ),
    path("posts/<int:post_id>/comment/", views.post_comment, name="post_comment"),
    path("posts/<int:post_id>/reschedule/", views.post_reschedule, name="post_reschedule"),
    *(_action(name) for name in views.POST_ACTIONS),
    path("queue/", views_queue.publishing_queue, name="publishing_queue"),
    path("queue/pause/", views_queue.agency_publishing_pause, name="agency_publishing_pause"),
    path(
        "queue/variants/<int:post_variant_id>/retry/",
        views_queue.post_variant_retry,
        name="post_variant_retry",
    ),
    path(
        "queue/variants/<int:post_variant_id>/cancel/",
        views_queue.post_variant_cancel,
        name="post_variant_cancel",
    ),
    path(
        "queue/variants/<int:post_variant_id>/resolve/",
        views_queue.post_variant_resolve,
        name="post_variant_resolve",
    ),
    path(
        "brands/<int:brand_id>/publishing/pause/",
        views_queue.brand_publishing_pause,
        name="brand_publishing_pause",
    ),
    path("media/", views.media_library, name="media_library"),
    path("media/<int:media_asset_id>/delete/", views.media_delete, name="media_delete"),
    path("brands/<int:brand_id>/publishing/", views.brand_publishing, name="brand_publishing"),
    path(
        "share-links/<int:share_link_id>/revoke/",
        views.share_link_revoke,
        name="share_link_revoke",
    ),
    # Public: the signed token is the credential.
    path("approve/<str:token>/", views.approval_link, name="approval_link"),
    path("feeds/<str:token>.ics", views.ics_feed, name="ics"),
]
