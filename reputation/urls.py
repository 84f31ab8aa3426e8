"""Listening pages (mounted under /listening/, namespace "listening") and the crisis pages.

The crisis pages keep their paths (/crises/…) and names ("dashboard:crisis_incident" …):
config/urls.py mounts ``crisis_urlpatterns`` in the dashboard namespace beside agency's pages,
so that agency, the leaf, does not import this app.
"""

from django.urls import path

from reputation.views import census, crises, mentions, overview, queries, sources

app_name = "listening"
urlpatterns = [
    path("", mentions.mention_list, name="mentions"),
    path("export.csv", mentions.mention_export, name="mentions_export"),
    path("mentions/new/", mentions.mention_stream_new, name="mentions_new"),
    path(
        "mentions/<int:mention_id>/sentiment/",
        mentions.mention_sentiment,
        name="mention_sentiment",
    ),
    path("mentions/<int:mention_id>/triage/", mentions.mention_triage, name="mention_triage"),
    path("overview/", overview.overview, name="overview"),
    path("influencers/", overview.influencer_list, name="influencers"),
    path("influencers/export.csv", overview.influencer_export, name="influencers_export"),
    path("census/", census.census, name="census"),
    path("census/export.csv", census.census_export, name="census_export"),
    path("queries/", queries.query_list, name="queries"),
    path("queries/<int:listening_query_id>/edit/", queries.query_edit, name="query_edit"),
    path("queries/<int:listening_query_id>/delete/", queries.query_delete, name="query_delete"),
    path("sources/", sources.source_list, name="sources"),
    path("sources/import/", sources.source_import, name="sources_import"),
    path(
        "sources/imports/<int:source_import_id>/",
        sources.source_import_status,
        name="source_import_status",
    ),
    path("sources/<int:source_id>/edit/", sources.source_edit, name="source_edit"),
    path("sources/<int:source_id>/delete/", sources.source_delete, name="source_delete"),
    path("sources/<int:source_id>/poll/", sources.source_poll, name="source_poll"),
]

crisis_urlpatterns = [
    path("crises/", crises.incidents, name="crises"),
    path("crises/<int:crisis_incident_id>/", crises.incident, name="crisis_incident"),
    path(
        "crises/<int:crisis_incident_id>/acknowledge/",
        crises.incident_acknowledge,
        name="crisis_incident_acknowledge",
    ),
    path(
        "crises/<int:crisis_incident_id>/resolve/",
        crises.incident_resolve,
        name="crisis_incident_resolve",
    ),
    path(
        "crises/<int:crisis_incident_id>/notes/",
        crises.incident_note,
        name="crisis_incident_note",
    ),
    path(
        "crises/<int:crisis_incident_id>/assign/",
        crises.incident_assign,
        name="crisis_incident_assign",
    ),
    path("crises/rules/<int:brand_id>/", crises.rule, name="crisis_rule"),
]
