"""Fixtures for the connected-accounts tests: network payloads, configured apps."""

import json
from pathlib import Path

import pytest

NETWORK_FIXTURES = Path(__file__).resolve().parents[2] / "networks" / "tests" / "fixtures"


def network_payload(name: str):
    """A response shaped like the network's documentation (shared with the networks tests)."""
    return json.loads((NETWORK_FIXTURES / name).read_text(encoding="utf-8"))


@pytest.fixture
def network_apps(settings):
    """Every OAuth network configured, as in a deployment with all app ids set."""
    settings.SOCIAL_APPS = {
        "facebook": ("fb-app-id", "fb-app-secret"),
        "instagram": ("fb-app-id", "fb-app-secret"),
        "linkedin": ("li-client-id", "li-client-secret"),
        "x": ("x-client-id", "x-client-secret"),
        "pinterest": ("pin-client-id", "pin-client-secret"),
        "threads": ("th-client-id", "th-client-secret"),
    }
    settings.SITE_URL = "https://app.agency.test"
    return settings.SOCIAL_APPS


@pytest.fixture
def en_login(login):
    """login(...) with the dashboard in English, so tests can read the messages."""

    def _login(who):
        client = login(who)
        client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
        return client

    return _login
