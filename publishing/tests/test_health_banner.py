"""The dashboard says when /health/ is not healthy: a banner in the top of every page for agency
members, with the details on the queue page; nothing for client roles or when all is well."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from publishing import health, heartbeats
from publishing.tests.helpers import scheduled_variant

BANNER = 'data-testid="publishing-health"'


@pytest.fixture(autouse=True)
def _fresh_report():
    cache.delete(health.BANNER_CACHE_KEY)
    yield
    cache.delete(health.BANNER_CACHE_KEY)


def _heartbeats(*, worker: bool = True, dispatcher: bool = True) -> None:
    now = timezone.now().timestamp()
    for key, alive in (
        (heartbeats.HEARTBEAT_WORKER, worker),
        (heartbeats.HEARTBEAT_DISPATCHER, dispatcher),
    ):
        if alive:
            cache.set(key, now)
        else:
            cache.delete(key)


def test_a_dead_worker_and_a_late_post_show_a_banner_on_every_page_and_details_on_the_queue(
    agency_a, brand_a, member_of_a, login
):
    """The embedded worker had died: a post due at 21:51 still "scheduled" at 21:53."""
    _heartbeats(worker=False)
    scheduled_variant(agency_a, brand_a, due=timezone.now() - dt.timedelta(minutes=3))
    client = login(member_of_a)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"

    overview = client.get("/").content.decode()
    queue = client.get(reverse("publishing:publishing_queue")).content.decode()

    assert BANNER in overview
    assert "No publishing worker is running" in overview
    assert reverse("publishing:publishing_queue") in overview
    assert queue.count(BANNER) == 1  # the detailed one replaces the short one
    assert "No publishing worker is running" in queue
    assert "A post due 3 min ago has not been picked up yet." in queue


def test_no_banner_when_the_engine_is_healthy(agency_a, brand_a, member_of_a, login):
    _heartbeats()
    scheduled_variant(agency_a, brand_a, due=timezone.now() + dt.timedelta(minutes=10))
    client = login(member_of_a)
    assert BANNER not in client.get(reverse("publishing:publishing_queue")).content.decode()
    assert client.get("/health/").status_code == 200


def test_the_banner_follows_the_health_report_within_seconds(agency_a, member_of_a, login):
    _heartbeats(dispatcher=False)
    client = login(member_of_a)
    assert BANNER in client.get("/").content.decode()
    _heartbeats()
    assert BANNER in client.get("/").content.decode()  # cached for a few seconds
    cache.delete(health.BANNER_CACHE_KEY)  # ... then read again
    assert BANNER not in client.get("/").content.decode()


def test_client_roles_do_not_see_the_banner(agency_a, client_of_a, login):
    _heartbeats(worker=False)
    page = login(client_of_a).get("/", follow=True).content.decode()  # the portal
    assert BANNER not in page
