"""Bluesky accounts: the session expiry survives a refresh, refused sign-ins and the password
warning in the connect flow. The PDS is faked by respx with documented response shapes."""

import base64
import json
from datetime import UTC, datetime, timedelta

import httpx
import respx
from django.utils import timezone

from clients import selectors
from clients.models import AccountStatus, SocialAccount
from clients.tasks import dispatch_token_refreshes
from clients.tests.factories import SocialAccountFactory

PDS = "https://bsky.social/xrpc"
DID = "did:plc:z72i7hdynmk6r22z27h6tvur"
CREATE_SESSION = f"{PDS}/com.atproto.server.createSession"
REFRESH_SESSION = f"{PDS}/com.atproto.server.refreshSession"
GET_PROFILE = f"{PDS}/app.bsky.actor.getProfile"


def jwt(**claims) -> str:
    def part(data: dict) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()

    return f"{part({'typ': 'at+jwt', 'alg': 'ES256K'})}.{part(claims)}.c2lnbmF0dXJl"


def session(*, exp: datetime, scope: str = "com.atproto.appPass", n: int = 1) -> dict:
    """What createSession / refreshSession answer: a new access and refresh JWT each time."""
    return {
        "did": DID,
        "handle": "atlasbrand.bsky.social",
        "accessJwt": jwt(scope=scope, sub=DID, exp=int(exp.timestamp()), iat=n),
        "refreshJwt": jwt(scope="com.atproto.refresh", sub=DID, jti=f"r{n}"),
        "active": True,
    }


def _bluesky_account(brand, **kwargs):
    defaults = {
        "agency": brand.agency,
        "brand": brand,
        "network": "bluesky",
        "external_id": DID,
        "handle": "@atlasbrand.bsky.social",
        "instance_url": "https://bsky.social",
        "access_token": "old-access",
        "refresh_token": "old-refresh",
        "expires_at": timezone.now() + timedelta(minutes=20),
    }
    return SocialAccountFactory(**{**defaults, **kwargs})


def _due_ids():
    window = timedelta(hours=24)
    return [
        pk
        for pk, _agency in selectors.social_accounts_due_for_refresh_across_agencies(within=window)
    ]


# --- Refresh: the account never drops out of the refresh list ---------------------------------


@respx.mock
def test_a_refreshed_bluesky_account_stays_in_the_refresh_list_and_is_refreshed_again(
    brand_a, eager_tasks
):
    account = _bluesky_account(brand_a)
    first_exp = (timezone.now() + timedelta(hours=2)).replace(microsecond=0)
    second_exp = first_exp + timedelta(minutes=15)
    route = respx.post(REFRESH_SESSION).mock(
        side_effect=[
            httpx.Response(200, json=session(exp=first_exp, n=1)),
            httpx.Response(200, json=session(exp=second_exp, n=2)),
        ]
    )

    assert dispatch_token_refreshes() == 1
    account.refresh_from_db()
    assert account.status == AccountStatus.CONNECTED
    assert account.expires_at == first_exp  # the access JWT's own `exp`
    assert account.refresh_token == session(exp=first_exp, n=1)["refreshJwt"]
    # Still listed, so the next beat refreshes it again, well before the two hours are up.
    assert account.pk in _due_ids()
    assert dispatch_token_refreshes() == 1
    account.refresh_from_db()
    assert route.call_count == 2
    assert route.calls[1].request.headers["Authorization"] == (
        "Bearer " + session(exp=first_exp, n=1)["refreshJwt"]
    )
    assert account.expires_at == second_exp and account.status == AccountStatus.CONNECTED


@respx.mock
def test_a_bluesky_connection_stores_the_access_token_expiry(member_of_a, brand_a, en_login):
    exp = (timezone.now() + timedelta(hours=2)).replace(microsecond=0)
    respx.post(CREATE_SESSION).mock(return_value=httpx.Response(200, json=session(exp=exp)))
    respx.get(GET_PROFILE).mock(return_value=httpx.Response(200, json={"did": DID}))

    response = en_login(member_of_a).post(
        f"/brands/{brand_a.pk}/connect/",
        {
            "network": "bluesky",
            "identifier": "atlasbrand.bsky.social",
            "app_password": "abcd-efgh-ijkl-mnop",
        },
    )

    assert response.status_code == 302
    account = SocialAccount.unscoped.get(agency=brand_a.agency)
    assert account.expires_at == exp
    assert account.pk in _due_ids()


