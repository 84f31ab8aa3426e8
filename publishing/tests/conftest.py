"""Fixtures of the publishing engine's tests."""

import pytest
import respx

# The fakes' checks are plain asserts in a helper package: rewritten, they say what differed.
pytest.register_assert_rewrite("publishing.tests.every_network")


@pytest.fixture
def mastodon():
    """Mastodon's API faked at the transport (respx): each test mocks the routes it needs."""
    with respx.mock(assert_all_called=False) as router:
        yield router
