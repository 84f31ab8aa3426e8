"""What Meta pushes about a message already in the inbox: a comment removed, edited, hidden or
unhidden on the Page (``feed`` changes with ``item: comment`` and ``verb: remove | edited |
hide | unhide``), a Messenger message edited (``message_edit``), an Instagram message unsent
(``message.is_deleted``). The row and its history stay; each change applies once however
often Meta delivers it. Deliveries shaped like the documented ones (meta_deliveries.py)."""

import datetime as dt

from django.utils import timezone

from agency.tenancy import tenant_scope
from engagement.models import Conversation, Message
from engagement.services.webhooks_in import meta_entries_store
from engagement.tests.meta_deliveries import (  # noqa: F401 - fixtures, used by name
    CREATED,
    PAGE,
    feed_delivery,
    meta_settings_fixture,
    page_fixture,
    post,
)


def _deliver(client, payload, capture):
    with capture(execute=True):
        assert post(client, payload).status_code == 200


def _store(agency, account, payload):
    """The task's work, called again as Meta's retry of the same delivery would be."""
    with tenant_scope(agency):
        return meta_entries_store(account_id=account.pk, entries=payload["entry"])


def _change(verb, *, at=CREATED + 600, **value):
    payload = feed_delivery(verb=verb, **value)
    payload["entry"][0]["time"] = at
    return payload


def test_a_removed_comment_is_marked_deleted_once_and_keeps_its_row_and_text(
    client, agency_a, page, eager_tasks, django_capture_on_commit_callbacks, login, member_of_a
):
    account, _source = page
    _deliver(client, feed_delivery(), django_capture_on_commit_callbacks)
    Conversation.unscoped.filter(agency=agency_a).update(
        first_response_due_at=timezone.now() + dt.timedelta(hours=1),
        resolution_due_at=timezone.now() + dt.timedelta(days=1),
    )
    removal = _change("remove", message=None)  # Meta sends no text with a removal
    _deliver(client, removal, django_capture_on_commit_callbacks)
    message = Message.unscoped.get(agency=agency_a)
    removed_at = message.removed_at
    assert removed_at == dt.datetime.fromtimestamp(CREATED + 600, tz=dt.UTC)
    assert message.text == "Commande jamais arrivée, service nul"  # the history stays

    assert _store(agency_a, account, removal) == 0  # Meta's retry: nothing more to do
    later = _change("remove", at=CREATED + 900, message=None)
    _deliver(client, later, django_capture_on_commit_callbacks)
    message.refresh_from_db()
    assert message.removed_at == removed_at  # marked once, at the first removal
    assert Message.unscoped.filter(agency=agency_a).count() == 1

    conversation = message.conversation
    conversation.refresh_from_db()
    # Nothing of the author is left on the network: nothing awaits a reply.
    assert conversation.first_response_due_at is None and conversation.resolution_due_at is None
    page_html = login(member_of_a).get(f"/inbox/{conversation.pk}/").content.decode()
    assert "Supprimé sur Facebook" in page_html and "Commande jamais arrivée" in page_html


def test_an_edited_comment_shows_its_new_text_keeps_the_old_one_and_is_analysed_again(
    client,
    agency_a,
    page,
    eager_tasks,
    django_capture_on_commit_callbacks,
    login,
    member_of_a,
    api_as,
):
    account, _source = page
    _deliver(client, feed_delivery(), django_capture_on_commit_callbacks)
    assert Message.unscoped.get(agency=agency_a).sentiment == "negative"
    edit = _change("edited", message="Finalement reçue, merci beaucoup, service excellent")
    _deliver(client, edit, django_capture_on_commit_callbacks)
    assert _store(agency_a, account, edit) == 0  # the same edit again changes nothing

    message = Message.unscoped.get(agency=agency_a)
    assert message.text == "Finalement reçue, merci beaucoup, service excellent"
    assert [e["text"] for e in message.edit_history] == ["Commande jamais arrivée, service nul"]
    assert message.edited_at == dt.datetime.fromtimestamp(CREATED + 600, tz=dt.UTC)
    assert message.sentiment == "positive" and message.language == "fr"
    conversation = Conversation.unscoped.get(agency=agency_a)
    assert conversation.preview.startswith("Finalement reçue") and conversation.message_count == 1
    assert conversation.sentiment == "positive"

    # A late copy of an older edit does not bring its text back.
    stale = _change("edited", at=CREATED + 300, message="Toujours pas reçue")
    assert _store(agency_a, account, stale) == 0
    message.refresh_from_db()
    assert message.text.startswith("Finalement reçue") and len(message.edit_history) == 1
    page_html = login(member_of_a).get(f"/inbox/{conversation.pk}/").content.decode()
    assert "Modifié sur Facebook" in page_html and "Commande jamais arrivée" in page_html
    body = api_as(member_of_a).get(f"/api/v1/conversations/{conversation.pk}/").json()
    shown = body["messages"][0]
    assert shown["edit_history"][0]["text"] == "Commande jamais arrivée, service nul"
    assert shown["edited_at"] and shown["removed_at"] is None


