import pytest
from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.utils import translation

from agency.models import BrandAccess, Invitation, Membership, Role, User
from agency.services.invitations import (
    invitation_accept,
    invitation_accept_as_new_user,
    invitation_create,
    invitation_revoke,
)
from agency.tests.factories import InvitationFactory, UserFactory
from clients.tests.factories import BrandFactory


@pytest.fixture(autouse=True)
def _in_english():
    # These tests read the services' messages; the product's default language is French.
    with translation.override("en"):
        yield


@pytest.fixture
def invite(owner_of_a, in_agency, django_capture_on_commit_callbacks):
    def _invite(**kwargs):
        with in_agency(owner_of_a.agency), django_capture_on_commit_callbacks(execute=False):
            return invitation_create(actor=owner_of_a, **kwargs)

    return _invite


def test_existing_user_accepts_and_becomes_a_member(invite, agency_a, in_agency):
    invitation, token = invite(email="Nadia@Example.test", role=Role.ANALYST)
    user = UserFactory(email="nadia@example.test")
    membership = invitation_accept(token=token, user=user)
    assert membership.role == Role.ANALYST and membership.agency_id == agency_a.pk
    invitation.refresh_from_db()
    assert invitation.accepted_by == user and invitation.status == "accepted"


def test_a_used_invitation_cannot_be_used_again(invite):
    _invitation, token = invite(email="nadia@example.test", role=Role.ANALYST)
    user = UserFactory(email="nadia@example.test")
    invitation_accept(token=token, user=user)
    with pytest.raises(ValidationError, match="already been used"):
        invitation_accept(token=token, user=user)
    assert Membership.unscoped.filter(user=user).count() == 1


def test_expired_invitation_is_refused_and_nothing_is_created(agency_a):
    invitation = InvitationFactory(agency=agency_a, expired=True, email="late@example.test")
    user = UserFactory(email="late@example.test")
    with pytest.raises(ValidationError, match="expired"):
        invitation_accept(token=invitation.token, user=user)
    assert not Membership.unscoped.filter(user=user).exists()


def test_revoked_invitation_is_refused(invite, owner_of_a, in_agency):
    invitation, token = invite(email="gone@example.test", role=Role.ANALYST)
    with in_agency(owner_of_a.agency):
        invitation_revoke(actor=owner_of_a, invitation=invitation)
    with pytest.raises(ValidationError, match="withdrawn"):
        invitation_accept(token=token, user=UserFactory(email="gone@example.test"))


def test_unknown_token_is_refused(db):
    with pytest.raises(ValidationError, match="not valid"):
        invitation_accept(token="nope", user=UserFactory())


def test_a_forwarded_invitation_cannot_enrol_someone_else(invite):
    _invitation, token = invite(email="nadia@example.test", role=Role.ADMIN)
    with pytest.raises(ValidationError, match="nadia@example.test"):
        invitation_accept(token=token, user=UserFactory(email="intruder@example.test"))


def test_new_user_accepts_with_a_verified_email_and_their_brands(invite, brand_a):
    _invitation, token = invite(
        email="client@example.test", role=Role.CLIENT_VIEWER, brand_ids=[brand_a.pk]
    )
    user, membership = invitation_accept_as_new_user(
        token=token, full_name="Salma Client", password="un mot de passe solide 42"
    )
    assert EmailAddress.objects.get(user=user).verified
    assert list(
        BrandAccess.unscoped.filter(membership=membership).values_list("brand", flat=True)
    ) == [brand_a.pk]


def test_new_user_with_a_weak_password_gets_a_field_error_and_no_account(invite):
    _invitation, token = invite(email="weak@example.test", role=Role.ANALYST)
    with pytest.raises(ValidationError) as excinfo:
        invitation_accept_as_new_user(token=token, full_name="W", password="123")
    assert "password" in excinfo.value.message_dict
    assert not User.objects.filter(email="weak@example.test").exists()


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"email": "x@example.test", "role": "emperor"}, "role"),
        ({"email": "x@example.test", "role": Role.CLIENT_VIEWER}, "brands"),
        ({"email": "x@example.test", "role": Role.ANALYST, "brand_ids": [1]}, "brands"),
        ({"email": "not-an-email", "role": Role.ANALYST}, "email"),
    ],
)
def test_bad_invitation_input_names_the_field_and_stores_nothing(invite, kwargs, field):
    with pytest.raises(ValidationError) as excinfo:
        invite(**kwargs)
    assert field in excinfo.value.message_dict
    assert Invitation.unscoped.count() == 0


def test_client_invitation_cannot_name_another_agencys_brand(invite, brand_b):
    with pytest.raises(ValidationError) as excinfo:
        invite(email="x@example.test", role=Role.CLIENT_VIEWER, brand_ids=[brand_b.pk])
    assert "brands" in excinfo.value.message_dict
    assert Invitation.unscoped.count() == 0


def test_inviting_an_existing_member_is_refused(invite, member_of_a):
    with pytest.raises(ValidationError) as excinfo:
        invite(email=member_of_a.user.email, role=Role.ANALYST)
    assert "email" in excinfo.value.message_dict


def test_a_new_invitation_replaces_the_pending_one(invite):
    first, first_token = invite(email="twice@example.test", role=Role.ANALYST)
    invite(email="twice@example.test", role=Role.MANAGER)
    first.refresh_from_db()
    assert first.status == "revoked"
    with pytest.raises(ValidationError):
        invitation_accept(token=first_token, user=UserFactory(email="twice@example.test"))


def test_invitation_api_creates_and_enqueues_the_email(
    owner_of_a, api_as, brand_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = api_as(owner_of_a).post(
            "/api/v1/invitations/",
            {"email": "client@example.test", "role": "client_approver", "brand_ids": [brand_a.pk]},
            format="json",
        )
    assert response.status_code == 201, response.content
    assert response.json()["brand_ids"] == [brand_a.pk]
    assert response.json()["status"] == "pending"
    assert len(callbacks) == 1


def test_membership_of_another_agency_brand_is_refused_on_role_change(
    owner_of_a, member_of_a, brand_b, api_as
):
    response = api_as(owner_of_a).patch(
        f"/api/v1/members/{member_of_a.pk}/",
        {"role": "client_viewer", "brand_ids": [brand_b.pk]},
        format="json",
    )
    assert response.status_code == 400
    assert "brands" in response.json()["error"]["fields"]
    member_of_a.refresh_from_db()
    assert member_of_a.role == Role.COMMUNITY_MANAGER
    assert not BrandAccess.unscoped.filter(membership=member_of_a).exists()


def test_membership_lists_only_this_agencys_people(owner_of_a, owner_of_b, api_as):
    emails = [
        m["user"]["email"] for m in api_as(owner_of_a).get("/api/v1/members/").json()["results"]
    ]
    assert emails == [owner_of_a.user.email]


def test_brands_of_a_deleted_client_invitation_do_not_leak(agency_a):
    # An invitation's brands are read through the tenant-scoped related manager.
    brand = BrandFactory(agency=agency_a)
    invitation = InvitationFactory(agency=agency_a, brands=[brand])
    from agency.tenancy import NoTenantError

    with pytest.raises(NoTenantError):
        list(invitation.brands.all())
