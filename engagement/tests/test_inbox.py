"""The inbox pages: the list (filters, saved views, search, a constant number of queries), the
conversation page and its actions (status, assignment with an alert, notes, labels, priority,
bulk), audited; client roles see their brands only and never the team's notes."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from agency.models import AuditEvent
from clients.tests.factories import BrandFactory
from engagement.models import Conversation, ConversationLabel
from engagement.tests.factories import (
    ConversationFactory,
    ConversationLabelFactory,
    InternalNoteFactory,
    LabelFactory,
    MessageFactory,
)
from notifications.models import Notification

INBOX = reverse("dashboard:inbox")


def _url(name, conversation):
    return reverse(f"dashboard:{name}", kwargs={"conversation_id": conversation.pk})


def _listed(response) -> set[int]:
    return {c.pk for c in response.context["page"].object_list}


@pytest.fixture
def other_brand(agency_a):
    return BrandFactory(agency=agency_a, name="Atlas Télécom", slug="atlas-telecom")


def test_the_inbox_filters_by_brand_status_sentiment_label_and_text(
    agency_a, brand_a, other_brand, member_of_a, login
):
    angry = ConversationFactory(agency=agency_a, brand=brand_a, sentiment="negative")
    MessageFactory(agency=agency_a, conversation=angry, text="Commande jamais arrivée")
    happy = ConversationFactory(agency=agency_a, brand=other_brand, sentiment="positive")
    closed = ConversationFactory(agency=agency_a, brand=brand_a, status="closed")
    label = LabelFactory(agency=agency_a, name="livraison")
    ConversationLabelFactory(agency=agency_a, conversation=angry, label=label)
    client = login(member_of_a)

    assert _listed(client.get(INBOX)) == {angry.pk, happy.pk, closed.pk}
    assert _listed(client.get(INBOX, {"brand": brand_a.pk})) == {angry.pk, closed.pk}
    assert _listed(client.get(INBOX, {"status": "closed"})) == {closed.pk}
    assert _listed(client.get(INBOX, {"sentiment": "negative"})) == {angry.pk}
    assert _listed(client.get(INBOX, {"label": label.pk})) == {angry.pk}
    assert _listed(client.get(INBOX, {"q": "jamais"})) == {angry.pk}
    # A filter value it does not know is ignored, never a 500.
    assert client.get(INBOX, {"brand": "x", "priority": "9"}).status_code == 200


def test_the_inbox_filters_by_account_and_ignores_another_agency_s_account(
    agency_a, agency_b, brand_a, member_of_a, login
):
    first = ConversationFactory(agency=agency_a, brand=brand_a)
    second = ConversationFactory(agency=agency_a, brand=brand_a)  # its own account
    foreign = ConversationFactory(agency=agency_b)
    client = login(member_of_a)

    response = client.get(INBOX, {"account": first.social_account_id})
    assert _listed(response) == {first.pk}
    assert first.social_account.handle in response.content.decode()
    assert _listed(client.get(INBOX, {"account": second.social_account_id})) == {second.pk}
    # Not one of the agency's accounts: not a choice, so the filter is ignored.
    assert _listed(client.get(INBOX, {"account": foreign.social_account_id})) == {
        first.pk,
        second.pk,
    }


def test_saved_views_mine_unassigned_and_negative_today(agency_a, brand_a, member_of_a, login):
    mine = ConversationFactory(agency=agency_a, brand=brand_a, assignee=member_of_a.user)
    nobody = ConversationFactory(agency=agency_a, brand=brand_a)
    negative_today = ConversationFactory(agency=agency_a, brand=brand_a, sentiment="negative")
    ConversationFactory(
        agency=agency_a,
        brand=brand_a,
        sentiment="negative",
        last_inbound_at=timezone.now() - dt.timedelta(days=3),
    )
    client = login(member_of_a)
    assert _listed(client.get(INBOX, {"view": "mine"})) == {mine.pk}
    assert nobody.pk in _listed(client.get(INBOX, {"view": "unassigned"}))
    assert mine.pk not in _listed(client.get(INBOX, {"view": "unassigned"}))
    assert _listed(client.get(INBOX, {"view": "negative_today"})) == {negative_today.pk}


def _queries_for(client, n, agency, brand):
    label = LabelFactory(agency=agency)
    for _ in range(n):
        conversation = ConversationFactory(agency=agency, brand=brand)
        ConversationLabelFactory(agency=agency, conversation=conversation, label=label)
    client.get(INBOX)  # the first request of a session reads what later ones have cached
    with CaptureQueriesContext(connection) as queries:
        assert client.get(INBOX).status_code == 200
    return len(queries)


def test_the_inbox_reads_in_the_same_number_of_queries_for_5_or_50(
    agency_a, brand_a, member_of_a, login
):
    client = login(member_of_a)
    few = _queries_for(client, 5, agency_a, brand_a)
    Conversation.unscoped.filter(agency=agency_a).delete()
    many = _queries_for(client, 50, agency_a, brand_a)
    assert many == few, (few, many)


def test_a_client_sees_its_brands_conversations_and_never_the_notes(
    agency_a, brand_a, other_brand, client_of_a, login
):
    theirs = ConversationFactory(agency=agency_a, brand=brand_a)
    MessageFactory(agency=agency_a, conversation=theirs, text="Bonjour, où est ma commande ?")
    InternalNoteFactory(agency=agency_a, conversation=theirs, body="Client difficile, prudence")
    other = ConversationFactory(agency=agency_a, brand=other_brand)
    client = login(client_of_a)

    assert _listed(client.get(INBOX)) == {theirs.pk}
    page = client.get(_url("conversation", theirs))
    body = page.content.decode()
    assert page.status_code == 200 and "où est ma commande" in body
    assert "Client difficile" not in body
    assert client.get(_url("conversation", other)).status_code == 404
    # Reading the inbox is all a client may do.
    response = client.post(_url("conversation_note", theirs), {"body": "x"})
    assert response.status_code == 403


def test_assigning_alerts_the_assignee_opens_the_conversation_and_is_audited(
    agency_a, brand_a, owner_of_a, member_of_a, login
):
    conversation = ConversationFactory(agency=agency_a, brand=brand_a)
    client = login(owner_of_a)
    response = client.post(
        _url("conversation_assign", conversation), {"assignee": member_of_a.user_id}
    )
    assert response.status_code == 302
    conversation.refresh_from_db()
    assert conversation.assignee_id == member_of_a.user_id and conversation.status == "open"
    alert = Notification.unscoped.get(agency=agency_a, recipient=member_of_a.user)
    assert alert.verb == "conversation.assigned"
    event = AuditEvent.unscoped.get(agency=agency_a, verb="conversation.assigned")
    assert event.target_id == str(conversation.pk)
    assert event.data["assignee"] == member_of_a.user.email


def test_a_person_who_turned_the_alert_off_is_not_alerted(
    agency_a, brand_a, owner_of_a, member_of_a, login
):
    from notifications.tests.factories import NotificationPreferenceFactory

    NotificationPreferenceFactory(
        agency=agency_a, user=member_of_a.user, channels={"conversation.assigned": "off"}
    )
    conversation = ConversationFactory(agency=agency_a, brand=brand_a)
    login(owner_of_a).post(
        _url("conversation_assign", conversation), {"assignee": member_of_a.user_id}
    )
    assert not Notification.unscoped.filter(recipient=member_of_a.user).exists()


def test_a_client_cannot_be_assigned(agency_a, brand_a, owner_of_a, client_of_a, login):
    conversation = ConversationFactory(agency=agency_a, brand=brand_a)
    login(owner_of_a).post(
        _url("conversation_assign", conversation), {"assignee": client_of_a.user_id}
    )
    conversation.refresh_from_db()
    assert conversation.assignee_id is None


def test_status_notes_labels_and_priority_are_changed_and_audited(
    agency_a, brand_a, member_of_a, login
):
    conversation = ConversationFactory(agency=agency_a, brand=brand_a)
    client = login(member_of_a)
    client.post(_url("conversation_status", conversation), {"status": "pending"})
    client.post(_url("conversation_note", conversation), {"body": "Rappeler demain"})
    client.post(_url("conversation_labels", conversation), {"labels": "livraison, VIP"})
    client.post(_url("conversation_priority", conversation), {"priority": "3"})
    conversation.refresh_from_db()
    assert conversation.status == "pending" and conversation.priority == 3
    labels = ConversationLabel.unscoped.filter(conversation=conversation)
    assert sorted(labels.values_list("label__name", flat=True)) == ["VIP", "livraison"]
    page = client.get(_url("conversation", conversation)).content.decode()
    assert "Rappeler demain" in page
    verbs = set(AuditEvent.unscoped.filter(agency=agency_a).values_list("verb", flat=True))
    assert {
        "conversation.status_changed",
        "conversation.note_added",
        "conversation.labels_changed",
        "conversation.priority_changed",
    } <= verbs


def test_an_illegal_move_is_refused_with_the_reason(agency_a, brand_a, member_of_a, login):
    conversation = ConversationFactory(agency=agency_a, brand=brand_a, status="closed")
    client = login(member_of_a)
    with translation.override("en"):
        response = client.post(
            _url("conversation_status", conversation),
            {"status": "pending"},
            follow=True,
            HTTP_ACCEPT_LANGUAGE="en",
        )
    assert "cannot become" in response.content.decode()
    conversation.refresh_from_db()
    assert conversation.status == "closed"


def test_bulk_assign_label_and_close(agency_a, brand_a, member_of_a, login):
    first = ConversationFactory(agency=agency_a, brand=brand_a)
    second = ConversationFactory(agency=agency_a, brand=brand_a)
    client = login(member_of_a)
    bulk = reverse("dashboard:inbox_bulk")
    ids = [first.pk, second.pk]
    client.post(bulk, {"conversations": ids, "action": "assign", "assignee": member_of_a.user_id})
    client.post(bulk, {"conversations": ids, "action": "label", "labels": "à rappeler"})
    response = client.post(bulk, {"conversations": ids, "action": "close", "next": "?view=mine"})
    assert response["Location"] == f"{INBOX}?view=mine"
    for conversation in (first, second):
        conversation.refresh_from_db()
        assert conversation.status == "closed" and conversation.assignee_id == member_of_a.user_id
    assert ConversationLabel.unscoped.filter(agency=agency_a).count() == 2
    closes = AuditEvent.unscoped.filter(agency=agency_a, verb="conversation.status_changed")
    assert closes.count() == 2


def test_the_sidebar_counts_unread_conversations_until_the_team_opens_them(
    agency_a, brand_a, member_of_a, login
):
    conversation = ConversationFactory(agency=agency_a, brand=brand_a, unread=True)
    client = login(member_of_a)
    assert client.get(INBOX).context["inbox_unread"] == 1
    client.get(_url("conversation", conversation))
    assert client.get(INBOX).context["inbox_unread"] == 0


def test_untrusted_input_is_refused_with_a_reason_never_a_500(
    agency_a, brand_a, member_of_a, login
):
    conversation = ConversationFactory(agency=agency_a, brand=brand_a)
    client = login(member_of_a)
    posts = [
        ("conversation_status", {"status": "zzz"}),
        ("conversation_priority", {"priority": "abc"}),
        ("conversation_assign", {"assignee": "999999"}),
        ("conversation_labels", {"labels": "x" * 300}),
        ("conversation_note", {"body": "   "}),
    ]
    for name, data in posts:
        assert client.post(_url(name, conversation), data).status_code == 302, name
    bulk = reverse("dashboard:inbox_bulk")
    for data in ({"action": "close"}, {"conversations": ["x"], "action": "close"},
                 {"conversations": [conversation.pk], "action": "explode"}):  # fmt: skip
        assert client.post(bulk, data).status_code == 302
    conversation.refresh_from_db()
    assert conversation.status == "new" and conversation.priority == 1
    assert not ConversationLabel.unscoped.filter(conversation=conversation).exists()


def test_the_conversation_page_shows_the_author_s_history_from_listening(
    agency_a, brand_a, member_of_a, login
):
    from reputation.tests.factories import AuthorFactory, MentionFactory

    author = AuthorFactory(agency=agency_a, network="mastodon", handle="salma", followers=5000)
    MentionFactory(agency=agency_a, brand=brand_a, author=author, sentiment_label="negative")
    earlier = ConversationFactory(agency=agency_a, brand=brand_a, author=author)
    MessageFactory(agency=agency_a, conversation=earlier, author=author, text="Déjà en retard")
    conversation = ConversationFactory(agency=agency_a, brand=brand_a, author=author)
    response = login(member_of_a).get(_url("conversation", conversation))
    page = response.context["page"]
    assert page.author.author == author and page.author.mention_count == 1
    assert page.author.sentiments == {"negative": 1}
    assert [m.text for m in page.earlier] == ["Déjà en retard"]
