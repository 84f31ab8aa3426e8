"""The conversation's presence (collision guard display): a beat says who has the page open
and who is typing, in the real cache (Redis when REDIS_CACHE_URL is set); it expires by itself;
another agency's conversation is a 404 (also in agency/tests/test_isolation.py)."""

import time

import pytest
from django.test import Client
from django.urls import reverse

from agency.models import Role
from agency.tests.factories import MembershipFactory
from engagement.services import presence
from engagement.tests.factories import ConversationFactory


def _signed_in(membership) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(membership.user)
    session = client.session
    session["active_agency_id"] = membership.agency_id
    session.save()
    return client


def _url(conversation) -> str:
    return reverse("dashboard:conversation_presence", kwargs={"conversation_id": conversation.pk})


@pytest.fixture
def colleague_of_a(agency_a):
    return MembershipFactory(
        agency=agency_a,
        role=Role.COMMUNITY_MANAGER,
        user__email="karim@atlas.test",
        user__full_name="Karim",
    )


def test_a_colleague_sees_who_is_typing_and_nobody_sees_themselves(
    agency_a, brand_a, member_of_a, colleague_of_a
):
    conversation = ConversationFactory(agency=agency_a, brand=brand_a)
    karim = _signed_in(colleague_of_a)
    me = _signed_in(member_of_a)

    beat = karim.post(_url(conversation), {"typing": "1"})
    assert beat.status_code == 200
    assert beat.json()["others"] == []  # alone so far

    seen = me.get(_url(conversation)).json()
    assert seen["others"] == [{"name": "Karim", "typing": True}]
    assert seen["text"] == "Typing now: Karim."

    me.post(_url(conversation), {"typing": "0"})
    assert karim.get(_url(conversation)).json()["others"] == [
        {"name": str(member_of_a.user), "typing": False}
    ]
    # Another conversation of the same agency has nobody in it.
    other = ConversationFactory(agency=agency_a, brand=brand_a)
    assert me.get(_url(other)).json() == {"others": [], "text": "", "beat_seconds": 5}


def test_a_closed_page_disappears_when_its_last_beat_expires(
    agency_a, brand_a, member_of_a, colleague_of_a, monkeypatch
):
    monkeypatch.setattr(presence, "PRESENCE_TTL_SECONDS", 1)
    conversation = ConversationFactory(agency=agency_a, brand=brand_a)
    _signed_in(colleague_of_a).post(_url(conversation), {"typing": "0"})
    me = _signed_in(member_of_a)
    assert me.get(_url(conversation)).json()["text"] == "Also viewing: Karim."
    time.sleep(1.5)
    assert me.get(_url(conversation)).json()["others"] == []


def test_the_sentence_is_in_french_for_a_french_reader(
    agency_a, brand_a, member_of_a, colleague_of_a
):
    conversation = ConversationFactory(agency=agency_a, brand=brand_a)
    _signed_in(colleague_of_a).post(_url(conversation), {"typing": "1"})
    me = _signed_in(member_of_a)
    text = me.get(_url(conversation), HTTP_ACCEPT_LANGUAGE="fr").json()["text"]
    assert text == "En train d’écrire : Karim."


def test_another_agency_s_conversation_is_a_404_and_records_no_beat(
    agency_a, agency_b, member_of_a
):
    foreign = ConversationFactory(agency=agency_b)
    me = _signed_in(member_of_a)
    assert me.post(_url(foreign), {"typing": "1"}).status_code == 404
    assert me.get(_url(foreign)).status_code == 404
    outsider_view = MembershipFactory(agency=agency_b, role=Role.OWNER)
    assert _signed_in(outsider_view).get(_url(foreign)).json()["others"] == []


def test_the_conversation_page_carries_the_presence_and_the_shortcuts(
    agency_a, brand_a, member_of_a
):
    conversation = ConversationFactory(agency=agency_a, brand=brand_a)
    page = _signed_in(member_of_a).get(
        reverse("dashboard:conversation", kwargs={"conversation_id": conversation.pk})
    )
    html = page.content.decode()
    assert f'data-presence-url="{_url(conversation)}"' in html
    assert "js/inbox-presence.js" in html and "js/inbox-keys.js" in html
    assert 'data-inbox-keys="conversation"' in html
