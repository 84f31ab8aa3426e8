"""Settings pages: agency, members, invitations, API keys, audit log."""

import io
from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from agency.models import Agency, ApiKey, AuditEvent, BrandAccess, Invitation, Membership, Role
from agency.tests.factories import (
    ApiKeyFactory,
    AuditEventFactory,
    InvitationFactory,
    MembershipFactory,
)


def _agency_form(agency, **changes):
    data = {
        "name": agency.name,
        "time_zone": agency.time_zone,
        "language": agency.language,
        "primary_colour": agency.primary_colour,
    }
    data.update(changes)
    return data


def _png() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "#1f6feb").save(buffer, format="PNG")
    return SimpleUploadedFile("logo.png", buffer.getvalue(), content_type="image/png")


# --- Agency ---------------------------------------------------------------------------------


def test_owner_changes_agency_settings_and_it_is_audited(owner_of_a, login, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    response = login(owner_of_a).post(
        reverse("dashboard:settings_agency"),
        {
            **_agency_form(owner_of_a.agency, name="Atlas Digital Maroc", time_zone="Europe/Paris"),
            "require_two_factor": "on",
            "logo": _png(),
        },
    )
    assert response.status_code == 302
    agency = Agency.objects.get(pk=owner_of_a.agency_id)
    assert agency.name == "Atlas Digital Maroc"
    assert agency.time_zone == "Europe/Paris"
    assert agency.require_two_factor is True
    assert agency.logo.name.startswith("agency-logos/")
    assert AuditEvent.unscoped.filter(agency=agency, verb="agency.updated").exists()


def test_logo_that_is_not_an_image_is_refused_on_the_field(owner_of_a, login):
    fake = SimpleUploadedFile("logo.png", b"not an image", content_type="image/png")
    response = login(owner_of_a).post(
        reverse("dashboard:settings_agency"), {**_agency_form(owner_of_a.agency), "logo": fake}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["logo"]
    assert not Agency.objects.get(pk=owner_of_a.agency_id).logo


def test_bad_colour_is_refused_and_nothing_changes(owner_of_a, login):
    response = login(owner_of_a).post(
        reverse("dashboard:settings_agency"),
        _agency_form(owner_of_a.agency, name="Nouveau nom", primary_colour="blue"),
    )
    assert response.context["form"].errors["primary_colour"]
    assert Agency.objects.get(pk=owner_of_a.agency_id).name == "Atlas Digital"


def test_community_manager_cannot_open_agency_settings(member_of_a, login):
    assert login(member_of_a).get(reverse("dashboard:settings_agency")).status_code == 403


# --- Members --------------------------------------------------------------------------------


def test_members_list_shows_roles_and_client_brands(owner_of_a, client_of_a, login):
    response = login(owner_of_a).get(reverse("dashboard:members"))
    body = response.content.decode()
    assert client_of_a.user.email in body
    assert "Café Tanger" in body


def test_members_list_costs_the_same_queries_for_50_members_as_for_5(
    owner_of_a, agency_a, brand_a, login, django_assert_max_num_queries
):
    def add_clients(n):
        for _ in range(n):
            member = MembershipFactory(agency=agency_a, role=Role.CLIENT_VIEWER)
            BrandAccess.unscoped.create(agency=agency_a, membership=member, brand=brand_a)

    client = login(owner_of_a)
    add_clients(4)
    with django_assert_max_num_queries(20) as small:
        client.get(reverse("dashboard:members"))
    add_clients(45)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(reverse("dashboard:members"))
    assert response.context["page"].paginator.count == 50


def test_manager_sees_members_but_has_no_buttons_to_change_them(
    member_factory, agency_a, member_of_a, login
):
    manager = member_factory(agency_a, Role.MANAGER)
    response = login(manager).get(reverse("dashboard:members"))
    assert response.status_code == 200
    assert (
        reverse("dashboard:member_remove", args=[member_of_a.pk]) not in response.content.decode()
    )
    edit = reverse("dashboard:member_edit", args=[member_of_a.pk])
    assert login(manager).post(edit, {"role": Role.ANALYST}).status_code == 403


def test_admin_changes_a_member_into_a_client_with_brands(admin_of_a, member_of_a, brand_a, login):
    response = login(admin_of_a).post(
        reverse("dashboard:member_edit", args=[member_of_a.pk]),
        {"role": Role.CLIENT_VIEWER, "brands": [brand_a.pk]},
    )
    assert response.status_code == 302
    member = Membership.unscoped.get(pk=member_of_a.pk)
    assert member.role == Role.CLIENT_VIEWER
    assert list(BrandAccess.unscoped.filter(membership=member).values_list("brand", flat=True)) == [
        brand_a.pk
    ]


def test_admin_is_not_offered_the_owner_role(admin_of_a, member_of_a, login):
    response = login(admin_of_a).get(reverse("dashboard:member_edit", args=[member_of_a.pk]))
    roles = [value for value, _ in response.context["form"].fields["role"].choices]
    assert Role.OWNER not in roles
    response = login(admin_of_a).post(
        reverse("dashboard:member_edit", args=[member_of_a.pk]), {"role": Role.OWNER}
    )
    assert response.context["form"].errors["role"]
    assert Membership.unscoped.get(pk=member_of_a.pk).role == Role.COMMUNITY_MANAGER


def test_last_owner_cannot_be_demoted_and_the_reason_is_on_the_role_field(owner_of_a, login):
    response = login(owner_of_a).post(
        reverse("dashboard:member_edit", args=[owner_of_a.pk]), {"role": Role.ADMIN}
    )
    assert response.status_code == 200
    assert "owner" in " ".join(response.context["form"].errors["role"]).lower() or (
        "propriétaire" in " ".join(response.context["form"].errors["role"]).lower()
    )
    assert Membership.unscoped.get(pk=owner_of_a.pk).role == Role.OWNER


def test_admin_removes_a_member(admin_of_a, member_of_a, login):
    response = login(admin_of_a).post(reverse("dashboard:member_remove", args=[member_of_a.pk]))
    assert response.status_code == 302
    assert not Membership.unscoped.filter(pk=member_of_a.pk).exists()


def test_removing_the_last_owner_is_refused_with_a_message(owner_of_a, login):
    client = login(owner_of_a)
    response = client.post(reverse("dashboard:member_remove", args=[owner_of_a.pk]), follow=True)
    assert Membership.unscoped.filter(pk=owner_of_a.pk).exists()
    assert [m.level_tag for m in response.context["messages"]] == ["error"]


def test_removing_a_member_needs_a_post(admin_of_a, member_of_a, login):
    url = reverse("dashboard:member_remove", args=[member_of_a.pk])
    assert login(admin_of_a).get(url).status_code == 405


# --- Invitations ----------------------------------------------------------------------------


def test_admin_invites_a_client_with_brands_and_an_email_is_sent(
    admin_of_a, brand_a, login, django_capture_on_commit_callbacks, eager_tasks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = login(admin_of_a).post(
            reverse("dashboard:invitations"),
            {"email": "Client@Cafe.ma", "role": Role.CLIENT_APPROVER, "brands": [brand_a.pk]},
        )
    assert response.status_code == 302
    invitation = Invitation.unscoped.get(email="client@cafe.ma")
    assert invitation.role == Role.CLIENT_APPROVER
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["client@cafe.ma"]


def test_inviting_a_client_without_a_brand_shows_the_error_on_brands(admin_of_a, login):
    response = login(admin_of_a).post(
        reverse("dashboard:invitations"), {"email": "c@cafe.ma", "role": Role.CLIENT_VIEWER}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["brands"]
    assert not Invitation.unscoped.exists()


def test_inviting_an_existing_member_shows_the_error_on_email(admin_of_a, member_of_a, login):
    response = login(admin_of_a).post(
        reverse("dashboard:invitations"),
        {"email": member_of_a.user.email, "role": Role.ANALYST},
    )
    assert response.context["form"].errors["email"]


def test_invitations_list_shows_each_status(admin_of_a, agency_a, login):
    InvitationFactory(agency=agency_a, email="pending@x.ma")
    InvitationFactory(agency=agency_a, email="old@x.ma", expired=True)
    InvitationFactory(agency=agency_a, email="gone@x.ma", revoked_at=timezone.now())
    response = login(admin_of_a).get(reverse("dashboard:invitations"))
    statuses = {i.email: i.status for i in response.context["page"]}
    assert statuses == {"pending@x.ma": "pending", "old@x.ma": "expired", "gone@x.ma": "revoked"}


def test_invitations_list_has_no_n_plus_one(
    admin_of_a, agency_a, brand_a, login, django_assert_max_num_queries
):
    client = login(admin_of_a)
    InvitationFactory.create_batch(3, agency=agency_a, brands=[brand_a])
    with django_assert_max_num_queries(25) as small:
        client.get(reverse("dashboard:invitations"))
    InvitationFactory.create_batch(30, agency=agency_a, brands=[brand_a])
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(reverse("dashboard:invitations"))


def test_revoking_an_invitation_stops_its_link(admin_of_a, agency_a, login):
    invitation = InvitationFactory(agency=agency_a)
    client = login(admin_of_a)
    client.post(reverse("dashboard:invitation_revoke", args=[invitation.pk]))
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None


def test_resending_an_invitation_gives_it_a_new_expiry(admin_of_a, agency_a, login):
    invitation = InvitationFactory(agency=agency_a, expired=True)
    login(admin_of_a).post(reverse("dashboard:invitation_resend", args=[invitation.pk]))
    invitation.refresh_from_db()
    assert invitation.expires_at > timezone.now() + timedelta(days=1)


def test_community_manager_cannot_invite(member_of_a, login):
    response = login(member_of_a).post(
        reverse("dashboard:invitations"), {"email": "x@y.ma", "role": Role.ANALYST}
    )
    assert response.status_code == 403
    assert not Invitation.unscoped.exists()


# --- API keys -------------------------------------------------------------------------------


def test_api_key_is_shown_once(owner_of_a, login):
    client = login(owner_of_a)
    response = client.post(
        reverse("dashboard:api_keys"), {"name": "CRM sync", "scope": "read"}, follow=True
    )
    secret = response.context["secret"]
    assert secret.startswith("ak_")
    assert secret in response.content.decode()
    assert "no-store" in response["Cache-Control"]

    again = client.get(reverse("dashboard:api_key_created"), follow=True)
    assert secret not in again.content.decode()
    assert secret not in client.get(reverse("dashboard:api_keys")).content.decode()
    key = ApiKey.unscoped.get(name="CRM sync")
    assert key.key_hash != secret and key.scope == "read"


def test_duplicate_api_key_name_is_refused_on_the_name_field(owner_of_a, agency_a, login):
    ApiKeyFactory(agency=agency_a, name="CRM")
    response = login(owner_of_a).post(
        reverse("dashboard:api_keys"), {"name": "crm", "scope": "read"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["name"]
    assert ApiKey.unscoped.filter(agency=agency_a).count() == 1


def test_api_key_list_shows_prefix_scope_and_creator(owner_of_a, agency_a, login):
    ApiKeyFactory(agency=agency_a, name="Reporting", created_by=owner_of_a.user, prefix="abcd1234")
    body = login(owner_of_a).get(reverse("dashboard:api_keys")).content.decode()
    assert "ak_abcd1234_" in body and "Reporting" in body


def test_revoking_an_api_key_asks_first_then_revokes(owner_of_a, agency_a, login):
    key = ApiKeyFactory(agency=agency_a)
    client = login(owner_of_a)
    url = reverse("dashboard:api_key_revoke", args=[key.pk])
    assert client.get(url).status_code == 200
    key.refresh_from_db()
    assert key.revoked_at is None
    client.post(url)
    key.refresh_from_db()
    assert key.revoked_at is not None


def test_manager_cannot_see_api_keys(member_factory, agency_a, login):
    manager = member_factory(agency_a, Role.MANAGER)
    assert login(manager).get(reverse("dashboard:api_keys")).status_code == 403


# --- Audit log ------------------------------------------------------------------------------


def test_audit_log_filters_by_verb_prefix_actor_and_dates(owner_of_a, member_of_a, login):
    agency = owner_of_a.agency
    now = timezone.now()
    AuditEventFactory(agency=agency, verb="brand.created", actor=owner_of_a.user)
    AuditEventFactory(agency=agency, verb="brand.archived", actor=member_of_a.user)
    AuditEventFactory(agency=agency, verb="invitation.created", actor=owner_of_a.user)
    AuditEventFactory(
        agency=agency,
        verb="brand.updated",
        actor=owner_of_a.user,
        created_at=now - timedelta(days=40),
    )
    client = login(owner_of_a)
    url = reverse("dashboard:audit_log")

    def verbs(**params):
        return sorted(e.verb for e in client.get(url, params).context["page"])

    assert verbs(verb="brand.") == ["brand.archived", "brand.created", "brand.updated"]
    assert verbs(verb="brand.", actor=owner_of_a.user_id) == ["brand.created", "brand.updated"]
    since = (now - timedelta(days=2)).date().isoformat()
    assert verbs(verb="brand.", since=since) == ["brand.archived", "brand.created"]
    until = (now - timedelta(days=30)).date().isoformat()
    assert verbs(until=until) == ["brand.updated"]


def test_audit_log_is_paginated(owner_of_a, login):
    AuditEventFactory.create_batch(30, agency=owner_of_a.agency)
    client = login(owner_of_a)
    first = client.get(reverse("dashboard:audit_log"))
    assert len(first.context["page"].object_list) == 25
    second = client.get(reverse("dashboard:audit_log"), {"page": 2})
    assert len(second.context["page"].object_list) == 5


def test_audit_log_end_date_before_start_date_is_an_error_on_the_field(owner_of_a, login):
    response = login(owner_of_a).get(
        reverse("dashboard:audit_log"), {"since": "2025-05-10", "until": "2025-05-01"}
    )
    assert response.context["form"].errors["until"]


@pytest.mark.parametrize("role", [Role.COMMUNITY_MANAGER, Role.CLIENT_VIEWER, Role.MANAGER])
def test_only_owners_and_admins_read_the_audit_log(role, member_factory, agency_a, login):
    assert (
        login(member_factory(agency_a, role)).get(reverse("dashboard:audit_log")).status_code == 403
    )


def test_audit_log_never_shows_another_agencys_events(owner_of_a, agency_b, login):
    AuditEventFactory(agency=agency_b, verb="brand.created", target_label="Bahia Surf")
    body = login(owner_of_a).get(reverse("dashboard:audit_log")).content.decode()
    assert "Bahia Surf" not in body
