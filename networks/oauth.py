"""OAuth 2.0 helpers: PKCE (RFC 7636), state, and per-network flows described by data.

Each network publishes an :class:`OAuthSpec`; the three functions below do the rest, so the
Django side never builds an authorisation URL or a token request by hand.

Guarantees:

* ``code_verifier`` is 43-128 characters from the RFC 7636 unreserved set, from ``secrets``.
* ``code_challenge_s256`` is BASE64URL(SHA256(ASCII(verifier))) without padding.
* ``state`` is at least 128 bits from ``secrets``; compare it with :func:`state_matches`.
* A spec with ``pkce=True`` refuses to build a URL without a challenge, or to exchange a code
  without the verifier.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlencode

import httpx

from .base import AppCredentials, AuthExpired, NetworkError, TokenSet
from .http import HttpSettings, send

_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")


def generate_code_verifier(length: int = 64) -> str:
    """A fresh PKCE verifier of ``length`` characters (43..128)."""
    if not 43 <= length <= 128:
        raise ValueError("a PKCE code_verifier must be 43 to 128 characters long")
    # token_urlsafe gives ~1.3 characters per byte, all within the unreserved set.
    return secrets.token_urlsafe(length)[:length]


def code_challenge_s256(verifier: str) -> str:
    if not 43 <= len(verifier) <= 128 or not set(verifier) <= _UNRESERVED:
        raise ValueError("invalid PKCE code_verifier")
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def generate_state() -> str:
    """An unguessable value to bind the callback to the browser session that started it."""
    return secrets.token_urlsafe(32)


def state_matches(expected: str, received: str | None) -> bool:
    """Constant-time comparison; an empty expected state never matches."""
    return bool(expected) and received is not None and hmac.compare_digest(expected, received)


@dataclass(frozen=True)
class OAuthSpec:
    """How one network runs the authorisation-code flow."""

    authorize_url: str
    token_url: str
    default_scopes: tuple[str, ...] = ()
    scope_separator: str = " "
    pkce: bool = False
    # "body": client_id/secret in the form; "basic": HTTP Basic (confidential X clients).
    client_auth: str = "body"
    token_method: str = "POST"  # Meta's /oauth/access_token also accepts GET; we use POST
    extra_authorize_params: dict[str, str] = field(default_factory=dict)
    refresh_grant: str = "refresh_token"
    # The name the network gives the client's id in the authorisation URL and the token form
    # (TikTok calls it ``client_key``).
    client_id_param: str = "client_id"
    # Sent with the code exchange besides the standard fields (Pinterest's continuous refresh).
    extra_token_params: dict[str, str] = field(default_factory=dict)


def build_authorization_url(
    spec: OAuthSpec,
    *,
    client_id: str,
    redirect_uri: str,
    state: str,
    code_challenge: str | None = None,
    scopes: list[str] | tuple[str, ...] | None = None,
) -> str:
    if not state:
        raise ValueError("state is required")
    if spec.pkce and not code_challenge:
        raise ValueError("this network requires PKCE: pass code_challenge")
    params = {
        "response_type": "code",
        spec.client_id_param: client_id,
        "redirect_uri": redirect_uri,
        "state": state,
    }
    chosen = tuple(scopes) if scopes is not None else spec.default_scopes
    if chosen:
        params["scope"] = spec.scope_separator.join(chosen)
    if code_challenge:
        params["code_challenge"] = code_challenge
        params["code_challenge_method"] = "S256"
    params.update(spec.extra_authorize_params)
    return f"{spec.authorize_url}?{urlencode(params)}"


def _token_request(
    http: httpx.Client,
    spec: OAuthSpec,
    app: AppCredentials,
    form: dict[str, str],
    *,
    network: str,
    classify: Callable[[httpx.Response], NetworkError],
    settings: HttpSettings | None = None,
) -> TokenSet:
    form = dict(form)
    auth = None
    if spec.client_auth == "basic" and app.client_secret:
        auth = (app.client_id, app.client_secret)
        form[spec.client_id_param] = app.client_id  # X also wants it in the body
    else:
        form[spec.client_id_param] = app.client_id
        if app.client_secret:
            form["client_secret"] = app.client_secret
    response = send(
        http,
        spec.token_method,
        spec.token_url,
        network=network,
        classify=classify,
        # A code can be redeemed once: a lost answer means a new authorisation anyway.
        idempotent=True,
        settings=settings,
        data=form,
        auth=auth,
        headers={"Accept": "application/json"},
    )
    body = response.json()
    if "access_token" not in body:
        raise AuthExpired("the token endpoint answered without an access token", network=network)
    expires = body.get("expires_in")
    return TokenSet(
        access_token=body["access_token"],
        refresh_token=body.get("refresh_token", ""),
        expires_in=int(expires) if expires not in (None, "") else None,
        scope=body.get("scope", ""),
        raw={k: v for k, v in body.items() if "token" not in k},
    )


def exchange_code(
    http: httpx.Client,
    spec: OAuthSpec,
    app: AppCredentials,
    *,
    code: str,
    redirect_uri: str,
    code_verifier: str | None = None,
    network: str,
    classify: Callable[[httpx.Response], NetworkError],
    settings: HttpSettings | None = None,
) -> TokenSet:
    if spec.pkce and not code_verifier:
        raise ValueError("this network requires PKCE: pass the code_verifier")
    form = {"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri}
    if code_verifier:
        form["code_verifier"] = code_verifier
    form.update(spec.extra_token_params)
    return _token_request(
        http, spec, app, form, network=network, classify=classify, settings=settings
    )


def refresh_access_token(
    http: httpx.Client,
    spec: OAuthSpec,
    app: AppCredentials,
    *,
    refresh_token: str,
    network: str,
    classify: Callable[[httpx.Response], NetworkError],
    settings: HttpSettings | None = None,
) -> TokenSet:
    if not refresh_token:
        raise AuthExpired("no refresh token is stored: the user must reconnect", network=network)
    form = {"grant_type": spec.refresh_grant, "refresh_token": refresh_token}
    return _token_request(
        http,
        spec,
        app,
        form,
        network=network,
        classify=_refusals_are_dead_grants(classify, network),
        settings=settings,
    )


def _refusals_are_dead_grants(
    classify: Callable[[httpx.Response], NetworkError], network: str
) -> Callable[[httpx.Response], NetworkError]:
    """On a refresh, "this grant is no good" means the user must reconnect (AuthExpired).

    RFC 6749 section 5.2 calls it `invalid_grant`; X answers `invalid_request` with a
    description about the token. The API's own mapping would call either a permanent error,
    and a dead account would then look merely broken. `invalid_client` stays permanent: that
    is our app's credentials, not the user's grant.
    """

    def classify_refresh(response: httpx.Response) -> NetworkError:
        try:
            body = response.json()
        except ValueError:
            body = {}
        body = body if isinstance(body, dict) else {}
        error = body.get("error")
        description = str(body.get("error_description", ""))
        dead = error == "invalid_grant" or (
            error == "invalid_request" and "token" in description.lower()
        )
        if response.status_code in (400, 401) and dead:
            return AuthExpired(
                description or "the network refused the refresh token", network=network
            )
        return classify(response)

    return classify_refresh
