"""Shared fixtures: two agencies, a member of each role in agency A, an outsider.

Every test has a ready cross-tenant negative case: `agency_b` owns objects that agency A's
people must never see (404), and `outsider` belongs to no agency at all.
"""

import pytest
from django.conf import settings
from rest_framework.test import APIClient

from agency.models import Role
from agency.tenancy import tenant_scope
from agency.tests.factories import AgencyFactory, ApiKeyFactory, MembershipFactory, UserFactory
from clients.tests.factories import BrandFactory

# Password hashing is the slowest thing in a suite that logs people in; tests need no strength.
settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _no_throttling_between_tests(settings):
    # allauth's rate limits live in the cache: one test's failed logins must not block another.
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def agency_a(db):
    return AgencyFactory(name="Atlas Digital", slug="atlas-digital")


@pytest.fixture
def agency_b(db):
    return AgencyFactory(name="Bahia Social", slug="bahia-social")


@pytest.fixture
def brand_a(agency_a):
    return BrandFactory(agency=agency_a, name="Café Tanger", slug="cafe-tanger")


@pytest.fixture
def brand_b(agency_b):
    return BrandFactory(agency=agency_b, name="Bahia Surf", slug="bahia-surf")


def _member(agency, role):
    return MembershipFactory(agency=agency, role=role, user__email=f"{role}@{agency.slug}.test")


@pytest.fixture
def owner_of_a(agency_a):
    return _member(agency_a, Role.OWNER)


@pytest.fixture
def admin_of_a(agency_a):
    return _member(agency_a, Role.ADMIN)


@pytest.fixture
def member_of_a(agency_a):
    """A community manager of agency A: the everyday user."""
    return _member(agency_a, Role.COMMUNITY_MANAGER)


@pytest.fixture
def client_of_a(agency_a, brand_a):
    """A client approver of agency A who was given brand_a only."""
    from agency.tests.factories import BrandAccessFactory

    membership = _member(agency_a, Role.CLIENT_APPROVER)
    BrandAccessFactory(membership=membership, agency=agency_a, brand=brand_a)
    return membership


@pytest.fixture
def owner_of_b(agency_b):
    return _member(agency_b, Role.OWNER)


@pytest.fixture
def outsider(db):
    return UserFactory(email="outsider@example.test")


@pytest.fixture
def member_factory():
    """member_factory(agency, role) -> Membership, for tests that walk every role."""
    return _member


@pytest.fixture
def login(client):
    """login(membership_or_user) -> the Django test client, signed in."""

    def _login(who):
        user = getattr(who, "user", who)
        client.force_login(user)
        if hasattr(who, "agency_id"):
            session = client.session
            session["active_agency_id"] = who.agency_id
            session.save()
        return client

    return _login


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def api_as(api_client):
    """api_as(membership) signs in with a session; api_as(api_key) sends the key header."""

    def _as(who):
        if hasattr(who, "secret"):
            api_client.credentials(HTTP_AUTHORIZATION=f"Api-Key {who.secret}")
        else:
            api_client.force_authenticate(user=None)
            api_client.force_login(who.user)
            session = api_client.session
            session["active_agency_id"] = who.agency_id
            session.save()
        return api_client

    return _as


@pytest.fixture
def api_key_of_a(agency_a):
    return ApiKeyFactory(agency=agency_a)


@pytest.fixture
def in_agency():
    """`with in_agency(agency):` — read tenant rows in a test, as a request or task would."""
    return tenant_scope


@pytest.fixture
def eager_tasks():
    """Run Celery tasks in-process: for tests of what a task does, not of how it travels.

    Set on the Celery app itself: once the app is configured it no longer reads Django's
    CELERY_* settings, so overriding those would depend on test order.
    """
    from config.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


# --- Browser tests (marker `browser`): Playwright on Debian's Chromium ------------------------

CHROMIUM = "/usr/bin/chromium"  # Debian's package (scripts/system_packages.sh); never downloaded
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-background-networking"]


@pytest.fixture(scope="session")
def chromium():
    """One Chromium for the whole run (starting it is the slow part); each test gets its own
    context, so no cookie or storage leaks from one test to the next.

    Playwright's sync API keeps an event loop on this thread while it runs; the tests' ORM
    calls (and pytest-django's flushes) are still synchronous, which Django allows once told."""
    import os

    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: run scripts/system_packages.sh test (docs/setup.md)")
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(chromium, live_server):
    """A fresh browser tab on the live server, in English: `page.goto("/path/")`."""
    context = chromium.new_context(locale="en-GB", base_url=live_server.url)
    context.set_default_timeout(10_000)
    tab = context.new_page()
    yield tab
    context.close()
