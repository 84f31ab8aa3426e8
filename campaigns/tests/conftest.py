"""Fixtures for the campaigns tests: a brand with three accounts, approvers, a composed post."""

import datetime as dt

import pytest

from agency.models import Role
from campaigns.tests.factories import PublishingPolicyFactory
from clients.tests.factories import SocialAccountFactory


@pytest.fixture
def accounts_a(agency_a, brand_a):
    """Mastodon, Bluesky and LinkedIn accounts of brand_a."""
    return [
        SocialAccountFactory(
            agency=agency_a, brand=brand_a, network="mastodon", handle="@cafe@mastodon.social"
        ),
        SocialAccountFactory(
            agency=agency_a, brand=brand_a, network="bluesky", handle="cafetanger.bsky.social"
        ),
        SocialAccountFactory(
            agency=agency_a, brand=brand_a, network="linkedin", handle="cafe-tanger"
        ),
    ]


@pytest.fixture
def manager_of_a(agency_a, member_factory):
    return member_factory(agency_a, Role.MANAGER)


@pytest.fixture
def client_mode(agency_a, brand_a):
    """brand_a approves internally, then by the client (the default, written explicitly)."""
    return PublishingPolicyFactory(agency=agency_a, brand=brand_a, approval_mode="internal_client")


@pytest.fixture
def future():
    """A time in the future, to the minute, in UTC."""
    return (dt.datetime.now(dt.UTC) + dt.timedelta(days=3)).replace(second=0, microsecond=0)


@pytest.fixture
def draft(member_of_a, brand_a, accounts_a, future, in_agency):
    from campaigns.services.posts import post_create

    with in_agency(brand_a.agency_id):
        return post_create(
            actor=member_of_a,
            brand=brand_a,
            account_ids=[a.pk for a in accounts_a],
            title="Lancement du menu",
            text="Notre nouveau menu arrive ce week-end à Tanger !",
            link="https://cafe-tanger.ma/menu",
            scheduled_at=future,
        )


@pytest.fixture
def en(settings):
    """English messages, for tests that read them."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def en_login(login):
    """login(...) with the dashboard in English, so tests can read the messages."""

    def _login(who):
        client = login(who)
        client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
        return client

    return _login
