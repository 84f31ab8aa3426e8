"""The network rules watch: deprecation signals of the networks' answers are recorded, and an
agency's admins are warned of a retiring API version once per threshold."""

from datetime import date, timedelta

import httpx
import pytest
import respx
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from agency.models import Role
from clients.adapters import build_adapter
from clients.models import ApiDeprecationNotice, ApiRetirementWarning
from clients.selectors import network_api_statuses
from clients.services.network_watch import (
    api_retirements_warn_across_agencies,
    deprecation_record,
    threshold_for,
)
from clients.tasks import warn_api_retirements
from clients.tests.factories import SocialAccountFactory
from networks.base import Credentials, PostContent
from networks.deprecation import SUNSET_HEADER, DeprecationSignal
from notifications.models import AlertKind, Notification

LI_POSTS = "https://api.linkedin.com/rest/posts"
LI_CREDS = Credentials(access_token="li-token", external_id="urn:li:organization:2414183")


def _http_date(day: date) -> str:
    return day.strftime("%a, %d %b %Y 00:00:00 GMT")


def _publish_on_linkedin_answered_with_sunset(sunset: date) -> None:
    """One publication through the product's own factory, LinkedIn answering (Posts API: 201
    and the post URN in x-restli-id) with an RFC 8594 Sunset header."""
    with respx.mock:
        respx.post(LI_POSTS).mock(
            return_value=httpx.Response(
                201,
                headers={
                    "x-restli-id": "urn:li:share:7180000000000000000",
                    "Sunset": _http_date(sunset),
                },
            )
        )
        build_adapter("linkedin").publish(LI_CREDS, PostContent(text="Bonjour"))


def _warnings_of(agency):
    return Notification.unscoped.filter(agency=agency, verb=AlertKind.NETWORK_API_RETIRING)


@pytest.fixture
def linkedin_agency(agency_a, brand_a, owner_of_a, admin_of_a, member_of_a):
    SocialAccountFactory(agency=agency_a, brand=brand_a, network="linkedin", instance_url="")
    return agency_a


def test_thresholds_are_the_nearest_not_yet_passed():
    assert threshold_for(90) is None
    assert threshold_for(60) == 60
    assert threshold_for(31) == 60
    assert threshold_for(30) == 30
    assert threshold_for(8) == 30
    assert threshold_for(7) == 7
    assert threshold_for(-2) == 7  # already retired: still the last warning, once


def test_a_sunset_header_of_a_network_answer_is_recorded_and_counted(db):
    sunset = timezone.localdate() + timedelta(days=20)
    _publish_on_linkedin_answered_with_sunset(sunset)
    _publish_on_linkedin_answered_with_sunset(sunset)

    notice = ApiDeprecationNotice.objects.get()
    assert (notice.network, notice.kind, notice.api_version) == ("linkedin", "sunset", "202607")
    assert notice.sunset == sunset
    assert notice.count == 2
    assert "/rest/posts" in notice.message


def test_a_sunset_header_brings_the_retirement_forward(db):
    today = timezone.localdate()
    _publish_on_linkedin_answered_with_sunset(today + timedelta(days=20))
    linkedin = {s.network: s for s in network_api_statuses(today=today)}["linkedin"]
    assert linkedin.retires_on == today + timedelta(days=20)
    assert linkedin.days_left == 20 and linkedin.from_answers


def test_a_faked_deprecation_reaches_the_admins_once_per_threshold(
    linkedin_agency, agency_b, owner_of_b, eager_tasks, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    sunset = today + timedelta(days=20)
    _publish_on_linkedin_answered_with_sunset(sunset)

    with django_capture_on_commit_callbacks(execute=True):
        assert api_retirements_warn_across_agencies(today=today) == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert api_retirements_warn_across_agencies(today=today) == 0  # a rerun: nothing more
        warn_api_retirements.apply()  # the beat task, a second run the same day

    warned = _warnings_of(linkedin_agency)
    roles = set(warned.values_list("recipient__memberships__role", flat=True))
    assert roles == {Role.OWNER, Role.ADMIN}  # not the community manager
    assert warned.count() == 2
    assert "202607" in warned.first().message
    assert "LINKEDIN_API_VERSION" in warned.first().message
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        warned.values_list("recipient__email", flat=True)
    )
    assert not _warnings_of(agency_b).exists()  # no LinkedIn account there
    assert list(ApiRetirementWarning.unscoped.values_list("threshold_days", flat=True)) == [30]

    # Five days before: the 7-day warning, once.
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            api_retirements_warn_across_agencies(today=sunset - timedelta(days=5))
    assert _warnings_of(linkedin_agency).count() == 4
    assert sorted(ApiRetirementWarning.unscoped.values_list("threshold_days", flat=True)) == [
        7,
        30,
    ]


