"""Saved replies: their variables filled for a conversation, unknown variables refused when
saving (a form error, never a reply sent with braces in it), the brand's signature."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from agency.tenancy import tenant_scope
from clients.tests.factories import BrandFactory
from engagement.models import BrandReplySettings, SavedReply
from engagement.services.saved_replies import (
    reply_settings_save,
    saved_replies_for,
    saved_reply_delete,
    saved_reply_save,
    signed,
    template_check,
    template_render,
)
from engagement.tests.factories import ConversationFactory
from reputation.models.mentions import Author


def _conversation(agency, brand, **extra):
    return ConversationFactory(agency=agency, brand=brand, **extra)


def test_every_variable_is_filled_for_the_conversation(agency_a, brand_a, member_of_a):
    member_of_a.user.full_name = "Salma Bennani"
    with tenant_scope(agency_a.pk):
        author = Author.objects.create(
            agency=agency_a, network="mastodon", handle="@yassine", name="Yassine El Amrani"
        )
        conversation = _conversation(agency_a, brand_a, author=author)
        text = template_render(
            "Bonjour {author_first_name} ({author_name}), merci de suivre {brand}."
            " {agent_first_name}",
            conversation=conversation,
            agent_user=member_of_a.user,
        )
    assert text == (f"Bonjour Yassine (Yassine El Amrani), merci de suivre {brand_a.name}. Salma")


def test_an_author_without_a_name_is_called_by_their_handle(agency_a, brand_a):
    with tenant_scope(agency_a.pk):
        conversation = _conversation(agency_a, brand_a, author_label="@karim")
        text = template_render(
            "Merci {author_first_name} / {author_name}", conversation=conversation
        )
    assert text == "Merci karim / karim"


def test_format_syntax_in_a_body_is_plain_text_not_attribute_access(agency_a, brand_a):
    with tenant_scope(agency_a.pk):
        conversation = _conversation(agency_a, brand_a)
        with pytest.raises(ValidationError) as refused:
            template_render("{brand.__class__} {0}", conversation=conversation)
        assert "{brand.__class__}" in refused.value.messages[0]
        # Lone braces are text.
        assert template_render("{ ok", conversation=conversation) == "{ ok"


def test_an_unknown_variable_is_refused_naming_the_known_ones():
    with pytest.raises(ValidationError) as refused:
        template_check("Bonjour {autor_name}")
    message = refused.value.message_dict["body"][0]
    assert "{autor_name}" in message and "{author_first_name}" in message


def test_saving_a_reply_checks_its_variables_and_audits(agency_a, brand_a, member_of_a):
    from agency.models import AuditEvent

    with tenant_scope(agency_a.pk):
        with pytest.raises(ValidationError) as refused:
            saved_reply_save(
                actor=member_of_a,
                reply=SavedReply(brand=brand_a, title="Merci", body="Merci {prenom}"),
            )
        assert "body" in refused.value.message_dict
        assert not SavedReply.objects.exists()
        reply = saved_reply_save(
            actor=member_of_a,
            reply=SavedReply(brand=brand_a, language="fr", title="Merci", body="Merci {brand}"),
        )
        assert reply.agency_id == agency_a.pk
        assert AuditEvent.objects.filter(verb="saved_reply.created").count() == 1
        saved_reply_delete(actor=member_of_a, reply=reply)
        assert not SavedReply.objects.exists()


def test_a_viewer_cannot_save_a_saved_reply(agency_a, brand_a, member_factory):
    analyst = member_factory(agency_a, "analyst")
    with tenant_scope(agency_a.pk), pytest.raises(PermissionDenied):
        saved_reply_save(actor=analyst, reply=SavedReply(brand=brand_a, title="x", body="y"))


def test_a_conversation_is_offered_its_language_and_any_language(agency_a, brand_a):
    with tenant_scope(agency_a.pk):
        other_brand = BrandFactory(agency=agency_a)
        for brand, language, title in [
            (brand_a, "fr", "fr"),
            (brand_a, "und", "any"),
            (brand_a, "en", "en"),
            (other_brand, "fr", "other brand"),
        ]:
            SavedReply.objects.create(
                agency=agency_a, brand=brand, language=language, title=title, body="b"
            )
        conversation = _conversation(agency_a, brand_a, language="fr")
        titles = [reply.title for reply in saved_replies_for(conversation)]
    assert titles == ["any", "fr"]


def test_the_signature_is_appended_once_on_its_own_line(agency_a, brand_a, member_of_a):
    member_of_a.user.full_name = "Salma Bennani"
    with tenant_scope(agency_a.pk):
        conversation = _conversation(agency_a, brand_a)
        assert signed("Merci !", conversation) == "Merci !"  # no settings: no signature
        reply_settings_save(
            actor=member_of_a,
            settings=BrandReplySettings(brand=brand_a, signature="— {agent_first_name}, {brand}"),
        )
        expected = f"Merci !\n— Salma, {brand_a.name}"
        assert signed("Merci !  ", conversation, agent_user=member_of_a.user) == expected
        assert signed(expected, conversation, agent_user=member_of_a.user) == expected


def test_a_signature_with_an_unknown_variable_is_refused(agency_a, brand_a, member_of_a):
    with tenant_scope(agency_a.pk), pytest.raises(ValidationError) as refused:
        reply_settings_save(
            actor=member_of_a, settings=BrandReplySettings(brand=brand_a, signature="{team}")
        )
    assert "signature" in refused.value.message_dict
