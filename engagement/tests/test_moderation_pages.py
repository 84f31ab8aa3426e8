"""The moderation rules' pages and writes: the team edits a brand's ordered rules (client roles
never see them), a wrong input is a form error naming the problem (never a 500), the dry run
shows what a rule would have done over 30 days without doing any of it, and the brand's VIP
and blocked authors are kept one list per author."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from agency.models import AuditEvent, Role
from agency.tenancy import tenant_scope
from agency.tests.factories import BrandAccessFactory, MembershipFactory
from engagement.models import BrandAuthor, Conversation, ModerationRule, OutboundAction
from engagement.services.moderation import rules
from engagement.services.moderation.dry_run import rule_dry_run
from engagement.tests.factories import (
    ConversationFactory,
    LabelFactory,
    MessageFactory,
    ModerationRuleFactory,
)
from notifications.models import Notification
from webhooks.models import WebhookDelivery


@pytest.fixture(autouse=True)
def _in_english():
    with translation.override("en"):
        yield


@pytest.fixture
def login(login):
    """Signed in, reading the pages in English."""

    def _login(who):
        client = login(who)
        client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
        return client

    return _login


def _url(name, brand, **kwargs):
    return reverse(f"dashboard:{name}", kwargs={"brand_id": brand.pk, **kwargs})


def _valid(**fields):
    return {"name": "Insultes", "abuse_label": "insult", "actions": ["hide"]} | fields


def test_a_manager_creates_a_rule_from_the_form_and_lands_on_its_dry_run(
    brand_a, member_of_a, login
):
    client = login(member_of_a)
    response = client.post(
        _url("moderation_rule_create", brand_a),
        {
            "name": "Insultes en darija",
            "match": "all",
            "abuse_label": "insult",
            "abuse_min_score": "0.7",
            "languages": ["ary", "ary-Latn"],
            "actions": ["hide", "priority"],
            "priority": "3",
        },
    )
    with tenant_scope(brand_a.agency_id):
        rule = ModerationRule.objects.get()
    assert response.status_code == 302
    assert response["Location"] == _url(
        "moderation_rule_dry_run", brand_a, moderation_rule_id=rule.pk
    )
    assert (rule.languages, rule.abuse_min_score, rule.priority) == (["ary", "ary-Latn"], 0.7, 3)
    assert rule.enabled is False  # switched on after the dry run
    page = client.get(_url("moderation_rules", brand_a)).content.decode()
    assert "Insultes en darija" in page and "Hide the message" in page


@pytest.mark.parametrize(
    ("fields", "field", "problem"),
    [
        ({"expression": "remboursement AND (retard"}, "expression", "character 19"),
        ({"expression": '"retard'}, "expression", "character 1"),
        ({"abuse_label": "", "actions": ["hide"]}, None, "at least one condition"),
        ({"actions": []}, "actions", "Choose at least one action."),
        ({"actions": ["hide", "delete"]}, "actions", "Hide or delete, not both"),
        ({"actions": ["assign"]}, "assignee", "Choose who the conversation goes to."),
        ({"actions": ["label"], "label": "999999"}, "label", "Choose one of the agency's labels."),
        ({"min_words": "abc"}, "min_words", "Give a number."),
        ({"min_words": "9", "max_words": "2"}, "max_words", "The maximum is below the minimum."),
        ({"abuse_min_score": "0.1"}, "abuse_min_score", "Give a number from 0.5 to 1.0."),
        ({"abuse_min_score": "nan"}, "abuse_min_score", "Give a number"),
        ({"name": ""}, "name", "Name the rule."),
        ({"min_followers": "1" + "0" * 40}, "min_followers", "Give a number"),
    ],
)
def test_a_wrong_rule_is_a_form_error_naming_the_problem(
    brand_a, member_of_a, login, fields, field, problem
):
    client = login(member_of_a)
    response = client.post(_url("moderation_rule_create", brand_a), _valid(**fields))
    assert response.status_code == 200
    form = response.context["form"]
    errors = form.errors.get(field or "__all__", [])
    assert any(problem in e for e in errors), form.errors
    assert "The rule was not saved" in response.content.decode()
    with tenant_scope(brand_a.agency_id):
        assert not ModerationRule.objects.exists()


def test_the_assignee_must_be_of_the_agencys_team(brand_a, member_of_a, client_of_a, agency_b):
    stranger = MembershipFactory(agency=agency_b)
    for user in (client_of_a.user, stranger.user):
        with tenant_scope(brand_a.agency_id), pytest.raises(rules.ValidationError) as caught:
            rules.rule_create(
                actor=member_of_a, brand=brand_a, data=_valid(actions=["assign"], assignee=user.pk)
            )
        assert caught.value.message_dict["assignee"] == ["Choose a member of the agency's team."]


def test_rules_are_moved_switched_on_edited_and_deleted_with_an_audit(brand_a, member_of_a, login):
    client = login(member_of_a)
    with tenant_scope(brand_a.agency_id):
        first, second, third = (
            rules.rule_create(actor=member_of_a, brand=brand_a, data=_valid(name=n))
            for n in ("Un", "Deux", "Trois")
        )
    client.post(
        _url("moderation_rule_move", brand_a, moderation_rule_id=third.pk), {"direction": "up"}
    )
    client.post(
        _url("moderation_rule_move", brand_a, moderation_rule_id=first.pk), {"direction": "down"}
    )
    client.post(
        _url("moderation_rule_enable", brand_a, moderation_rule_id=second.pk), {"enabled": "1"}
    )
    response = client.post(
        _url("moderation_rule_edit", brand_a, moderation_rule_id=second.pk),
        _valid(name="Deux bis", enabled="on", has_link="on", match="any"),
    )
    assert response.status_code == 302
    client.post(_url("moderation_rule_delete", brand_a, moderation_rule_id=first.pk))
    with tenant_scope(brand_a.agency_id):
        assert list(ModerationRule.objects.values_list("name", "enabled")) == [
            ("Trois", False),
            ("Deux bis", True),
        ]
        edited = ModerationRule.objects.get(pk=second.pk)
        assert (edited.has_link, edited.match) == (True, "any")
        verbs = list(AuditEvent.objects.order_by("id").values_list("verb", flat=True))
    assert verbs == [
        "moderation.rule_created",
        "moderation.rule_created",
        "moderation.rule_created",
        "moderation.rule_moved",
        "moderation.rule_moved",
        "moderation.rule_enabled",
        "moderation.rule_changed",
        "moderation.rule_deleted",
    ]


def test_client_roles_cannot_see_the_rules_pages(agency_a, brand_a, login):
    viewer = MembershipFactory(agency=agency_a, role=Role.CLIENT_VIEWER)
    BrandAccessFactory(membership=viewer, agency=agency_a, brand=brand_a)
    rule = ModerationRuleFactory(agency=agency_a, brand=brand_a)
    client = login(viewer)
    for name, kwargs in [
        ("moderation_rules", {}),
        ("moderation_rule_dry_run", {"moderation_rule_id": rule.pk}),
        ("moderation_rule_edit", {"moderation_rule_id": rule.pk}),
        ("moderation_rule_create", {}),
        ("moderation_authors", {}),
    ]:
        response = client.get(_url(name, brand_a, **kwargs))
        assert response.status_code == 403, name
        assert rule.name not in response.content.decode()
    brand_page = client.get(reverse("brands:detail", kwargs={"brand_id": brand_a.pk}))
    assert "Moderation rules" not in brand_page.content.decode()


def test_a_team_member_without_inbox_manage_reads_the_rules_but_cannot_change_them(
    agency_a, brand_a, login
):
    analyst = MembershipFactory(agency=agency_a, role=Role.ANALYST)
    rule = ModerationRuleFactory(agency=agency_a, brand=brand_a)
    client = login(analyst)
    page = client.get(_url("moderation_rules", brand_a))
    assert page.status_code == 200 and rule.name in page.content.decode()
    assert "New rule" not in page.content.decode()
    assert (
        client.post(_url("moderation_rule_delete", brand_a, moderation_rule_id=rule.pk)).status_code
        == 403
    )
    with tenant_scope(agency_a):
        assert ModerationRule.objects.filter(pk=rule.pk).exists()


def test_the_dry_run_replays_30_days_and_changes_nothing(agency_a, brand_a, member_of_a, login):
    conversation = ConversationFactory(
        agency=agency_a, brand=brand_a, network="facebook", social_account__network="facebook"
    )
    now = timezone.now()
    insulting = [
        MessageFactory(
            agency=agency_a,
            conversation=conversation,
            text=f"nta mkelekh {n}",
            abuse_labels={"insult": 0.8},
            sent_at=now - dt.timedelta(days=n, hours=-1),
        )
        for n in range(1, 31)
    ]
    MessageFactory(  # too old
        agency=agency_a,
        conversation=conversation,
        abuse_labels={"insult": 0.9},
        sent_at=now - dt.timedelta(days=31),
    )
    MessageFactory(agency=agency_a, conversation=conversation, text="Merci !", sent_at=now)
    mastodon = ConversationFactory(agency=agency_a, brand=brand_a)
    MessageFactory(agency=agency_a, conversation=mastodon, abuse_labels={"insult": 0.7})
    label = LabelFactory(agency=agency_a)
    rule = ModerationRuleFactory(
        agency=agency_a,
        brand=brand_a,
        name="Insultes",
        actions=["hide", "label", "notify", "webhook", "close"],
        label=label,
        notify_user=member_of_a.user,
    )
    before = {
        "audit": AuditEvent.unscoped.count(),
        "notifications": Notification.unscoped.count(),
        "deliveries": WebhookDelivery.unscoped.count(),
        "actions": OutboundAction.unscoped.count(),
    }
    with tenant_scope(agency_a):
        result = rule_dry_run(rule)
        statuses = set(Conversation.objects.values_list("status", flat=True))
    assert (result.examined, result.matched) == (32, 31)
    assert result.actions["hide"] == 30 and result.refused["hide"] == 1  # Mastodon cannot
    assert result.actions["label"] == 31
    page = login(member_of_a).get(
        _url("moderation_rule_dry_run", brand_a, moderation_rule_id=rule.pk)
    )
    body = page.content.decode()
    assert page.status_code == 200
    assert "Messages matched" in body and ">31<" in body
    assert "Mastodon&#x27;s API does not let an app hide a comment." in body
    assert len(page.context["page"].object_list) == 25
    second = login(member_of_a).get(
        _url("moderation_rule_dry_run", brand_a, moderation_rule_id=rule.pk), {"page": 2}
    )
    assert len(second.context["page"].object_list) == 6
    assert insulting[-1].text in second.content.decode()  # oldest last
    after = {
        "audit": AuditEvent.unscoped.count(),
        "notifications": Notification.unscoped.count(),
        "deliveries": WebhookDelivery.unscoped.count(),
        "actions": OutboundAction.unscoped.count(),
    }
    assert after == before
    with tenant_scope(agency_a):
        assert set(Conversation.objects.values_list("status", flat=True)) == statuses
        assert not conversation.labels.exists()


def test_vip_and_blocked_lists_keep_one_list_per_author(agency_a, brand_a, member_of_a, login):
    client = login(member_of_a)
    url = _url("moderation_authors", brand_a)
    client.post(url, {"list": "vip", "network": "instagram", "handle": "@Salma", "note": "presse"})
    client.post(url, {"list": "blocked", "network": "instagram", "handle": "salma"})
    bad = client.post(url, {"list": "vip", "network": "instagram", "handle": "two words"})
    assert "without spaces" in bad.content.decode()
    with tenant_scope(agency_a):
        entry = BrandAuthor.objects.get()
    assert (entry.handle, entry.list, entry.note) == ("salma", "blocked", "presse")
    page = client.get(url).content.decode()
    assert "@salma" in page and "Blocked" in page
    client.post(_url("moderation_author_remove", brand_a, brand_author_id=entry.pk))
    with tenant_scope(agency_a):
        assert not BrandAuthor.objects.exists()


def test_the_brand_page_links_to_its_rules(brand_a, member_of_a, login):
    page = login(member_of_a).get(reverse("brands:detail", kwargs={"brand_id": brand_a.pk}))
    assert _url("moderation_rules", brand_a) in page.content.decode()