def test_a_pinned_version_is_warned_from_its_published_date(
    settings, agency_a, brand_a, owner_of_a, django_capture_on_commit_callbacks
):
    # Meta's changelog: v20.0 is usable until 24 September 2026.
    settings.META_GRAPH_API_VERSION = "v20.0"
    SocialAccountFactory(agency=agency_a, brand=brand_a, network="facebook", instance_url="")

    with django_capture_on_commit_callbacks(execute=True):
        assert api_retirements_warn_across_agencies(today=date(2026, 7, 1)) == 0  # 85 days
        assert api_retirements_warn_across_agencies(today=date(2026, 8, 1)) == 1  # 54 days
    message = _warnings_of(agency_a).get().message
    assert "v20.0" in message and "2026-09-24" in message
    assert "META_GRAPH_API_VERSION" in message


def test_a_disconnected_account_is_not_a_reason_to_warn(
    agency_a, brand_a, owner_of_a, django_capture_on_commit_callbacks
):
    SocialAccountFactory(
        agency=agency_a, brand=brand_a, network="linkedin", instance_url="", status="revoked"
    )
    today = timezone.localdate()
    deprecation_record(
        DeprecationSignal(
            network="linkedin",
            kind=SUNSET_HEADER,
            message="/rest/posts stops answering",
            api_version="202607",
            sunset=today + timedelta(days=3),
        )
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert api_retirements_warn_across_agencies(today=today) == 0


def test_status_page_shows_versions_retirements_and_notices_newest_first(
    login, member_of_a, settings
):
    settings.LINKEDIN_API_VERSION = "202511"
    for minutes, message in ((30, "older notice"), (1, "newer notice")):
        deprecation_record(
            DeprecationSignal(network="x", kind="deprecation", message=message, api_version="2"),
            now=timezone.now() - timedelta(minutes=minutes),
        )

    response = login(member_of_a).get(reverse("publishing:network_status"))

    assert response.status_code == 200
    page = response.content.decode()
    assert "202511" in page and "2026-11-16" in page  # LinkedIn's Migrations table
    assert "v26.0" in page  # Meta's default version
    assert page.index("newer notice") < page.index("older notice")
    statuses = {s.network: s for s in response.context["statuses"]}
    assert statuses["linkedin"].retires_on == date(2026, 11, 16)
    assert statuses["mastodon"].retires_on is None


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_warn_an_agency_once(settings):
    """Two processes' runs at the same moment (here two threads, each with its own database
    connection): the unique warning row lets one of them alert, the other finds it taken."""
    import threading

    from django.db import connection

    from agency.tests.factories import AgencyFactory, MembershipFactory
    from clients.tests.factories import BrandFactory

    settings.META_GRAPH_API_VERSION = "v20.0"  # usable until 24 September 2026
    agency = AgencyFactory()
    MembershipFactory(agency=agency, role=Role.OWNER)
    brand = BrandFactory(agency=agency)
    SocialAccountFactory(agency=agency, brand=brand, network="facebook", instance_url="")
    barrier = threading.Barrier(2)
    results: list[int] = []

    def run():
        try:
            barrier.wait()
            results.append(api_retirements_warn_across_agencies(today=date(2026, 9, 20)))
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(results) == [0, 1]
    assert _warnings_of(agency).count() == 1


def test_the_publishing_queue_says_when_an_api_version_retires_within_sixty_days(
    login, member_of_a, settings
):
    settings.LINKEDIN_API_VERSION = "202601"  # sunset 15 January 2027 (Migrations table)
    client = login(member_of_a)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    page = client.get(reverse("publishing:publishing_queue")).content.decode()
    days = (date(2027, 1, 15) - timezone.localdate()).days
    if days > 60:
        assert 'id="retiring-apis"' not in page
    else:
        assert 'id="retiring-apis"' in page and "LinkedIn 202601" in page

    settings.LINKEDIN_API_VERSION = "202410"  # sunset 15 October 2025: gone
    page = client.get(reverse("publishing:publishing_queue")).content.decode()
    assert "LinkedIn 202410 (retired)" in page
