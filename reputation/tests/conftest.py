import pytest

from agency.tenancy import tenant_scope


@pytest.fixture
def in_agency_a(agency_a):
    """Agency A's tenant scope around the test, as its poll, import and evaluation tasks run:
    the listening services read with the scoped managers (a page request or an API call
    sets its own scope on top)."""
    with tenant_scope(agency_a):
        yield agency_a
