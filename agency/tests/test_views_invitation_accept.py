"""The page an invitation email links to: new people, existing accounts, and dead links."""

import pytest
from django.urls import reverse
from django.utils import timezone

from agency.models import BrandAccess, Membership, Role, User
from agency.tests.factories import InvitationFactory, UserFactory


@pytest.fixture
def invitation(agency_a, owner_of_a, brand_a):
    return InvitationFactory(
        agency=agency_a,
        email="nadia@cafe-tanger.ma",
        role=Role.CLIENT_APPROVER,
        invited_by=owner_of_a.user,
        brands=[brand_a],
    )


def _url(invitation):
    return reverse("invitation_accept", args=[invitation.token])


def test_invitation_page_shows_agency_and_role(client, invitation):
    response = client.get(_url(invitation))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Atlas Digital" in body
    assert invitation.get_role_display() in body


def test_new_person_creates_an_account_joins_and_is_signed_in(client, invitation, brand_a):
    response = client.post(
        _url(invitation),
        {
            "full_name": "Nadia Bennani",
            "password": "un-mot-de-passe-solide",
            "password_again": "un-mot-de-passe-solide",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email="nadia@cafe-tanger.ma")
    membership = Membership.unscoped.get(user=user)
    assert membership.role == Role.CLIENT_APPROVER
    assert list(
        BrandAccess.unscoped.filter(membership=membership).values_list("brand", flat=True)
    ) == [brand_a.pk]
    assert client.session["active_agency_id"] == membership.agency_id
    # A client role lands on the portal, which opens.
    landing = client.get(reverse("dashboard:overview"))
    assert landing["Location"] == reverse("portal:home")
    assert client.get(landing["Location"]).status_code == 200


def test_new_person_with_mismatched_passwords_gets_the_error_and_no_account(client, invitation):
    response = client.post(
        _url(invitation),
        {"full_name": "Nadia", "password": "un-mot-de-passe-solide", "password_again": "autre"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["password_again"]
    assert not User.objects.filter(email="nadia@cafe-tanger.ma").exists()


def test_new_person_with_a_weak_password_sees_why_on_the_password_field(client, invitation):
    response = client.post(
        _url(invitation), {"full_name": "Nadia", "password": "123", "password_again": "123"}
    )
    assert response.context["form"].errors["password"]
    assert not User.objects.filter(email="nadia@cafe-tanger.ma").exists()


def test_existing_account_signed_in_with_the_invited_email_accepts(client, invitation):
    user = UserFactory(email="nadia@cafe-tanger.ma")
    client.force_login(user)
    page = client.get(_url(invitation))
    assert page.status_code == 200
    response = client.post(_url(invitation))
    assert response.status_code == 302
    membership = Membership.unscoped.get(user=user)
    assert client.session["active_agency_id"] == membership.agency_id
    invitation.refresh_from_db()
    assert invitation.accepted_by == user


def test_guest_with_an_account_is_offered_to_sign_in_and_come_back(client, invitation):
    body = client.get(_url(invitation)).content.decode()
    assert f"{reverse('account_login')}?next={_url(invitation)}" in body


def test_signed_in_with_another_email_is_told_and_offered_to_sign_out(client, invitation, outsider):
    client.force_login(outsider)
    response = client.get(_url(invitation))
    assert "invitations/wrong_account.html" in [t.name for t in response.templates]
    assert reverse("account_logout") in response.content.decode()
    client.post(_url(invitation))
    assert not Membership.unscoped.filter(user=outsider).exists()


def test_expired_invitation_says_so(client, agency_a):
    invitation = InvitationFactory(agency=agency_a, expired=True)
    response = client.get(_url(invitation))
    assert response.status_code == 410
    assert "invitations/unusable.html" in [t.name for t in response.templates]


def test_used_invitation_cannot_be_used_again(client, agency_a):
    invitation = InvitationFactory(agency=agency_a, accepted_at=timezone.now())
    response = client.post(
        _url(invitation),
        {"full_name": "X", "password": "p4ss-w0rd-long", "password_again": "p4ss-w0rd-long"},
    )
    assert response.status_code == 410
    assert not User.objects.filter(email=invitation.email).exists()


def test_revoked_invitation_says_the_agency_withdrew_it(client, agency_a):
    invitation = InvitationFactory(agency=agency_a, revoked_at=timezone.now())
    response = client.get(_url(invitation))
    assert response.status_code == 410
    assert response.context["reason"]


def test_unknown_token_is_404_with_a_clear_page(client, db):
    response = client.get(reverse("invitation_accept", args=["not-a-real-token"]))
    assert response.status_code == 404
    assert "invitations/unusable.html" in [t.name for t in response.templates]
