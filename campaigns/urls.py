from django.urls import path

from campaigns.views import calendar, composer, imports, media, planning, posts, public, share_links

app_name = "campaigns"


def _action(name: str):
    return path(
        f"posts/<int:post_id>/{name}/", posts.post_action, {"action": name}, name=f"post_{name}"
    )


urlpatterns = [
    path("campaigns/", planning.campaign_list, name="campaign_list"),
    path("campaigns/new/", planning.campaign_create, name="campaign_create"),
    path("campaigns/<int:campaign_id>/", planning.campaign_detail, name="campaign_detail"),
    path("campaigns/<int:campaign_id>/edit/", planning.campaign_edit, name="campaign_edit"),
    path("campaigns/<int:campaign_id>/delete/", planning.campaign_delete, name="campaign_delete"),
    path("ideas/new/", planning.idea_create, name="idea_create"),
    path("ideas/<int:idea_id>/convert/", planning.idea_convert, name="idea_convert"),
    path("ideas/<int:idea_id>/delete/", planning.idea_delete, name="idea_delete"),
    path("calendar/", calendar.calendar, name="calendar"),
    path("calendar/export.csv", calendar.calendar_export, name="calendar_export"),
    path("approvals/", posts.approvals, name="approvals"),
    path("approvals/bulk-approve/", posts.posts_bulk_approve_view, name="posts_bulk_approve"),
    path("posts/new/", composer.post_create, name="post_create"),
    path("posts/preview/", composer.compose_preview, name="compose_preview"),
    path("posts/import/", imports.post_import, name="post_import"),
    path(
        "posts/import/<int:post_import_id>/",
        imports.post_import_preview,
        name="post_import_preview",
    ),
    path("posts/<int:post_id>/", posts.post_detail, name="post_detail"),
    path("posts/<int:post_id>/edit/", composer.post_edit, name="post_edit"),
    path("posts/<int:post_id>/approve/", posts.post_approve, name="post_approve"),
    path(
        "posts/<int:post_id>/request-changes/",
        posts.post_request_changes,
        name="post_request_changes",
    ),
    path("posts/<int:post_id>/reject/", posts.post_reject, name="post_reject"),
    path("posts/<int:post_id>/decide/", posts.post_variant_decide, name="post_variant_decide"),
    path("posts/<int:post_id>/hold/", posts.post_hold, name="post_hold"),
    path("posts/<int:post_id>/release/", posts.post_release, name="post_release"),
    path("posts/<int:post_id>/comment/", posts.post_comment, name="post_comment"),
    path("posts/<int:post_id>/reschedule/", calendar.post_reschedule, name="post_reschedule"),
    *(_action(name) for name in posts.POST_ACTIONS),
    path("media/", media.media_library, name="media_library"),
    path("media/<int:media_asset_id>/delete/", media.media_delete, name="media_delete"),
    path(
        "brands/<int:brand_id>/publishing/", share_links.brand_publishing, name="brand_publishing"
    ),
    path(
        "share-links/<int:share_link_id>/revoke/",
        share_links.share_link_revoke,
        name="share_link_revoke",
    ),
    # Public: the signed token is the credential.
    path("approve/<str:token>/", public.approval_link, name="approval_link"),
    path("feeds/<str:token>.ics", public.ics_feed, name="ics"),
]
