"""Moderation rules at ingest: a brand's switched-on rules run in order on each new inbound
message (not on a first read's old items), every matching rule applies, hide and delete go
through the outbox once, each action is audited with its rule and announced as
moderation.action_taken.

Facebook's Graph API is faked at the transport (respx): POST /{comment-id} with
``is_hidden=true`` answers ``{"success": true}`` (Graph API reference, Comment, Updating)."""

import datetime as dt
import json

import httpx
import pytest
import respx
from django.urls import reverse
from django.utils import timezone, translation

from agency.models import AuditEvent
from agency.tenancy import tenant_scope
from agency.tests.factories import MembershipFactory
from clients.tests.factories import SocialAccountFactory
from engagement.models import (
    BrandAuthor,
    BrandReplySettings,
    Conversation,
    ConversationLabel,
    Message,
    ModerationRule,
    OutboundAction,
    SavedReply,
)
from engagement.models.replies import ReplyApproval
from engagement.services.ingest import owned_items_store
from engagement.services.moderation.conditions import MessageFacts, rule_compile, rule_reasons
from engagement.tests.factories import LabelFactory
from notifications.models import Notification
from reputation.owned_items import KIND_COMMENT, OwnedBatch, OwnedItem
from webhooks.models import WebhookDelivery
from webhooks.tests.factories import WebhookEndpointFactory

GRAPH_COMMENT = r"https://graph\.facebook\.com/v[\d.]+/(?P<cid>[\w]+)$"


@pytest.fixture(autouse=True)
def _in_english():
    with translation.override("en"):
        yield


@pytest.fixture
def page(agency_a, brand_a):
    return SocialAccountFactory(
        agency=agency_a,
        brand=brand_a,
        network="facebook",
        external_id="1010",
        handle="cafetanger",
        instance_url="",
    )


def _item(external_id, text, *, language="ary-Latn", handle="troll", when=None, parent="1010_1"):
    return OwnedItem(
        external_id=external_id,
        kind=KIND_COMMENT,
        text=text,
        url=f"https://www.facebook.com/{external_id}",
        published_at=when or timezone.now(),
        language=language,
        sentiment_label="negative",
        sentiment_score=-0.6,
        author_id=None,
        author_handle=handle,
        author_name=handle.title(),
        author_external_id=f"u-{handle}",
        parent_external_id=parent,
        post_external_id="1010_1",
    )


def _store(account, items, *, backfill=False):
    batch = OwnedBatch(
        agency_id=account.agency_id,
        brand_id=account.brand_id,
        social_account_id=account.pk,
        network=account.network,
        items=items,
        backfill=backfill,
    )
    with tenant_scope(account.agency_id):
        return owned_items_store(batch)


def _rule(brand, **fields):
    defaults = {"name": "Insultes", "enabled": True, "actions": ["hide"]}
    return ModerationRule.objects.create(agency=brand.agency, brand=brand, **(defaults | fields))


def test_a_rule_hides_an_insulting_darija_comment_and_the_hide_reaches_the_network_once(
    agency_a,
    brand_a,
    page,
    eager_tasks,
    django_capture_on_commit_callbacks,
):
    rule = _rule(brand_a, abuse_label="insult", languages=["ary-Latn"])
    # A second rule asking to hide the same message does not make a second call.
    _rule(brand_a, name="Darija négatif", position=1, sentiments=["negative"], languages=["ary"])
    _rule(brand_a, name="Négatif", position=2, sentiments=["negative"], actions=["hide"])
    endpoint = WebhookEndpointFactory(agency=agency_a, events=["moderation.action_taken"])
    with respx.mock(assert_all_called=False) as mock:
        route = mock.post(url__regex=GRAPH_COMMENT).mock(
            return_value=httpx.Response(200, json={"success": True})
        )
        mock.post(url__startswith=endpoint.url).mock(return_value=httpx.Response(204))
        with django_capture_on_commit_callbacks(execute=True):
            _store(page, [_item("1010_1_77", "nta wa7ed mkelekh, zamel")])
    assert route.call_count == 1
    assert route.calls[0].request.url.path.endswith("/1010_1_77")
    assert b"is_hidden=true" in route.calls[0].request.content
    with tenant_scope(agency_a):
        message = Message.objects.get(external_id="1010_1_77")
        assert message.abuse_labels["insult"] >= 0.5
        action = OutboundAction.objects.get()
        assert (action.kind, action.state, action.target_id) == ("hide", "done", message.pk)
        assert action.rule_label == f"Insultes (#{rule.pk})"
        audit = AuditEvent.objects.get(verb="conversation.hide_requested")
        assert audit.actor is None and audit.data["rule"] == f"Insultes (#{rule.pk})"
        delivery = WebhookDelivery.objects.get(endpoint=endpoint)
    data = json.loads(delivery.body)["data"]
    assert data["action"] == {
        "kind": "hide",
        "rule": rule.pk,
        "by": "rule",
        "actor": None,
        "reason": "Insultes: language: ary-Latn, abuse: insult 0.92",
    }
    assert data["message"]["id"] == message.pk
    assert data["conversation"]["id"] == message.conversation_id


