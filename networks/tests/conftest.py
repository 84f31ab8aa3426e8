"""Fixtures for the networks tests: no Django, HTTP faked at the transport with respx."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from networks.http import HttpSettings

FIXTURES = Path(__file__).parent / "fixtures"


def load(name: str):
    """A JSON payload shaped like the network's documented response."""
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


@pytest.fixture
def sleeps() -> list[float]:
    return []


@pytest.fixture
def make_adapter(sleeps):
    """Build an adapter that never really sleeps (it records the waits instead)."""
    clients: list[httpx.Client] = []

    def build(adapter_class, **options):
        client = httpx.Client()
        clients.append(client)
        return adapter_class(
            client,
            settings=HttpSettings(backoff=0.0),
            sleep=sleeps.append,
            poll_interval=0.0,
            poll_attempts=5,
            **options,
        )

    yield build
    for client in clients:
        client.close()
