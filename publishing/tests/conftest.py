"""Fixtures of the publishing engine's tests."""

import pytest
import respx


@pytest.fixture
def mastodon():
    """Mastodon's API faked at the transport (respx): each test mocks the routes it needs."""
    with respx.mock(assert_all_called=False) as router:
        yield router