# --- Refused sign-ins --------------------------------------------------------------------------


@respx.mock
def test_a_wrong_app_password_is_not_reported_as_an_expired_session(member_of_a, brand_a, en_login):
    respx.post(CREATE_SESSION).mock(
        return_value=httpx.Response(
            401,
            json={"error": "AuthenticationRequired", "message": "Invalid identifier or password"},
        )
    )
    response = en_login(member_of_a).post(
        f"/brands/{brand_a.pk}/connect/",
        {"network": "bluesky", "identifier": "atlasbrand.bsky.social", "app_password": "wrong"},
    )

    assert response.status_code == 200
    error = " ".join(response.context["form"].errors["app_password"])
    assert "did not accept this handle and app password" in error
    assert "Invalid identifier or password" in error
    assert "session" not in error.lower() and "expired" not in error.lower()
    assert not SocialAccount.unscoped.filter(agency=brand_a.agency).exists()


@respx.mock
def test_a_sign_in_code_request_tells_to_use_an_app_password(member_of_a, brand_a, en_login):
    respx.post(CREATE_SESSION).mock(
        return_value=httpx.Response(
            401,
            json={"error": "AuthFactorTokenRequired", "message": "A sign in code has been sent"},
        )
    )
    response = en_login(member_of_a).post(
        f"/brands/{brand_a.pk}/connect/",
        {"network": "bluesky", "identifier": "atlasbrand.bsky.social", "app_password": "Hunter2!"},
    )

    error = " ".join(response.context["form"].errors["app_password"])
    assert "sign-in code" in error and "app password" in error


# --- The account's own password: accepted, with a warning --------------------------------------


def _connect(client, brand, password):
    return client.post(
        f"/brands/{brand.pk}/connect/",
        {"network": "bluesky", "identifier": "atlasbrand.bsky.social", "app_password": password},
        follow=True,
    )


def _messages(response) -> list[tuple[str, str]]:
    return [(m.level_tag, str(m)) for m in response.context["messages"]]


@respx.mock
def test_the_account_password_connects_with_a_warning_to_use_an_app_password(
    member_of_a, brand_a, en_login
):
    exp = timezone.now() + timedelta(hours=2)
    respx.post(CREATE_SESSION).mock(
        return_value=httpx.Response(200, json=session(exp=exp, scope="com.atproto.access"))
    )
    respx.get(GET_PROFILE).mock(return_value=httpx.Response(200, json={"did": DID}))

    # Even a password shaped like an app password: the session's scope says what it was.
    found = _messages(_connect(en_login(member_of_a), brand_a, "abcd-efgh-ijkl-mnop"))

    assert SocialAccount.unscoped.filter(agency=brand_a.agency).exists()
    assert [level for level, _text in found] == ["success", "warning"]
    assert "not an app password" in found[1][1] and "xxxx-xxxx-xxxx-xxxx" in found[1][1]


@respx.mock
def test_a_password_not_shaped_like_an_app_password_warns_when_the_scope_is_unknown(
    member_of_a, brand_a, en_login
):
    body = session(exp=timezone.now() + timedelta(hours=2))
    body["accessJwt"] = "opaque-token-without-claims"
    respx.post(CREATE_SESSION).mock(return_value=httpx.Response(200, json=body))
    respx.get(GET_PROFILE).mock(return_value=httpx.Response(200, json={"did": DID}))

    found = _messages(_connect(en_login(member_of_a), brand_a, "MyMainPassword2026"))

    assert [level for level, _text in found] == ["success", "warning"]


@respx.mock
def test_an_app_password_connects_without_a_warning(member_of_a, brand_a, en_login):
    exp = datetime.now(UTC) + timedelta(hours=2)
    respx.post(CREATE_SESSION).mock(return_value=httpx.Response(200, json=session(exp=exp)))
    respx.get(GET_PROFILE).mock(return_value=httpx.Response(200, json={"did": DID}))

    found = _messages(_connect(en_login(member_of_a), brand_a, "abcd-efgh-ijkl-mnop"))

    assert [level for level, _text in found] == ["success"]
