import pytest
from django.utils import translation

from agency.models import Role
from agency.tenancy import tenant_scope
from reports.tests.factories import ReportTemplateFactory


@pytest.fixture(autouse=True)
def _in_english():
    with translation.override("en"):
        yield


@pytest.fixture
def analyst_of_a(agency_a, member_factory):
    return member_factory(agency_a, Role.ANALYST)


@pytest.fixture
def template_a(agency_a):
    # A short template: the cover and the summary (what the renderer always has).
    return ReportTemplateFactory(agency=agency_a, name="Rapport mensuel", sections=["cover"])


@pytest.fixture
def scope_a(agency_a):
    with tenant_scope(agency_a):
        yield agency_a
