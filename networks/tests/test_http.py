import logging

import httpx
import pytest
import respx

from networks.base import OutcomeUnknown, PermanentError, TransientError
from networks.http import (
    DEFAULT_USER_AGENT,
    HttpSettings,
    make_client,
    redact_url,
    retry_after_seconds,
    send,
)


def classify(response):
    return PermanentError(f"HTTP {response.status_code}", code=response.status_code)


def call(method, url, **kwargs):
    with make_client(HttpSettings(backoff=0)) as client:
        return send(
            client,
            method,
            url,
            network="test",
            classify=classify,
            settings=HttpSettings(backoff=0),
            sleep=lambda s: None,
            **kwargs,
        )


@respx.mock
def test_requests_carry_our_user_agent():
    route = respx.get("https://api.example/x").respond(200)
    call("GET", "https://api.example/x")
    assert route.calls.last.request.headers["User-Agent"] == DEFAULT_USER_AGENT


def test_user_agent_is_configurable():
    client = make_client(HttpSettings(user_agent="Custom/2.0"))
    assert client.headers["User-Agent"] == "Custom/2.0"


@respx.mock
def test_get_is_retried_on_connect_errors_and_5xx_then_gives_up():
    route = respx.get("https://api.example/x").mock(
        side_effect=[httpx.ConnectError("down"), httpx.Response(503), httpx.Response(503)]
    )
    with pytest.raises(PermanentError):  # the classifier decides what a final 503 is
        call("GET", "https://api.example/x")
    assert route.call_count == 3


@respx.mock
def test_writes_are_never_retried():
    route = respx.post("https://api.example/x").respond(503)
    with pytest.raises(PermanentError):
        call("POST", "https://api.example/x")
    assert route.call_count == 1


@respx.mock
def test_write_timeout_is_outcome_unknown_unless_marked_idempotent():
    respx.post("https://api.example/x").mock(side_effect=httpx.ReadTimeout("slow"))
    with pytest.raises(OutcomeUnknown):
        call("POST", "https://api.example/x")
    with pytest.raises(TransientError):
        call("POST", "https://api.example/x", idempotent=True)


@respx.mock
def test_logs_never_contain_tokens_or_authorization_headers(caplog):
    respx.get("https://graph.example/me").respond(200)
    with caplog.at_level(logging.DEBUG):  # httpx's own request log included
        call(
            "GET",
            "https://graph.example/me",
            params={"access_token": "SECRET1", "fields": "id"},
            headers={"Authorization": "Bearer SECRET2"},
        )
    text = " ".join(r.getMessage() + str(r.__dict__) for r in caplog.records)
    assert "SECRET1" not in text and "SECRET2" not in text
    assert "access_token=***" in text


def test_redaction_keeps_harmless_parameters():
    assert redact_url("https://x.example/p?code=abc&state=s1&client_secret=z") == (
        "https://x.example/p?code=***&state=s1&client_secret=***"
    )


def test_retry_after_accepts_seconds_and_http_dates():
    assert retry_after_seconds("120") == 120.0
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0  # in the past
    assert retry_after_seconds("soon") is None