def test_rules_do_not_run_on_a_first_reads_old_items(agency_a, brand_a, page):
    _rule(brand_a, abuse_label="insult")
    _store(page, [_item("1010_1_78", "nta wa7ed mkelekh")], backfill=True)
    with tenant_scope(agency_a):
        assert not OutboundAction.objects.exists()
        assert not AuditEvent.objects.filter(verb__startswith="moderation.").exists()


def test_a_switched_off_rule_and_the_brands_own_replies_are_left_alone(agency_a, brand_a, page):
    _rule(brand_a, abuse_label="insult", enabled=False)
    _rule(brand_a, name="Tout", sentiments=["negative"], position=1)
    _store(page, [_item("1010_1_79", "mkelekh", handle="cafetanger")])  # the page's own
    _store(page, [_item("1010_1_80", "nta mkelekh")])
    with tenant_scope(agency_a):
        assert list(OutboundAction.objects.values_list("target__external_id", flat=True)) == [
            "1010_1_80"
        ]


def test_every_matching_rule_applies_its_conversation_actions_in_order(
    agency_a, brand_a, page, member_of_a
):
    label = LabelFactory(agency=agency_a, name="à escalader")
    manager = MembershipFactory(agency=agency_a, role="manager")
    _rule(
        brand_a,
        name="Liens",
        has_link=True,
        actions=["label", "priority", "assign", "notify", "webhook"],
        label=label,
        priority=3,
        assignee=member_of_a.user,
        notify_user=manager.user,
    )
    _rule(brand_a, name="Fermer le spam", position=1, has_phone=True, actions=["close"])
    _rule(brand_a, name="Jamais", position=2, has_email=True, actions=["close"])
    _store(page, [_item("1010_1_81", "Promo ici https://bit.ly/x appelez 0612345678")])
    with tenant_scope(agency_a):
        conversation = Conversation.objects.get()
        assert conversation.priority == 3
        assert conversation.assignee_id == member_of_a.user_id
        assert conversation.status == "closed"
        assert ConversationLabel.objects.filter(conversation=conversation, label=label).exists()
        verbs = list(
            AuditEvent.objects.filter(verb__startswith="moderation.")
            .order_by("id")
            .values_list("verb", "data__rule_name")
        )
        assert verbs == [
            ("moderation.labelled", "Liens"),
            ("moderation.priority_set", "Liens"),
            ("moderation.assigned", "Liens"),
            ("moderation.notified", "Liens"),
            ("moderation.flagged", "Liens"),
            ("moderation.closed", "Fermer le spam"),
        ]
        assert Notification.objects.filter(
            recipient=manager.user, verb="moderation.rule_matched"
        ).exists()
        assert Notification.objects.filter(
            recipient=member_of_a.user, verb="conversation.assigned"
        ).exists()


def test_a_network_that_cannot_hide_is_recorded_as_skipped_with_its_reason(agency_a, brand_a):
    account = SocialAccountFactory(agency=agency_a, brand=brand_a, network="mastodon")
    _rule(brand_a, abuse_label="insult")
    _store(account, [_item("m-1", "t'es un connard", language="fr", parent="")])
    with tenant_scope(agency_a):
        assert not OutboundAction.objects.exists()
        skipped = AuditEvent.objects.get(verb="moderation.action_skipped")
        assert "Mastodon's API does not let an app hide a comment." in skipped.data["why"]


def test_author_lists_followers_and_first_message_conditions(agency_a, brand_a, page):
    BrandAuthor.objects.create(
        agency=agency_a, brand=brand_a, list="vip", network="facebook", handle="salma"
    )
    vip = _rule(brand_a, author_list="vip", actions=["priority"], priority=3)
    first = _rule(brand_a, first_message=True, actions=["webhook"], position=1)
    earlier = timezone.now() - dt.timedelta(days=2)
    _store(page, [_item("1010_1_90", "Salam", handle="@Salma", when=earlier)])
    _store(page, [_item("1010_1_91", "Salam 3awtani", handle="@Salma")])
    with tenant_scope(agency_a):
        acted = set(
            AuditEvent.objects.filter(verb__startswith="moderation.").values_list(
                "verb", "data__message"
            )
        )
        first_id, second_id = Message.objects.order_by("sent_at").values_list("pk", flat=True)
    assert ("moderation.flagged", first_id) in acted
    assert ("moderation.flagged", second_id) not in acted  # not the author's first any more
    assert ("moderation.priority_set", first_id) in acted  # the VIP, "@Salma" or "salma"
    assert vip.pk and first.pk


def _facts(**fields):
    base = {
        "text": "",
        "language": "fr",
        "sentiment": "neutral",
        "abuse_labels": {},
        "kind": "comment",
        "network": "facebook",
    }
    return MessageFacts(**(base | fields))


