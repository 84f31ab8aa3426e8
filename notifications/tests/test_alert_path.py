"""One alert path for every app: every kind is tunable, by every person, at once or in the
digest; the digest sweep spans agencies and sends each agency's in its own scope."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from agency.tenancy import NoTenantError
from notifications import services
from notifications.models import DEFAULT_ALERT_CHANNELS, AlertKind, Notification
from notifications.tasks import dispatch_notification_digests
from notifications.tests.factories import NotificationPreferenceFactory

CASABLANCA = dt.timezone(dt.timedelta(hours=1))  # Africa/Casablanca, outside Ramadan


@pytest.fixture
def frozen(monkeypatch):
    def freeze(moment):
        monkeypatch.setattr(timezone, "now", lambda: moment)

    return freeze


def test_every_kind_has_a_default_channel():
    assert set(DEFAULT_ALERT_CHANNELS) == set(AlertKind)


def test_a_kind_the_preferences_do_not_know_is_refused(agency_a, member_of_a):
    with pytest.raises(ValueError, match="AlertKind"):
        services.alert_send(
            agency=agency_a, recipients=[member_of_a.user], kind="post.whatever", message="x"
        )
    assert not Notification.unscoped.exists()


def test_approval_alerts_are_in_app_and_emailed_at_once_by_default(
    member_of_a, agency_a, mailoutbox, django_capture_on_commit_callbacks, eager_tasks
):
    with django_capture_on_commit_callbacks(execute=True):
        [n] = services.alert_send(
            agency=agency_a,
            recipients=[member_of_a.user],
            kind=AlertKind.POST_AWAITING_APPROVAL,
            message="Une publication attend votre validation",
            url="/posts/1/",
        )
    n.refresh_from_db()
    assert n.email_state == "sent"
    assert [m.to for m in mailoutbox] == [[member_of_a.user.email]]
    assert mailoutbox[0].body.endswith("/posts/1/")


def test_an_account_to_reconnect_is_shown_in_the_app_only_by_default(member_of_a, agency_a):
    [n] = services.alert_send(
        agency=agency_a,
        recipients=[member_of_a.user],
        kind=AlertKind.ACCOUNT_NEEDS_RECONNECT,
        message="x",
    )
    assert n.email_state == ""


def test_a_person_may_have_accounts_to_reconnect_emailed(member_of_a, agency_a):
    NotificationPreferenceFactory(
        agency=agency_a,
        user=member_of_a.user,
        channels={AlertKind.ACCOUNT_NEEDS_RECONNECT: "email_immediate"},
    )
    [n] = services.alert_send(
        agency=agency_a,
        recipients=[member_of_a.user],
        kind=AlertKind.ACCOUNT_NEEDS_RECONNECT,
        message="x",
    )
    assert n.email_state == "immediate"


def test_quiet_hours_hold_a_mention_email_for_the_digest(member_of_a, agency_a, frozen):
    NotificationPreferenceFactory(
        agency=agency_a,
        user=member_of_a.user,
        quiet_hours_start=dt.time(22, 0),
        quiet_hours_end=dt.time(7, 0),
    )
    frozen(dt.datetime(2026, 11, 23, 23, 30, tzinfo=CASABLANCA))
    [n] = services.alert_send(
        agency=agency_a, recipients=[member_of_a.user], kind=AlertKind.POST_MENTIONED, message="x"
    )
    assert n.email_state == "digest"


def test_recipients_may_be_ids_and_only_members_are_alerted_once(member_of_a, owner_of_b, agency_a):
    sent = services.alert_send(
        agency=agency_a,
        recipients=[member_of_a.user_id, member_of_a.user, None, owner_of_b.user_id],
        kind=AlertKind.CRISIS_UPDATED,
        message="x",
    )
    assert [n.recipient_id for n in sent] == [member_of_a.user_id]


def test_an_alert_for_another_agency_inside_one_agencys_scope_is_refused(
    agency_a, agency_b, owner_of_b, in_agency
):
    with in_agency(agency_a), pytest.raises(NoTenantError):
        services.alert_send(
            agency=agency_b, recipients=[owner_of_b.user], kind="crisis.updated", message="x"
        )


def test_the_hourly_sweep_sends_every_agencys_digest_in_its_own_scope(
    agency_a, agency_b, member_of_a, owner_of_b, mailoutbox, frozen, eager_tasks
):
    frozen(dt.datetime(2026, 11, 23, 7, 10, tzinfo=CASABLANCA))
    for agency, user in ((agency_a, member_of_a.user), (agency_b, owner_of_b.user)):
        NotificationPreferenceFactory(agency=agency, user=user, digest_hour=8)
        services.alert_send(
            agency=agency, recipients=[user], kind="crisis.resolved", message=agency.name
        )
    frozen(dt.datetime(2026, 11, 23, 8, 5, tzinfo=CASABLANCA))
    assert dispatch_notification_digests() == 2
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        [member_of_a.user.email, owner_of_b.user.email]
    )
    assert not Notification.unscoped.filter(email_state="digest").exists()
    assert dispatch_notification_digests() == 0


def test_the_preferences_page_lists_every_kind_and_a_partial_post_keeps_the_rest(
    member_of_a, agency_a, login, in_agency
):
    NotificationPreferenceFactory(
        agency=agency_a, user=member_of_a.user, channels={"post.mentioned": "off"}
    )
    client = login(member_of_a)
    url = reverse("dashboard:notification_preferences")
    page = client.get(url).content.decode()
    for kind in AlertKind.values:
        assert f'name="channel:{kind}"' in page
    response = client.post(url, {"channel:post.failed": "email_digest", "digest_hour": "8"})
    assert response.status_code == 302
    with in_agency(agency_a):
        pref = services.notification_preference_for(
            agency_id=agency_a.pk, user_id=member_of_a.user_id
        )
    assert pref.channel_for("post.failed") == "email_digest"
    assert pref.channel_for("post.mentioned") == "off"
