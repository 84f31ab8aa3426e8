import pytest


@pytest.fixture
def en():
    """English messages, for tests that read them."""
    from django.utils import translation

    with translation.override("en"):
        yield
