"""The inbox through the API: the list filtered like the page in constant queries, the thread,
the actions through the same services (refusals are 400s with a reason, never 500s), the
team's notes hidden from client roles (no field, 404), labels, and API key scopes."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agency.models import AuditEvent
from agency.tests.factories import ApiKeyFactory
from clients.tests.factories import BrandFactory
from engagement.models import Conversation, InternalNote, Label
from engagement.tests.factories import (
    ConversationFactory,
    ConversationLabelFactory,
    InternalNoteFactory,
    LabelFactory,
    MessageFactory,
)

API = "/api/v1/conversations/"


@pytest.fixture
def api(api_as, member_of_a):
    return api_as(member_of_a)


def _ids(response):
    assert response.status_code == 200, response.content[:300]
    return {row["id"] for row in response.json()["results"]}


def _error(response, code=400):
    assert response.status_code == code, response.content[:300]
    return response.json()["error"]


def test_the_list_filters_like_the_inbox_page(api, agency_a, brand_a, member_of_a):
    other_brand = BrandFactory(agency=agency_a)
    label = LabelFactory(agency=agency_a, name="livraison")
    negative = ConversationFactory(
        agency=agency_a, brand=brand_a, sentiment="negative", language="fr", priority=3
    )
    ConversationLabelFactory(agency=agency_a, conversation=negative, label=label)
    mine = ConversationFactory(agency=agency_a, brand=other_brand, assignee=member_of_a.user)
    closed = ConversationFactory(agency=agency_a, brand=brand_a, status="closed", kind="mention")
    MessageFactory(agency=agency_a, conversation=closed, text="Où est ma commande ?")

    assert _ids(api.get(API)) == {negative.pk, mine.pk, closed.pk}
    assert _ids(api.get(API, {"brand": brand_a.pk})) == {negative.pk, closed.pk}
    assert _ids(api.get(API, {"status": "closed", "kind": "mention"})) == {closed.pk}
    assert _ids(api.get(API, {"assignee": member_of_a.user_id})) == {mine.pk}
    assert _ids(api.get(API, {"assignee": "none"})) == {negative.pk, closed.pk}
    assert _ids(api.get(API, {"sentiment": "negative", "language": "fr"})) == {negative.pk}
    assert _ids(api.get(API, {"label": label.pk, "priority": 3})) == {negative.pk}
    assert _ids(api.get(API, {"q": "commande"})) == {closed.pk}
    assert _ids(api.get(API, {"view": "mine"})) == {mine.pk}
    assert _ids(api.get(API, {"account": mine.social_account_id})) == {mine.pk}
    row = next(r for r in api.get(API).json()["results"] if r["id"] == negative.pk)
    assert row["labels"] == [{"id": label.pk, "name": "livraison", "colour": label.colour}]
    assert "notes" not in row and "messages" not in row


@pytest.mark.parametrize(
    "params",
    [{"status": "bogus"}, {"priority": "9"}, {"assignee": "me"}, {"brand": "x"}, {"kind": "\x00"}],
)
def test_a_filter_outside_its_choices_is_a_400_naming_it(api, params):
    error = _error(api.get(API, params))
    assert list(error["fields"]) == list(params)


def _queries(api, n, agency, brand):
    label = LabelFactory(agency=agency)
    for _ in range(n):
        conversation = ConversationFactory(agency=agency, brand=brand)
        ConversationLabelFactory(agency=agency, conversation=conversation, label=label)
    api.get(API)  # the first request reads what later ones find cached
    with CaptureQueriesContext(connection) as queries:
        assert len(api.get(API, {"page_size": 100}).json()["results"]) == n
    return len(queries)


def test_the_list_reads_in_the_same_number_of_queries_for_5_or_50(api, agency_a, brand_a):
    few = _queries(api, 5, agency_a, brand_a)
    Conversation.unscoped.filter(agency=agency_a).delete()
    many = _queries(api, 50, agency_a, brand_a)
    assert many == few, (few, many)


def test_the_detail_has_the_thread_oldest_first_and_pages_follow(api, agency_a, brand_a):
    conversation = ConversationFactory(agency=agency_a, brand=brand_a)
    first = MessageFactory(agency=agency_a, conversation=conversation, text="Bonjour")
    answer = MessageFactory(
        agency=agency_a, conversation=conversation, direction="out", parent=first
    )
    body = api.get(f"{API}{conversation.pk}/").json()
    assert [m["id"] for m in body["messages"]] == [first.pk, answer.pk]
    assert body["messages"][1]["direction"] == "out"
    assert body["messages"][1]["parent"] == first.pk
    assert "notes" not in body

    for _ in range(3):
        ConversationFactory(agency=agency_a, brand=brand_a)
    page = api.get(API, {"page_size": 2}).json()
    assert len(page["results"]) == 2
    assert len(api.get(page["next"]).json()["results"]) == 2


def test_actions_go_through_the_services_and_are_audited(api, agency_a, brand_a, owner_of_a):
    conversation = ConversationFactory(agency=agency_a, brand=brand_a)
    url = f"{API}{conversation.pk}/"
    body = api.post(f"{url}assign/", {"assignee": owner_of_a.user_id}, format="json").json()
    assert body["assignee"] == owner_of_a.user_id and body["status"] == "open"
    body = api.post(f"{url}labels/", {"labels": ["Livraison", "VIP"]}, format="json").json()
    assert [label["name"] for label in body["labels"]] == ["Livraison", "VIP"]
    assert api.post(f"{url}priority/", {"priority": 2}, format="json").json()["priority"] == 2
    assert api.post(f"{url}status/", {"status": "pending"}, format="json").json()["status"] == (
        "pending"
    )
    assert api.post(f"{url}status/", {"status": "closed"}, format="json").json()["status"] == (
        "closed"
    )
    assert api.post(f"{url}status/", {"status": "open"}, format="json").json()["status"] == "open"
    assert api.post(f"{url}assign/", {"assignee": None}, format="json").json()["assignee"] is None
    verbs = set(AuditEvent.unscoped.filter(agency=agency_a).values_list("verb", flat=True))
    assert {
        "conversation.assigned",
        "conversation.labels_changed",
        "conversation.priority_changed",
        "conversation.status_changed",
    } <= verbs


def test_refused_actions_are_400s_with_a_reason_and_change_nothing(
    api, agency_a, brand_a, client_of_a
):
    conversation = ConversationFactory(agency=agency_a, brand=brand_a, status="closed")
    url = f"{API}{conversation.pk}/"
    refused = api.post(
        f"{url}status/", {"status": "pending"}, format="json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert _error(refused)["message"] == (
        "A conversation that is Closed cannot become Waiting for the author."
    )
    error = _error(api.post(f"{url}assign/", {"assignee": client_of_a.user_id}, format="json"))
    assert "assignee" in error["fields"]
    assert (
        "assignee" in _error(api.post(f"{url}assign/", {"assignee": "x"}, format="json"))["fields"]
    )
    assert (
        "priority" in _error(api.post(f"{url}priority/", {"priority": 7}, format="json"))["fields"]
    )
    assert (
        "labels"
        in _error(api.post(f"{url}labels/", {"labels": ["x" * 61]}, format="json"))["fields"]
    )
    assert "labels" in _error(api.post(f"{url}labels/", {"labels": "VIP"}, format="json"))["fields"]
    assert "body" in _error(api.post(f"{url}notes/", {"body": "   "}, format="json"))["fields"]
    conversation.refresh_from_db()
    assert conversation.status == "closed" and conversation.assignee_id is None
    assert not InternalNote.unscoped.filter(agency=agency_a).exists()


def test_notes_are_the_teams_and_a_client_gets_a_404(api, api_as, agency_a, brand_a, client_of_a):
    conversation = ConversationFactory(agency=agency_a, brand=brand_a)
    old = InternalNoteFactory(agency=agency_a, conversation=conversation)
    url = f"{API}{conversation.pk}/notes/"
    response = api.post(url, {"body": "Client fidèle, rappeler."}, format="json")
    assert response.status_code == 201 and response.json()["author_label"]
    assert [n["id"] for n in api.get(url).json()] == [old.pk, response.json()["id"]]

    client = api_as(client_of_a)
    assert _ids(client.get(API)) == {conversation.pk}
    assert "notes" not in client.get(f"{API}{conversation.pk}/").json()
    assert _error(client.get(url), 404)["code"] == "not_found"
    assert _error(client.post(url, {"body": "lu"}, format="json"), 404)
    # … and a client may not act on the conversation either.
    assert client.post(f"{API}{conversation.pk}/priority/", {"priority": 3}).status_code == 403


def test_a_client_sees_only_its_brands_conversations(api_as, agency_a, brand_a, client_of_a):
    other = ConversationFactory(agency=agency_a, brand=BrandFactory(agency=agency_a))
    client = api_as(client_of_a)
    assert _ids(client.get(API)) == set()
    assert _error(client.get(f"{API}{other.pk}/"), 404)


def test_api_key_scopes(api_as, agency_a, brand_a):
    conversation = ConversationFactory(agency=agency_a, brand=brand_a)
    InternalNoteFactory(agency=agency_a, conversation=conversation)
    reader = api_as(ApiKeyFactory(agency=agency_a, scope="read"))
    assert _ids(reader.get(API)) == {conversation.pk}
    assert len(reader.get(f"{API}{conversation.pk}/notes/").json()) == 1
    denied = reader.post(f"{API}{conversation.pk}/priority/", {"priority": 3}, format="json")
    assert _error(denied, 403)
    writer = api_as(ApiKeyFactory(agency=agency_a, scope="read_write"))
    answer = writer.post(f"{API}{conversation.pk}/notes/", {"body": "Vu."}, format="json")
    assert answer.status_code == 201 and answer.json()["author"] is None


def test_labels_crud(api, api_as, agency_a, member_of_a, client_of_a):
    created = api.post("/api/v1/labels/", {"name": " Livraison ", "colour": "#FF0000"})
    assert created.status_code == 201, created.content
    label = created.json()
    assert label["name"] == "Livraison" and label["colour"] == "#ff0000"
    assert "name" in _error(api.post("/api/v1/labels/", {"name": "livraison"}))["fields"]
    assert "colour" in _error(api.post("/api/v1/labels/", {"name": "x", "colour": "red"}))["fields"]
    url = f"/api/v1/labels/{label['id']}/"
    assert api.patch(url, {"name": "Retard"}, format="json").json()["name"] == "Retard"
    client = api_as(client_of_a)  # the one test client, now signed in as the client
    assert [row["name"] for row in client.get("/api/v1/labels/").json()["results"]] == ["Retard"]
    assert client.delete(url).status_code == 403
    team = api_as(member_of_a)
    assert team.delete(url).status_code == 204
    assert not Label.unscoped.filter(agency=agency_a).exists()


def test_a_reply_through_the_api_is_queued_once_per_idempotency_key(
    api, api_as, agency_a, brand_a, client_of_a
):
    from engagement.models import OutboundAction

    conversation = ConversationFactory(agency=agency_a, brand=brand_a, status="open")
    MessageFactory(agency=agency_a, conversation=conversation, external_id="4242")
    url = f"{API}{conversation.pk}/reply/"
    seen = api.get(f"{API}{conversation.pk}/").json()["seen"]
    body = {"text": "Bonjour, nous regardons !", "seen": seen}
    first = api.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="crm-77")
    again = api.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="crm-77")
    assert first.status_code == 202, first.content
    assert first.json()["id"] == again.json()["id"] and first.json()["state"] == "queued"
    assert OutboundAction.unscoped.filter(agency=agency_a).count() == 1
    assert "text" in _error(api.post(url, {"text": ""}, format="json"))["fields"]
    too_long = api.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="k" * 65)
    assert "Idempotency-Key" in _error(too_long)["fields"]
    assert "message" in _error(api.post(url, {**body, "message": 99999}, format="json"))["fields"]
    # A new message since `seen`: the collision guard refuses, with the reason.
    MessageFactory(agency=agency_a, conversation=conversation)
    assert _error(api.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="crm-78"))
    assert api_as(client_of_a).post(url, body, format="json").status_code == 403
