"""Assigning a mention tells the person it is given to (issue 17): through the one alert path,
so their preferences decide between the app and e-mail; never when one takes it oneself."""

import pytest

from notifications.models import AlertKind, Notification
from notifications.tests.factories import NotificationPreferenceFactory
from reputation.tests.factories import MentionFactory

pytestmark = pytest.mark.usefixtures("in_agency_a")


def _assign(client, mention, user_id, **extra):
    return client.post(
        f"/listening/mentions/{mention.pk}/triage/",
        {"assigned_to": user_id, **extra},
        HTTP_HX_REQUEST="true",
    )


def test_the_assignee_of_a_mention_is_notified_in_the_app_with_a_link_to_it(
    agency_a, brand_a, owner_of_a, member_of_a, login
):
    mention = MentionFactory(agency=agency_a, brand=brand_a, title="Panne à Tanger")
    assert _assign(login(owner_of_a), mention, member_of_a.user_id).status_code == 200
    [alert] = Notification.unscoped.filter(recipient=member_of_a.user)
    assert alert.verb == AlertKind.MENTION_ASSIGNED
    assert "Panne à Tanger" in alert.message
    assert f"#mention-{mention.pk}" in alert.url
    assert f"assigned_to={member_of_a.user_id}" in alert.url
    other = MentionFactory(agency=agency_a, brand=brand_a, title="Pas pour moi")
    body = login(member_of_a).get(alert.url).content.decode()
    assert f'id="mention-{mention.pk}"' in body and f'id="mention-{other.pk}"' not in body


def test_the_assignee_who_asked_for_emails_gets_one(
    agency_a,
    brand_a,
    owner_of_a,
    member_of_a,
    login,
    mailoutbox,
    django_capture_on_commit_callbacks,
    eager_tasks,
):
    NotificationPreferenceFactory(
        agency=agency_a,
        user=member_of_a.user,
        channels={AlertKind.MENTION_ASSIGNED: "email_immediate"},
    )
    mention = MentionFactory(agency=agency_a, brand=brand_a)
    with django_capture_on_commit_callbacks(execute=True):
        _assign(login(owner_of_a), mention, member_of_a.user_id)
    assert [m.to for m in mailoutbox] == [[member_of_a.user.email]]


def test_taking_a_mention_oneself_notifies_nobody(agency_a, brand_a, member_of_a, login):
    mention = MentionFactory(agency=agency_a, brand=brand_a)
    assert _assign(login(member_of_a), mention, member_of_a.user_id).status_code == 200
    mention.refresh_from_db()
    assert mention.assigned_to_id == member_of_a.user_id
    assert not Notification.unscoped.exists()


def test_saving_the_triage_form_again_does_not_notify_the_assignee_twice(
    agency_a, brand_a, owner_of_a, member_of_a, login
):
    """The triage form posts its owner with every change (tags, reviewed): only a change of
    owner is news to the owner."""
    mention = MentionFactory(agency=agency_a, brand=brand_a)
    client = login(owner_of_a)
    _assign(client, mention, member_of_a.user_id)
    _assign(client, mention, member_of_a.user_id, tags="presse", reviewed="1")
    assert Notification.unscoped.filter(recipient=member_of_a.user).count() == 1


def test_unassigning_a_mention_notifies_nobody(agency_a, brand_a, owner_of_a, member_of_a, login):
    mention = MentionFactory(agency=agency_a, brand=brand_a, assigned_to=member_of_a.user)
    _assign(login(owner_of_a), mention, "")
    mention.refresh_from_db()
    assert mention.assigned_to_id is None
    assert not Notification.unscoped.exists()