@pytest.mark.parametrize(
    ("fields", "facts", "matches"),
    [
        ({"expression": "remboursement NOT merci"}, {"text": "Remboursement !"}, True),
        ({"expression": "remboursement NOT merci"}, {"text": "remboursement merci"}, False),
        ({"min_words": 3, "max_words": 5}, {"text": "un deux"}, False),
        ({"min_words": 3, "max_words": 5}, {"text": "un deux trois"}, True),
        ({"has_email": True}, {"text": "écrivez à a.b@exemple.ma"}, True),
        ({"has_email": True}, {"text": "@salma merci"}, False),
        (
            {"abuse_label": "insult", "abuse_min_score": 0.9},
            {"abuse_labels": {"insult": 0.8}},
            False,
        ),
        ({"kinds": ["review"], "networks": ["facebook"]}, {"kind": "review"}, True),
        ({"kinds": ["review"], "networks": ["x"], "match": "any"}, {"kind": "review"}, True),
        ({"kinds": ["review"], "networks": ["x"]}, {"kind": "review"}, False),
        ({"min_followers": 1000}, {"followers": None}, False),
        ({"min_followers": 1000}, {"followers": 1000}, True),
        ({}, {"text": "anything"}, False),  # a rule without a condition matches nothing
    ],
)
def test_conditions_combine_with_all_or_any(fields, facts, matches):
    rule = ModerationRule(name="r", brand_id=1, **fields)
    assert (rule_reasons(rule_compile(rule), _facts(**facts)) is not None) is matches


def test_a_rule_replies_with_the_brands_saved_reply_once_filled_and_signed(
    agency_a, brand_a, page, eager_tasks, django_capture_on_commit_callbacks
):
    saved = SavedReply.objects.create(
        agency=agency_a,
        brand=brand_a,
        title="Privé",
        body="Bonjour {author_first_name}, écrivez-nous en privé.",
    )
    BrandReplySettings.objects.create(agency=agency_a, brand=brand_a, signature="L'équipe")
    rule = _rule(brand_a, name="Commande", expression="commande", actions=["reply"])
    rule.saved_reply = saved
    rule.save()
    _rule(brand_a, name="Encore", position=1, has_phone=True, actions=["reply"], saved_reply=saved)
    with respx.mock(assert_all_called=False) as mock:
        route = mock.post(url__regex=r"https://graph\.facebook\.com/v[\d.]+/1010_1_95/comments$")
        route.mock(return_value=httpx.Response(200, json={"id": "1010_1_96"}))
        with django_capture_on_commit_callbacks(execute=True):
            _store(page, [_item("1010_1_95", "Ma commande ? 0612345678", handle="salma")])
    assert route.call_count == 1
    sent = route.calls[0].request.content.decode()
    assert "Bonjour+Salma" in sent and "L%27%C3%A9quipe" in sent
    with tenant_scope(agency_a):
        action = OutboundAction.objects.get()
    assert (action.kind, action.state, action.rule_label) == (
        "reply",
        "done",
        f"Commande (#{rule.pk})",
    )


def test_a_rules_reply_waits_for_a_manager_when_the_brand_asks_for_approval(
    agency_a, brand_a, page
):
    saved = SavedReply.objects.create(agency=agency_a, brand=brand_a, title="t", body="Merci")
    BrandReplySettings.objects.create(agency=agency_a, brand=brand_a, replies_need_approval=True)
    rule = _rule(brand_a, expression="commande", actions=["reply"], saved_reply=saved)
    _store(page, [_item("1010_1_97", "Ma commande")])
    with tenant_scope(agency_a):
        assert not OutboundAction.objects.exists()
        waiting = ReplyApproval.objects.get()
    assert waiting.state == "awaiting" and waiting.text.startswith("Merci")
    assert waiting.rule_label == f"Insultes (#{rule.pk})"


def test_a_message_hidden_by_a_rule_is_unhidden_from_the_conversation_page(
    agency_a,
    brand_a,
    page,
    member_of_a,
    login,
    eager_tasks,
    django_capture_on_commit_callbacks,
):
    _rule(brand_a, abuse_label="insult")
    with respx.mock(assert_all_called=False) as mock:
        route = mock.post(url__regex=GRAPH_COMMENT).mock(
            return_value=httpx.Response(200, json={"success": True})
        )
        with django_capture_on_commit_callbacks(execute=True):
            _store(page, [_item("1010_1_60", "nta mkelekh")])
        with tenant_scope(agency_a):
            message = Message.objects.get(external_id="1010_1_60")
        page_html = login(member_of_a).get(
            reverse("dashboard:conversation", kwargs={"conversation_id": message.conversation_id}),
            HTTP_ACCEPT_LANGUAGE="en",
        )
        assert "rule Insultes" in page_html.content.decode()
        assert "Insult" in page_html.content.decode()  # the message's abuse label
        url = reverse(
            "dashboard:conversation_message_action",
            kwargs={"conversation_id": message.conversation_id, "message_id": message.pk},
        )
        with django_capture_on_commit_callbacks(execute=True):
            login(member_of_a).post(url, {"kind": "unhide", "token": "page-1"})
    sent = [call.request.content.split(b"&")[0] for call in route.calls]
    assert sent == [b"is_hidden=true", b"is_hidden=false"]
