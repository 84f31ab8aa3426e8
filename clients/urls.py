from django.urls import path

from clients import views

app_name = "brands"
urlpatterns = [
    path("brands/", views.brand_list, name="list"),
    path("brands/new/", views.brand_create, name="create"),
    path("brands/all/select/", views.brand_select_all, name="select_all"),
    path("brands/<int:brand_id>/edit/", views.brand_edit, name="edit"),
    path("brands/<int:brand_id>/archive/", views.brand_archive, name="archive"),
    path("brands/<int:brand_id>/restore/", views.brand_restore, name="restore"),
    path("brands/<int:brand_id>/select/", views.brand_select, name="select"),
]

# Brand page, profile and connected accounts (clients/views_profile.py, views_accounts.py).
from clients import views_accounts, views_profile  # noqa: E402

urlpatterns += [
    path("brands/<int:brand_id>/", views_profile.brand_detail, name="detail"),
    path(
        "brands/<int:brand_id>/guidelines/", views_profile.guidelines_edit, name="guidelines_edit"
    ),
    path("brands/<int:brand_id>/logo/", views_profile.logo_upload, name="logo_upload"),
    path("brands/<int:brand_id>/logo/remove/", views_profile.logo_remove, name="logo_remove"),
    path(
        "brands/<int:brand_id>/audiences/new/", views_profile.persona_create, name="persona_create"
    ),
    path("audiences/<int:persona_id>/edit/", views_profile.persona_edit, name="persona_edit"),
    path("audiences/<int:persona_id>/delete/", views_profile.persona_delete, name="persona_delete"),
    path(
        "brands/<int:brand_id>/competitors/new/",
        views_profile.competitor_create,
        name="competitor_create",
    ),
    path(
        "competitors/<int:competitor_id>/edit/",
        views_profile.competitor_edit,
        name="competitor_edit",
    ),
    path(
        "competitors/<int:competitor_id>/delete/",
        views_profile.competitor_delete,
        name="competitor_delete",
    ),
    path(
        "brands/<int:brand_id>/contacts/new/",
        views_profile.client_contact_create,
        name="client_contact_create",
    ),
    path(
        "contacts/<int:client_contact_id>/edit/",
        views_profile.client_contact_edit,
        name="client_contact_edit",
    ),
    path(
        "contacts/<int:client_contact_id>/delete/",
        views_profile.client_contact_delete,
        name="client_contact_delete",
    ),
    path("brands/<int:brand_id>/connect/", views_accounts.account_connect, name="account_connect"),
    path(
        "brands/<int:brand_id>/connect/choose/",
        views_accounts.connection_choose,
        name="connection_choose",
    ),
    path(
        "connections/callback/<str:network>/",
        views_accounts.connection_callback,
        name="connection_callback",
    ),
    path(
        "connections/<int:social_account_id>/disconnect/",
        views_accounts.account_disconnect,
        name="account_disconnect",
    ),
    path(
        "connections/<int:social_account_id>/webhooks/retry/",
        views_accounts.account_webhooks_retry,
        name="account_webhooks_retry",
    ),
]

# Connection links: the team's (brand accounts tab) and the client's public pages.
from clients import views_connection_links  # noqa: E402

urlpatterns += [
    path(
        "brands/<int:brand_id>/connection-links/new/",
        views_connection_links.connection_link_create,
        name="connection_link_create",
    ),
    path(
        "connection-links/<int:connection_link_id>/revoke/",
        views_connection_links.connection_link_revoke,
        name="connection_link_revoke",
    ),
]

# Outside the `brands` namespace: the client has no agency account; the token is the
# credential. "choose" first: it would otherwise read as a token.
public_urlpatterns = [
    path(
        "connect/choose/",
        views_connection_links.connection_link_choose,
        name="connection_link_choose",
    ),
    path(
        "connect/<str:token>/", views_connection_links.connection_link_page, name="connection_link"
    ),
]
