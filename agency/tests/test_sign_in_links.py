"""Client users' passwordless sign-in: ask for a link, open it, confirm by POST."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from agency.hashing import secret_hash
from agency.models import AuditEvent, Role, SignInLink
from agency.tests.factories import SignInLinkFactory

REQUEST_URL = "/sign-in/link/"


@pytest.fixture
def anonymous(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def ask(anonymous, eager_tasks, django_capture_on_commit_callbacks):
    """ask(email) -> the response to the request form, with its e-mail (if any) sent."""

    def _ask(email, **extra):
        with django_capture_on_commit_callbacks(execute=True):
            return anonymous.post(REQUEST_URL, {"email": email}, **extra)

    return _ask


def _link_in(message) -> str:
    found = re.search(r"https?://\S+/sign-in/link/(\S+)/", message.body)
    assert found, message.body
    return f"/sign-in/link/{found.group(1)}/"


def _verbs(agency):
    return list(
        AuditEvent.unscoped.filter(agency=agency, verb__startswith="sign_in_link.")
        .order_by("pk")
        .values_list("verb", flat=True)
    )


def test_a_client_gets_a_link_whose_token_is_stored_only_as_a_hash(ask, client_of_a, agency_a):
    response = ask("Client_Approver@Atlas-Digital.test")

    assert response.status_code == 200
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [client_of_a.user.email]
    path = _link_in(mail.outbox[0])
    token = path.rstrip("/").rsplit("/", 1)[1]
    link = SignInLink.unscoped.get()
    assert link.token_hash == secret_hash(token) and token not in link.token_hash
    assert link.membership == client_of_a
    assert link.expires_at - link.created_at == timedelta(minutes=15)
    assert _verbs(agency_a) == ["sign_in_link.requested"]
    # In the agency's language (French), whatever the browser's.
    assert mail.outbox[0].subject.endswith("Votre lien de connexion à Atlas Digital")


def test_opening_the_link_asks_for_a_confirmation_and_signs_in_only_on_post(
    ask, anonymous, client_of_a
):
    ask(client_of_a.user.email)
    path = _link_in(mail.outbox[0])

    # What a mail scanner does: GET, even twice. Nothing is spent, nobody is signed in.
    for _ in range(2):
        page = anonymous.get(path)
        assert page.status_code == 200
        assert 'method="post"' in page.content.decode()
    assert "_auth_user_id" not in anonymous.session
    assert SignInLink.unscoped.get().used_at is None

    response = anonymous.post(path)

    assert response.status_code == 302
    assert response["Location"] in ("/portal/", reverse("dashboard:overview"))
    assert anonymous.session["_auth_user_id"] == str(client_of_a.user.pk)
    assert anonymous.session["active_agency_id"] == client_of_a.agency_id
    assert SignInLink.unscoped.get().used_at is not None


def test_a_client_lands_on_the_portal_when_it_exists_else_on_the_dashboard(
    ask, anonymous, client_of_a
):
    from django.urls import NoReverseMatch

    try:
        expected = reverse("portal:home")
    except NoReverseMatch:
        expected = reverse("dashboard:overview")
    ask(client_of_a.user.email)
    response = anonymous.post(_link_in(mail.outbox[0]))
    assert response["Location"] == expected


def test_a_link_signs_in_once_not_twice(ask, anonymous, client, client_of_a, agency_a):
    ask(client_of_a.user.email)
    path = _link_in(mail.outbox[0])
    assert anonymous.post(path).status_code == 302
    anonymous.logout()

    again = anonymous.post(path)

    assert again.status_code == 410
    assert "already used" in again.content.decode()
    assert "_auth_user_id" not in anonymous.session
    assert anonymous.get(path).status_code == 410
    assert _verbs(agency_a) == [
        "sign_in_link.requested",
        "sign_in_link.used",
        "sign_in_link.refused",
    ]
    refused = AuditEvent.unscoped.filter(verb="sign_in_link.refused").get()
    assert refused.data["reason"] == "used"


def test_an_expired_link_does_not_sign_in(anonymous, client_of_a, agency_a):
    link = SignInLinkFactory(
        membership=client_of_a, expires_at=timezone.now() - timedelta(seconds=1)
    )
    path = reverse("sign_in_link_confirm", args=[link.token])

    assert anonymous.get(path).status_code == 410
    response = anonymous.post(path)

    assert response.status_code == 410
    assert "expired" in response.content.decode()
    assert "_auth_user_id" not in anonymous.session
    refused = AuditEvent.unscoped.get(agency=agency_a, verb="sign_in_link.refused")
    assert refused.data["reason"] == "expired"


def test_a_link_expires_after_the_configured_minutes(ask, anonymous, client_of_a, settings):
    settings.SIGN_IN_LINK_TTL_MINUTES = 5
    ask(client_of_a.user.email)
    link = SignInLink.unscoped.get()
    assert link.expires_at - link.created_at == timedelta(minutes=5)
    SignInLink.unscoped.filter(pk=link.pk).update(expires_at=timezone.now())
    assert anonymous.post(_link_in(mail.outbox[0])).status_code == 410


def test_an_unknown_token_is_a_404_on_get_and_post(anonymous, db):
    path = reverse("sign_in_link_confirm", args=["not-a-token"])
    assert anonymous.get(path).status_code == 404
    assert anonymous.post(path).status_code == 404
    assert "_auth_user_id" not in anonymous.session


def test_a_link_of_someone_who_is_no_longer_a_client_does_not_sign_in(anonymous, client_of_a):
    link = SignInLinkFactory(membership=client_of_a)
    type(client_of_a).unscoped.filter(pk=client_of_a.pk).update(role=Role.ANALYST)
    response = anonymous.post(reverse("sign_in_link_confirm", args=[link.token]))
    assert response.status_code == 410
    assert "_auth_user_id" not in anonymous.session


def test_the_answer_is_the_same_for_a_client_a_team_member_and_an_unknown_address(
    ask, client_of_a, member_of_a
):
    def page_for(email):
        body = ask(email).content.decode()
        # CSRF tokens differ per response (masked): everything else must be the same.
        return re.sub(r"[A-Za-z0-9]{64}", "", body).replace(email, "@")

    as_client = page_for(client_of_a.user.email)
    as_member = page_for(member_of_a.user.email)
    as_nobody = page_for("nobody@example.test")

    assert as_client == as_member == as_nobody
    assert [m.to for m in mail.outbox] == [[client_of_a.user.email]]
    assert SignInLink.unscoped.count() == 1


def test_requests_are_rate_limited_per_address_whether_or_not_it_exists(ask, client_of_a):
    for email in (client_of_a.user.email, "nobody@example.test"):
        answers = [ask(email).status_code for _ in range(4)]
        assert answers == [200, 200, 200, 429], email
    assert len(mail.outbox) == 3


def test_requests_are_rate_limited_per_ip(ask, db):
    answers = [ask(f"person{n}@example.test").status_code for n in range(11)]
    assert answers.count(429) == 1 and answers[-1] == 429


def test_a_client_with_two_factor_is_still_asked_for_the_code(ask, anonymous, client_of_a):
    from allauth.mfa.models import Authenticator

    Authenticator.objects.create(
        user=client_of_a.user, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"}
    )
    ask(client_of_a.user.email)

    response = anonymous.post(_link_in(mail.outbox[0]))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_authenticate"))
    assert "_auth_user_id" not in anonymous.session


def test_the_password_sign_in_page_offers_the_link(anonymous):
    body = anonymous.get(reverse("account_login")).content.decode()
    assert 'name="password"' in body
    assert REQUEST_URL in body
