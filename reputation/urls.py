from django.urls import path

from reputation import views

app_name = "listening"
urlpatterns = [
    path("", views.mention_list, name="mentions"),
    path("export.csv", views.mention_export, name="mentions_export"),
    path("mentions/<int:mention_id>/sentiment/", views.mention_sentiment, name="mention_sentiment"),
    path("mentions/<int:mention_id>/triage/", views.mention_triage, name="mention_triage"),
    path("overview/", views.overview, name="overview"),
    path("influencers/", views.influencer_list, name="influencers"),
    path("influencers/export.csv", views.influencer_export, name="influencers_export"),
    path("queries/", views.query_list, name="queries"),
    path("queries/<int:listening_query_id>/edit/", views.query_edit, name="query_edit"),
    path("queries/<int:listening_query_id>/delete/", views.query_delete, name="query_delete"),
    path("sources/", views.source_list, name="sources"),
    path("sources/import/", views.source_import, name="sources_import"),
    path(
        "sources/imports/<int:source_import_id>/",
        views.source_import_status,
        name="source_import_status",
    ),
    path("sources/<int:source_id>/edit/", views.source_edit, name="source_edit"),
    path("sources/<int:source_id>/delete/", views.source_delete, name="source_delete"),
    path("sources/<int:source_id>/poll/", views.source_poll, name="source_poll"),
]
