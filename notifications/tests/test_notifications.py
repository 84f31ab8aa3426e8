"""The notification centre: alerts routed by preferences, quiet hours, digests, pages, API."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from notifications import services
from notifications.models import AlertSeverity, Notification, NotificationPreference
from notifications.tests.factories import NotificationFactory, NotificationPreferenceFactory

CASABLANCA = dt.timezone(dt.timedelta(hours=1))  # Africa/Casablanca, outside Ramadan


def _at_local(hour: int, minute: int = 0):
    """A moment at the given wall-clock hour in Casablanca (UTC+1 outside Ramadan)."""
    return dt.datetime(2026, 11, 23, hour, minute, tzinfo=CASABLANCA)


@pytest.fixture
def frozen(monkeypatch):
    def freeze(moment):
        monkeypatch.setattr(timezone, "now", lambda: moment)

    return freeze


def test_default_crisis_alert_is_in_app_and_emailed_at_once(
    member_of_a, agency_a, mailoutbox, django_capture_on_commit_callbacks, eager_tasks
):
    with django_capture_on_commit_callbacks(execute=True):
        [n] = services.alert_send(
            agency=agency_a,
            recipients=[member_of_a.user],
            kind="crisis.opened",
            message="Crise : Café Tanger",
            url="/crises/1/",
        )
    n.refresh_from_db()
    assert n.email_state == "sent"
    assert len(mailoutbox) == 1 and "Café Tanger" in mailoutbox[0].subject


def test_off_means_nothing_at_all(member_of_a, agency_a):
    NotificationPreferenceFactory(
        agency=agency_a, user=member_of_a.user, channels={"crisis.opened": "off"}
    )
    assert (
        services.alert_send(
            agency=agency_a, recipients=[member_of_a.user], kind="crisis.opened", message="x"
        )
        == []
    )


def test_quiet_hours_hold_the_email_for_the_digest(member_of_a, agency_a, frozen):
    NotificationPreferenceFactory(
        agency=agency_a,
        user=member_of_a.user,
        quiet_hours_start=dt.time(22, 0),
        quiet_hours_end=dt.time(7, 0),
    )
    frozen(_at_local(23, 30))
    [n] = services.alert_send(
        agency=agency_a, recipients=[member_of_a.user], kind="crisis.opened", message="x"
    )
    assert n.email_state == "digest"


def test_critical_alerts_ignore_quiet_hours(member_of_a, agency_a, frozen):
    NotificationPreferenceFactory(
        agency=agency_a,
        user=member_of_a.user,
        quiet_hours_start=dt.time(22, 0),
        quiet_hours_end=dt.time(7, 0),
    )
    frozen(_at_local(3, 0))
    [n] = services.alert_send(
        agency=agency_a,
        recipients=[member_of_a.user],
        kind="crisis.opened",
        message="x",
        severity=AlertSeverity.CRITICAL,
    )
    assert n.email_state == "immediate"


def test_quiet_hours_that_do_not_cross_midnight():
    pref = NotificationPreference(quiet_hours_start=dt.time(12), quiet_hours_end=dt.time(14))
    assert pref.in_quiet_hours(dt.time(13))
    assert not pref.in_quiet_hours(dt.time(14))
    assert not NotificationPreference().in_quiet_hours(dt.time(3))


def test_digest_goes_out_at_the_persons_hour_once(
    member_of_a, agency_a, mailoutbox, frozen, in_agency
):
    NotificationPreferenceFactory(agency=agency_a, user=member_of_a.user, digest_hour=8)
    frozen(_at_local(7, 10))
    services.alert_send(
        agency=agency_a, recipients=[member_of_a.user], kind="crisis.resolved", message="Résolu A"
    )
    services.alert_send(
        agency=agency_a, recipients=[member_of_a.user], kind="crisis.resolved", message="Résolu B"
    )
    with in_agency(agency_a):  # as the per-agency digest task runs it
        assert services.notification_digests_send(agency_id=agency_a.pk) == 0
        frozen(_at_local(8, 5))
        assert services.notification_digests_send(agency_id=agency_a.pk) == 1
        assert "Résolu A" in mailoutbox[0].body and "Résolu B" in mailoutbox[0].body
        assert services.notification_digests_send(agency_id=agency_a.pk) == 0


def test_preferences_page_saves_channels_and_quiet_hours(member_of_a, agency_a, login):
    client = login(member_of_a)
    url = reverse("dashboard:notification_preferences")
    assert client.get(url).status_code == 200
    data = {
        "channel:crisis.opened": "email_digest",
        "channel:crisis.updated": "off",
        "channel:crisis.resolved": "in_app",
        "channel:webhook.disabled": "in_app",
        "quiet_hours_start": "22:00",
        "quiet_hours_end": "07:00",
        "digest_hour": "9",
    }
    assert client.post(url, data).status_code == 302
    pref = NotificationPreference.unscoped.get(agency=agency_a, user=member_of_a.user)
    assert pref.channel_for("crisis.updated") == "off"
    assert pref.quiet_hours_start == dt.time(22) and pref.digest_hour == 9


def test_unread_count_in_the_top_bar_and_mark_read(member_of_a, agency_a, login):
    n = NotificationFactory(agency=agency_a, recipient=member_of_a.user, url="/settings/")
    NotificationFactory(agency=agency_a, recipient=member_of_a.user)
    client = login(member_of_a)
    page = client.get(reverse("dashboard:notifications")).content.decode()
    assert 'text-bg-danger">2' in page
    response = client.post(reverse("dashboard:notification_read", args=[n.pk]))
    assert response["Location"] == "/settings/"
    n.refresh_from_db()
    assert n.read_at is not None
    client.post(reverse("dashboard:notifications_read_all"))
    assert not Notification.unscoped.filter(read_at__isnull=True).exists()


def test_a_notification_of_someone_else_is_not_found(member_of_a, owner_of_a, agency_a, login):
    theirs = NotificationFactory(agency=agency_a, recipient=owner_of_a.user)
    client = login(member_of_a)
    assert client.post(reverse("dashboard:notification_read", args=[theirs.pk])).status_code == 404


def test_api_lists_only_my_notifications(member_of_a, owner_of_a, agency_a, api_as):
    mine = NotificationFactory(agency=agency_a, recipient=member_of_a.user)
    NotificationFactory(agency=agency_a, recipient=owner_of_a.user)
    client = api_as(member_of_a)
    rows = client.get("/api/v1/notifications/").json()["results"]
    assert [row["id"] for row in rows] == [mine.pk]
    assert client.post(f"/api/v1/notifications/{mine.pk}/read/").json()["read_at"]
