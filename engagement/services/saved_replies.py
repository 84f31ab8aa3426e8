"""Saved replies: the variables a body may name, their check, and rendering for a conversation.

A variable is a name in braces, ``{author_first_name}``. Any other name in braces is an error
(found when the reply is saved, with the names it knows); a lone ``{`` or ``}`` is plain text.
Rendering substitutes by regular expression, never ``str.format``: a body is user input and
format strings reach attributes (``{0.__class__}``).
"""

from __future__ import annotations

import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agency import permissions
from agency.services.audit import audit_record
from clients.models import Brand
from engagement.models import Conversation
from engagement.models.replies import BrandReplySettings, SavedReply
from networks.rules import rules_for
from networks.text import count_code_points, count_graphemes, count_mastodon, count_x

VARIABLES: dict[str, object] = {
    "author_first_name": gettext_lazy("the author's first name (else their handle)"),
    "author_name": gettext_lazy("the author's name (else their handle)"),
    "brand": gettext_lazy("the brand's name"),
    "agent_first_name": gettext_lazy("your first name"),
}
PLACEHOLDER = re.compile(r"\{([^{}\n]{0,60})\}")


def template_variables(text: str) -> list[str]:
    return [match.group(1) for match in PLACEHOLDER.finditer(text or "")]


def template_check(text: str, *, field: str = "body") -> None:
    """Refuse unknown variables, naming them and the known ones."""
    unknown = sorted({name for name in template_variables(text) if name not in VARIABLES})
    if unknown:
        raise ValidationError(
            {
                field: _("Unknown variable %(unknown)s. Known variables: %(known)s.")
                % {
                    "unknown": ", ".join("{" + name + "}" for name in unknown),
                    "known": ", ".join("{" + name + "}" for name in VARIABLES),
                }
            }
        )


def _author_names(conversation: Conversation) -> tuple[str, str]:
    author = conversation.author
    name = (getattr(author, "name", "") or "").strip()
    handle = (getattr(author, "handle", "") or conversation.author_label or "").strip()
    full = name or handle.lstrip("@")
    first = name.split()[0] if name else handle.lstrip("@")
    return first, full


def template_render(text: str, *, conversation: Conversation, agent_user=None) -> str:
    """``text`` with its variables filled for ``conversation``; unknown ones raise."""
    template_check(text)
    first, full = _author_names(conversation)
    agent_first = ""
    if agent_user is not None:
        words = (agent_user.get_full_name() or "").split()
        agent_first = words[0] if words else ""
    values = {
        "author_first_name": first,
        "author_name": full,
        "brand": conversation.brand.name,
        "agent_first_name": agent_first,
    }
    return PLACEHOLDER.sub(lambda match: values[match.group(1)], text)


def saved_replies_for(conversation: Conversation):
    """The brand's saved replies offered in this conversation: its language's and any
    language's."""
    languages = {"und", conversation.language}
    return SavedReply.objects.filter(brand=conversation.brand, language__in=languages).order_by(
        "title", "id"
    )


def reply_settings_for(brand) -> BrandReplySettings:
    """The brand's reply settings; an unsaved row with the defaults when never edited."""
    found = BrandReplySettings.objects.filter(brand=brand).first()
    return found or BrandReplySettings(agency_id=brand.agency_id, brand=brand)


def signed(text: str, conversation: Conversation, *, agent_user=None) -> str:
    """The reply with the brand's signature (its variables filled) on its own line, once."""
    signature = signature_of(conversation, agent_user=agent_user)
    text = text.rstrip()
    if not signature or text.endswith(signature):
        return text
    return f"{text}\n{signature}"


def signature_of(conversation: Conversation, *, agent_user=None) -> str:
    raw = reply_settings_for(conversation.brand).signature.strip()
    if not raw:
        return ""
    try:
        return template_render(raw, conversation=conversation, agent_user=agent_user).strip()
    except ValidationError:
        return raw  # saved before the check existed: sent as written rather than refused


# The counter of static/engagement/reply-box.js that mirrors each network's count.
_COUNTERS = {
    count_x: "x",
    count_mastodon: "mastodon",
    count_graphemes: "graphemes",
    count_code_points: "code_points",
}


def reply_box_of(conversation: Conversation, *, actor=None) -> dict:
    """What the reply box needs: the saved replies already filled for this conversation and
    this person (title, text), the signature the server will add, and which count to mirror."""
    user = getattr(actor, "user", None)
    offered = []
    for reply in saved_replies_for(conversation)[:200]:
        try:
            offered.append(
                (
                    reply.title,
                    template_render(reply.body, conversation=conversation, agent_user=user),
                )
            )
        except ValidationError:
            continue  # saved before a variable was removed: not offered rather than a 500
    return {
        "saved_replies": offered,
        "signature": signature_of(conversation, agent_user=user),
        "counter": _COUNTERS.get(rules_for(conversation.network).count, "code_points"),
    }


def _require_manage(actor, brand) -> None:
    permissions.require(actor, permissions.INBOX_MANAGE)
    if not Brand.objects.visible_to(actor).filter(pk=brand.pk).exists():
        raise PermissionDenied("This brand is not one of the actor's.")


@transaction.atomic
def saved_reply_save(*, actor, reply: SavedReply) -> SavedReply:
    """Create or update a saved reply after its full check (variables included)."""
    _require_manage(actor, reply.brand)
    reply.agency_id = reply.brand.agency_id
    reply.full_clean()
    created = reply.pk is None
    reply.save()
    audit_record(
        agency=reply.brand.agency,
        actor=actor,
        verb="saved_reply.created" if created else "saved_reply.updated",
        target=reply,
        data={"brand": reply.brand_id, "title": reply.title},
    )
    return reply


@transaction.atomic
def saved_reply_delete(*, actor, reply: SavedReply) -> None:
    _require_manage(actor, reply.brand)
    audit_record(
        agency=reply.brand.agency,
        actor=actor,
        verb="saved_reply.deleted",
        target=reply,
        data={"brand": reply.brand_id, "title": reply.title},
    )
    reply.delete()


@transaction.atomic
def reply_settings_save(*, actor, settings: BrandReplySettings) -> BrandReplySettings:
    _require_manage(actor, settings.brand)
    settings.agency_id = settings.brand.agency_id
    settings.full_clean(validate_unique=False)
    settings.save()
    audit_record(
        agency=settings.brand.agency,
        actor=actor,
        verb="brand.reply_settings_changed",
        target=settings.brand,
        data={
            "signature": bool(settings.signature),
            "replies_need_approval": settings.replies_need_approval,
            "clients_may_reply": settings.clients_may_reply,
        },
    )
    return settings
