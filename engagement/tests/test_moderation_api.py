"""/api/v1/moderation-rules/: the pages' validation and writes through the API (a wrong rule
is a 400 naming the field, never a 500), the dry run as a read without side effects, client
roles refused everywhere."""

import pytest
from django.utils import translation

from agency.models import AuditEvent, Role
from agency.tenancy import tenant_scope
from agency.tests.factories import ApiKeyFactory, BrandAccessFactory, MembershipFactory
from engagement.models import ModerationRule, OutboundAction
from engagement.tests.factories import (
    ConversationFactory,
    LabelFactory,
    MessageFactory,
    ModerationRuleFactory,
)

URL = "/api/v1/moderation-rules/"


@pytest.fixture(autouse=True)
def _in_english(api_client):
    api_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    with translation.override("en"):
        yield


def test_a_rule_is_created_read_changed_moved_and_deleted(brand_a, member_of_a, api_as):
    api = api_as(member_of_a)
    label = LabelFactory(agency=brand_a.agency)
    created = api.post(
        URL,
        {
            "brand": brand_a.pk,
            "name": "Arnaques",
            "abuse_label": "scam",
            "has_link": True,
            "actions": ["hide", "label"],
            "label": label.pk,
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert (body["brand"], body["enabled"], body["label"], body["position"]) == (
        brand_a.pk,
        False,
        label.pk,
        0,
    )
    second = api.post(
        URL,
        {
            "brand": brand_a.pk,
            "name": "VIP",
            "author_list": "vip",
            "actions": ["priority"],
            "priority": 3,
        },
        format="json",
    ).json()
    patched = api.patch(f"{URL}{body['id']}/", {"enabled": True}, format="json")
    assert patched.status_code == 200 and patched.json()["enabled"] is True
    assert patched.json()["label"] == label.pk  # a PATCH keeps the rest
    moved = api.post(f"{URL}{second['id']}/move/", {"direction": "up"}, format="json")
    assert moved.status_code == 200 and moved.json()["position"] == 0
    listed = api.get(URL, {"brand": brand_a.pk}).json()["results"]
    assert [r["name"] for r in listed] == ["VIP", "Arnaques"]
    assert api.delete(f"{URL}{body['id']}/").status_code == 204
    with tenant_scope(brand_a.agency_id):
        assert list(ModerationRule.objects.values_list("name", flat=True)) == ["VIP"]
        assert AuditEvent.objects.filter(verb="moderation.rule_deleted").count() == 1


@pytest.mark.parametrize(
    ("payload", "field", "problem"),
    [
        ({"expression": "a AND (b"}, "expression", "character 7"),
        ({"abuse_label": ""}, "message", "at least one condition"),
        ({"actions": ["hide", "delete"]}, "actions", "not both"),
        ({"actions": ["notify"]}, "notify_user", "Choose who to notify."),
        ({"actions": ["explode"]}, "actions", None),
        ({"min_words": -1}, "min_words", None),
        ({"abuse_min_score": 3}, "abuse_min_score", None),
        ({"languages": "fr"}, "languages", None),
        ({"brand": 10**9}, "brand", "Choose one of the agency's brands."),
    ],
)
def test_a_wrong_rule_is_a_400_naming_the_field(
    brand_a, member_of_a, api_as, payload, field, problem
):
    data = {"brand": brand_a.pk, "name": "R", "abuse_label": "insult", "actions": ["hide"]}
    response = api_as(member_of_a).post(URL, data | payload, format="json")
    assert response.status_code == 400, response.content
    body = response.json()
    text = str(body)
    assert field in text, body
    if problem:
        assert problem in text, body
    with tenant_scope(brand_a.agency_id):
        assert not ModerationRule.objects.exists()


def test_the_dry_run_through_the_api_changes_nothing(agency_a, brand_a, member_of_a, api_as):
    conversation = ConversationFactory(
        agency=agency_a, brand=brand_a, network="facebook", social_account__network="facebook"
    )
    for _n in range(30):
        MessageFactory(agency=agency_a, conversation=conversation, abuse_labels={"insult": 0.8})
    MessageFactory(agency=agency_a, conversation=conversation, text="Merci")
    rule = ModerationRuleFactory(agency=agency_a, brand=brand_a, actions=["hide", "close"])
    audits = AuditEvent.unscoped.count()
    api = api_as(member_of_a)
    first = api.get(f"{URL}{rule.pk}/dry-run/")
    assert first.status_code == 200
    body = first.json()
    assert (body["examined"], body["matched"], body["pages"]) == (31, 30, 2)
    assert body["actions"] == {"hide": 30, "close": 30} and body["refused"] == {}
    assert len(body["results"]) == 25 and body["results"][0]["reasons"] == ["abuse: insult 0.80"]
    assert len(api.get(f"{URL}{rule.pk}/dry-run/", {"page": 2}).json()["results"]) == 5
    assert api.get(f"{URL}{rule.pk}/dry-run/", {"page": "x"}).status_code == 400
    assert AuditEvent.unscoped.count() == audits
    assert not OutboundAction.unscoped.exists()
    with tenant_scope(agency_a):
        conversation.refresh_from_db()
    assert conversation.status != "closed"


def test_client_roles_and_readers(agency_a, brand_a, api_as):
    rule = ModerationRuleFactory(agency=agency_a, brand=brand_a)
    viewer = MembershipFactory(agency=agency_a, role=Role.CLIENT_VIEWER)
    BrandAccessFactory(membership=viewer, agency=agency_a, brand=brand_a)
    api = api_as(viewer)
    for response in (
        api.get(URL),
        api.get(f"{URL}{rule.pk}/"),
        api.get(f"{URL}{rule.pk}/dry-run/"),
    ):
        assert response.status_code == 403
    reader = ApiKeyFactory(agency=agency_a, scope="read")
    api = api_as(reader)
    assert api.get(URL).status_code == 200
    refused = api.patch(f"{URL}{rule.pk}/", {"enabled": True}, format="json")
    assert refused.status_code == 403
