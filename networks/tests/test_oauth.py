from urllib.parse import parse_qs, urlsplit

import pytest
from hypothesis import given
from hypothesis import strategies as st

from networks.oauth import (
    OAuthSpec,
    build_authorization_url,
    code_challenge_s256,
    generate_code_verifier,
    generate_state,
    state_matches,
)

SPEC = OAuthSpec(
    authorize_url="https://auth.example/authorize",
    token_url="https://auth.example/token",
    default_scopes=("read", "write"),
    pkce=True,
)


def test_s256_challenge_matches_the_rfc_7636_test_vector():
    # RFC 7636, Appendix B.
    verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
    assert code_challenge_s256(verifier) == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"


@given(st.integers(min_value=43, max_value=128))
def test_generated_verifiers_have_the_asked_length_and_only_unreserved_characters(length):
    verifier = generate_code_verifier(length)
    assert len(verifier) == length
    assert set(verifier) <= set(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~"
    )
    assert "=" not in code_challenge_s256(verifier)


def test_verifier_length_outside_the_rfc_range_is_refused():
    with pytest.raises(ValueError):
        generate_code_verifier(42)
    with pytest.raises(ValueError):
        code_challenge_s256("short")


def test_states_are_unguessable_and_compared_safely():
    states = {generate_state() for _ in range(100)}
    assert len(states) == 100
    assert all(len(s) >= 43 for s in states)  # 32 random bytes
    state = generate_state()
    assert state_matches(state, state)
    assert not state_matches(state, state + "x")
    assert not state_matches(state, None)
    assert not state_matches("", "")


def test_authorization_url_carries_state_scopes_and_s256_challenge():
    url = build_authorization_url(
        SPEC,
        client_id="cid",
        redirect_uri="https://a.example/cb",
        state="st",
        code_challenge="chal",
    )
    query = parse_qs(urlsplit(url).query)
    assert query == {
        "response_type": ["code"],
        "client_id": ["cid"],
        "redirect_uri": ["https://a.example/cb"],
        "state": ["st"],
        "scope": ["read write"],
        "code_challenge": ["chal"],
        "code_challenge_method": ["S256"],
    }


def test_authorization_url_refuses_a_missing_state_or_challenge():
    with pytest.raises(ValueError, match="state"):
        build_authorization_url(SPEC, client_id="c", redirect_uri="r", state="", code_challenge="x")
    with pytest.raises(ValueError, match="PKCE"):
        build_authorization_url(SPEC, client_id="c", redirect_uri="r", state="s")


@pytest.mark.parametrize(
    ("status", "body"),
    [
        (400, {"error": "invalid_grant", "error_description": "Refresh token revoked"}),
        (
            400,
            {
                "error": "invalid_request",
                "error_description": "Value passed for the token was invalid.",
            },
        ),
        (401, {"error": "invalid_grant"}),
    ],
)
def test_a_refused_refresh_token_means_the_user_must_reconnect(status, body):
    import httpx
    import respx

    from networks.base import AppCredentials, AuthExpired, PermanentError
    from networks.oauth import refresh_access_token

    def classify(response):
        return PermanentError("the API's own mapping", code=str(response.status_code))

    with respx.mock, httpx.Client() as http:
        respx.post(SPEC.token_url).mock(return_value=httpx.Response(status, json=body))
        with pytest.raises(AuthExpired):
            refresh_access_token(
                http,
                SPEC,
                AppCredentials("id", "secret"),
                refresh_token="r1",
                network="x",
                classify=classify,
            )


def test_a_refresh_refused_for_our_app_credentials_stays_a_permanent_error():
    import httpx
    import respx

    from networks.base import AppCredentials, PermanentError
    from networks.oauth import refresh_access_token

    def classify(response):
        return PermanentError("client authentication failed", code="invalid_client")

    with respx.mock, httpx.Client() as http:
        respx.post(SPEC.token_url).mock(
            return_value=httpx.Response(401, json={"error": "invalid_client"})
        )
        with pytest.raises(PermanentError):
            refresh_access_token(
                http,
                SPEC,
                AppCredentials("id", "bad"),
                refresh_token="r1",
                network="x",
                classify=classify,
            )
