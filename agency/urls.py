from django.urls import path

from agency import views

urlpatterns = [
    path("", views.overview, name="overview"),
    path("agencies/new/", views.agency_create, name="agency_create"),
    path("agencies/<int:agency_id>/switch/", views.agency_switch, name="agency_switch"),
    *(
        path(f"{section}/", views.section_not_ready, {"section": section}, name=section)
        for section in views.SECTIONS
    ),
    path("settings/", views.settings_agency, name="settings_agency"),
    path("settings/members/", views.members, name="members"),
    path("settings/members/<int:membership_id>/", views.member_edit, name="member_edit"),
    path("settings/members/<int:membership_id>/remove/", views.member_remove, name="member_remove"),
    path("settings/invitations/", views.invitations, name="invitations"),
    path(
        "settings/invitations/<int:invitation_id>/revoke/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
    path(
        "settings/invitations/<int:invitation_id>/resend/",
        views.invitation_resend,
        name="invitation_resend",
    ),
    path("settings/api-keys/", views.api_keys, name="api_keys"),
    path("settings/api-keys/new/", views.api_key_created, name="api_key_created"),
    path("settings/api-keys/<int:api_key_id>/revoke/", views.api_key_revoke, name="api_key_revoke"),
    path("settings/audit/", views.audit_log, name="audit_log"),
]

# Outside the dashboard namespace: the invitation email reverses "invitation_accept".
public_urlpatterns = [
    path("invitations/<str:token>/", views.invitation_accept, name="invitation_accept"),
]
