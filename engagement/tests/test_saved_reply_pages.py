"""The saved replies' pages and the reply box: managing them (a bad variable is a form error,
not a 500), the reply box offering them filled for the conversation, the signature sent with
the reply, and the live counter (static/engagement/reply-box.js) counting as the server does."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from agency.tenancy import tenant_scope
from engagement.models import BrandReplySettings, OutboundAction, SavedReply
from engagement.tests.factories import ConversationFactory, MessageFactory, SavedReplyFactory
from networks.text import count_code_points, count_graphemes, count_mastodon, count_x
from reputation.models.mentions import Author


@pytest.fixture(autouse=True)
def _in_english():
    with translation.override("en"):
        yield


def test_a_saved_reply_is_created_edited_and_deleted_from_its_pages(
    agency_a, brand_a, member_of_a, login
):
    client = login(member_of_a)
    response = client.post(
        reverse("dashboard:saved_reply_create"),
        {"brand": brand_a.pk, "language": "fr", "title": "Merci", "body": "Merci {author_name} !"},
    )
    assert response.status_code == 302
    with tenant_scope(agency_a.pk):
        reply = SavedReply.objects.get()
    listing = client.get(reverse("dashboard:saved_replies"), {"brand": brand_a.pk})
    assert "Merci {author_name} !" in listing.content.decode()
    edit = reverse("dashboard:saved_reply_edit", kwargs={"saved_reply_id": reply.pk})
    client.post(edit, {"brand": brand_a.pk, "language": "und", "title": "Merci", "body": "Ok"})
    with tenant_scope(agency_a.pk):
        reply.refresh_from_db()
    assert reply.body == "Ok" and reply.language == "und"
    client.post(reverse("dashboard:saved_reply_delete", kwargs={"saved_reply_id": reply.pk}))
    with tenant_scope(agency_a.pk):
        assert not SavedReply.objects.exists()


@pytest.mark.parametrize(
    "body", ["Bonjour {prenom}", "{brand.__class__.__mro__}", "{0}", "{author_name!r}"]
)
def test_a_bad_variable_is_a_form_error_not_a_500(agency_a, brand_a, member_of_a, login, body):
    response = login(member_of_a).post(
        reverse("dashboard:saved_reply_create"),
        {"brand": brand_a.pk, "language": "fr", "title": "Merci", "body": body},
    )
    assert response.status_code == 200
    assert "{author_first_name}" in " ".join(response.context["form"].errors["body"])
    with tenant_scope(agency_a.pk):
        assert not SavedReply.objects.exists()


def test_another_agencys_brand_cannot_be_chosen(agency_a, brand_b, member_of_a, login):
    response = login(member_of_a).post(
        reverse("dashboard:saved_reply_create"),
        {"brand": brand_b.pk, "language": "fr", "title": "x", "body": "y"},
    )
    assert response.status_code == 200 and "brand" in response.context["form"].errors
    assert SavedReply.unscoped.count() == 0


def test_a_reader_has_no_saved_reply_pages(agency_a, member_factory, login):
    analyst = member_factory(agency_a, "analyst")
    response = login(analyst).get(reverse("dashboard:saved_replies"))
    assert response.status_code in (403, 404)


def test_a_community_manager_sets_the_signature_but_not_the_approval_switches(
    agency_a, brand_a, member_of_a, login
):
    url = reverse("dashboard:reply_settings", kwargs={"brand_id": brand_a.pk})
    login(member_of_a).post(
        url, {"signature": "— L'équipe", "replies_need_approval": "", "clients_may_reply": "on"}
    )
    with tenant_scope(agency_a.pk):
        found = BrandReplySettings.objects.get(brand=brand_a)
    assert found.signature == "— L'équipe"
    assert found.clients_may_reply is False  # the switch is disabled for a community manager


def test_a_manager_switches_approval_on(agency_a, brand_a, member_factory, login):
    manager = member_factory(agency_a, "manager")
    url = reverse("dashboard:reply_settings", kwargs={"brand_id": brand_a.pk})
    login(manager).post(url, {"signature": "", "replies_need_approval": "on"})
    with tenant_scope(agency_a.pk):
        assert BrandReplySettings.objects.get(brand=brand_a).replies_need_approval is True


def test_a_signature_with_a_bad_variable_is_a_form_error(brand_a, member_of_a, login):
    url = reverse("dashboard:reply_settings", kwargs={"brand_id": brand_a.pk})
    response = login(member_of_a).post(url, {"signature": "{equipe}"})
    assert response.status_code == 200 and "signature" in response.context["form"].errors


def test_the_reply_box_offers_the_saved_replies_filled_and_sends_the_signature(
    agency_a, brand_a, member_of_a, login
):
    member_of_a.user.full_name = "Salma Bennani"
    member_of_a.user.save()
    with tenant_scope(agency_a.pk):
        author = Author.objects.create(
            agency=agency_a, network="mastodon", handle="@yassine", name="Yassine El Amrani"
        )
        conversation = ConversationFactory(
            agency=agency_a, brand=brand_a, author=author, language="fr"
        )
        MessageFactory(agency=agency_a, conversation=conversation)
        SavedReplyFactory(agency=agency_a, brand=brand_a, body="Merci {author_first_name} !")
        SavedReplyFactory(agency=agency_a, brand=brand_a, language="en", title="English only")
        BrandReplySettings.objects.create(
            agency=agency_a, brand=brand_a, signature="— {agent_first_name}"
        )
    client = login(member_of_a)
    page = client.get(
        reverse("dashboard:conversation", kwargs={"conversation_id": conversation.pk})
    )
    body = page.content.decode()
    assert 'data-body="Merci Yassine !"' in body
    assert "English only" not in body
    assert 'data-counter="mastodon"' in body and 'data-signature="— Salma"' in body
    url = reverse("dashboard:conversation_reply", kwargs={"conversation_id": conversation.pk})
    client.post(
        url,
        {
            "text": "Merci Yassine !",
            "token": page.context["reply_token"],
            "seen": page.context["seen"],
        },
    )
    assert OutboundAction.unscoped.get().text == "Merci Yassine !\n— Salma"


SAMPLES = [
    "Bonjour Yassine 👋🏽 merci !",
    "Voir https://example.com/page?x=1. et cafe.ma/menu)",
    "@karim@mastodon.social salam 👨‍👩‍👧‍👦",
    "مرحبا بكم في المقهى",
    "salam khoya, chno akhbar? 🇲🇦",
    "日本語のテキスト",
    "e\u0301te\u0301",
    "a\u2014b \u2019 (https://x.com/a_(b))",
    "x" * 300,
]
COUNTS = {
    "x": count_x,
    "mastodon": count_mastodon,
    "graphemes": count_graphemes,
    "code_points": count_code_points,
}


@pytest.mark.skipif(shutil.which("node") is None, reason="the counter runs in Node.js here")
def test_the_live_counter_counts_like_the_server_for_every_network():
    script = Path(settings.BASE_DIR) / "static" / "engagement" / "reply-box.js"
    runner = (
        f"const C = require({json.dumps(str(script))});"
        "const cases = JSON.parse(require('fs').readFileSync(0, 'utf8'));"
        "console.log(JSON.stringify(cases.map(([k, t]) => C[k](t))));"
    )
    cases = [[kind, text] for kind in COUNTS for text in SAMPLES]
    done = subprocess.run(
        ["node", "-e", runner], input=json.dumps(cases), capture_output=True, text=True, timeout=30
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == [COUNTS[kind](text) for kind, text in cases]
