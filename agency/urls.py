from django.urls import path

from agency.views import (
    agency_settings,
    api_keys,
    audit,
    invitation_links,
    invitations,
    members,
    shell,
    sign_in_links,
)

urlpatterns = [
    path("", shell.overview, name="overview"),
    path("agencies/new/", shell.agency_create, name="agency_create"),
    path("agencies/<int:agency_id>/switch/", shell.agency_switch, name="agency_switch"),
    *(
        path(f"{section}/", shell.section_not_ready, {"section": section}, name=section)
        for section in shell.SECTIONS
    ),
    path("settings/", agency_settings.settings_agency, name="settings_agency"),
    path("settings/members/", members.members, name="members"),
    path("settings/members/<int:membership_id>/", members.member_edit, name="member_edit"),
    path(
        "settings/members/<int:membership_id>/remove/", members.member_remove, name="member_remove"
    ),
    path("settings/invitations/", invitations.invitations, name="invitations"),
    path(
        "settings/invitations/<int:invitation_id>/revoke/",
        invitations.invitation_revoke,
        name="invitation_revoke",
    ),
    path(
        "settings/invitations/<int:invitation_id>/resend/",
        invitations.invitation_resend,
        name="invitation_resend",
    ),
    path("settings/api-keys/", api_keys.api_keys, name="api_keys"),
    path("settings/api-keys/new/", api_keys.api_key_created, name="api_key_created"),
    path(
        "settings/api-keys/<int:api_key_id>/revoke/",
        api_keys.api_key_revoke,
        name="api_key_revoke",
    ),
    path("settings/audit/", audit.audit_log, name="audit_log"),
]

# Outside the dashboard namespace: the invitation email reverses "invitation_accept".
public_urlpatterns = [
    path("invitations/<str:token>/", invitation_links.invitation_accept, name="invitation_accept"),
    # Client users' passwordless sign-in (agency/views/sign_in_links.py).
    path("sign-in/link/", sign_in_links.sign_in_link_request, name="sign_in_link_request"),
    path(
        "sign-in/link/<str:token>/",
        sign_in_links.sign_in_link_confirm,
        name="sign_in_link_confirm",
    ),
]
