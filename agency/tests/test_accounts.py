"""Sign-up, verification, login limits and password reset, through allauth's real views."""

import re

from allauth.account.models import EmailAddress
from django.core import mail

from agency.models import AuditEvent, Membership, Role, User

SIGNUP = {
    "email": "fondatrice@atlas.test",
    "password1": "un mot de passe très solide",
    "password2": "un mot de passe très solide",
    "full_name": "Yasmine Fondatrice",
    "agency_name": "Agence Atlas",
}


def test_signup_creates_an_agency_owned_by_the_new_person(client, db):
    response = client.post("/accounts/signup/", SIGNUP)
    assert response.status_code == 302
    user = User.objects.get(email="fondatrice@atlas.test")
    membership = Membership.unscoped.select_related("agency").get(user=user)
    assert membership.role == Role.OWNER
    assert membership.agency.name == "Agence Atlas" and membership.agency.slug == "agence-atlas"
    assert user.full_name == "Yasmine Fondatrice"
    assert AuditEvent.unscoped.filter(agency=membership.agency, verb="agency.created").exists()


def test_signup_without_an_agency_name_creates_nothing(client, db):
    response = client.post("/accounts/signup/", {**SIGNUP, "agency_name": ""})
    assert response.status_code == 200
    assert "agency_name" in response.context["form"].errors
    assert not User.objects.exists()


def test_email_must_be_verified_before_signing_in(client, db):
    client.post("/accounts/signup/", SIGNUP)
    assert not EmailAddress.objects.get(email=SIGNUP["email"]).verified
    client.logout()
    response = client.post(
        "/accounts/login/", {"login": SIGNUP["email"], "password": SIGNUP["password1"]}
    )
    assert response.status_code == 302 and "confirm-email" in response["Location"]
    path = re.search(r"/accounts/confirm-email/[^/\s]+/", mail.outbox[-1].body).group(0)
    client.post(path)
    assert EmailAddress.objects.get(email=SIGNUP["email"]).verified


def test_repeated_failed_logins_are_rate_limited(client, owner_of_a):
    for _ in range(5):
        client.post("/accounts/login/", {"login": owner_of_a.user.email, "password": "wrong"})
    response = client.post(
        "/accounts/login/",
        {"login": owner_of_a.user.email, "password": "correct horse battery staple"},
    )
    # allauth answers with the form and a "too many failed attempts" error, even for the
    # right password, until the window passes.
    assert "_auth_user_id" not in client.session
    assert response.context["form"].non_field_errors()


def test_password_reset_sends_a_link(client, owner_of_a):
    client.post("/accounts/password/reset/", {"email": owner_of_a.user.email})
    assert len(mail.outbox) == 1
    assert "/accounts/password/reset/key/" in mail.outbox[0].body


def test_verified_demo_style_user_can_sign_in(client, owner_of_a):
    response = client.post(
        "/accounts/login/",
        {"login": owner_of_a.user.email, "password": "correct horse battery staple"},
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(owner_of_a.user.pk)