def test_an_edit_of_a_comment_not_read_yet_is_stored_with_its_current_text(
    client, agency_a, page, eager_tasks, django_capture_on_commit_callbacks
):
    _deliver(client, _change("edited", message="Texte corrigé"), django_capture_on_commit_callbacks)
    message = Message.unscoped.get(agency=agency_a)
    assert message.text == "Texte corrigé" and message.edit_history == []


def test_a_comment_hidden_then_unhidden_on_the_page_follows_the_network(
    client, agency_a, page, eager_tasks, django_capture_on_commit_callbacks
):
    account, _source = page
    _deliver(client, feed_delivery(), django_capture_on_commit_callbacks)
    _store(agency_a, account, _change("hide"))
    assert Message.unscoped.get(agency=agency_a).hidden_on_network is True
    _store(agency_a, account, _change("unhide", at=CREATED + 700))
    message = Message.unscoped.get(agency=agency_a)
    assert message.hidden_on_network is False and message.removed_at is None


def _messaging(*events, account=PAGE, obj="page"):
    return {"object": obj, "entry": [{"id": account, "time": CREATED * 1000, "messaging": events}]}


def _event(sender, recipient, *, later=0, **payload):
    return {
        "sender": {"id": sender},
        "recipient": {"id": recipient},
        "timestamp": CREATED * 1000 + later,
        **payload,
    }


def test_an_unsent_instagram_message_and_an_edited_messenger_message_are_applied(
    client, agency_a, brand_a, page, eager_tasks, django_capture_on_commit_callbacks
):
    from clients.tests.factories import SocialAccountFactory
    from reputation.tests.factories import SourceFactory

    ig = "17841405822304914"
    SocialAccountFactory(
        agency=agency_a, brand=brand_a, network="instagram", external_id=ig, instance_url=""
    )
    SourceFactory(
        agency=agency_a, kind="owned_comments", brand=brand_a, network="instagram", url=""
    )
    capture = django_capture_on_commit_callbacks
    sent = _event("7001", ig, message={"mid": "aWdfZAG1", "text": "Bonjour"})
    _deliver(client, _messaging(sent, account=ig, obj="instagram"), capture)
    unsent = _event("7001", ig, later=60_000, message={"mid": "aWdfZAG1", "is_deleted": True})
    _deliver(client, _messaging(unsent, account=ig, obj="instagram"), capture)
    removed = Message.unscoped.get(agency=agency_a, external_id="aWdfZAG1")
    assert removed.removed_at is not None and removed.text == "Bonjour"

    _deliver(
        client,
        _messaging(_event("7002", PAGE, message={"mid": "m_1", "text": "Horaires ?"})),
        capture,
    )
    edit = {"mid": "m_1", "text": "Vos horaires dimanche ?", "num_edit": 1}
    _deliver(client, _messaging(_event("7002", PAGE, later=60_000, message_edit=edit)), capture)
    edited = Message.unscoped.get(agency=agency_a, external_id="m_1")
    assert edited.text == "Vos horaires dimanche ?"
    assert edited.edit_history[0]["text"] == "Horaires ?"
