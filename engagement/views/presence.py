"""The conversation page's presence: POST a beat (viewing, typing) and GET who else is there.

Both answer the others in JSON with a sentence ready to show, in the person's language, so the
page's script holds no text of its own.
"""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from agency import permissions
from agency.views.common import require_action
from engagement.selectors.conversation import conversation_get_for
from engagement.services.presence import BEAT_SECONDS, Presence, presence_beat, presence_others


def _sentence(others: list[Presence]) -> str:
    typing = [p.name for p in others if p.typing]
    viewing = [p.name for p in others if not p.typing]
    parts = []
    if typing:
        parts.append(_("Typing now: %(names)s.") % {"names": ", ".join(typing)})
    if viewing:
        parts.append(_("Also viewing: %(names)s.") % {"names": ", ".join(viewing)})
    return " ".join(parts)


@require_action(permissions.INBOX_VIEW)
@require_http_methods(["GET", "POST"])
def conversation_presence(request: HttpRequest, conversation_id: int) -> JsonResponse:
    actor = request.membership
    found = conversation_get_for(actor=actor, conversation_id=conversation_id)
    if request.method == "POST":
        presence_beat(actor=actor, conversation=found, typing=request.POST.get("typing", "") == "1")
    others = presence_others(actor=actor, conversation=found)
    return JsonResponse(
        {
            "others": [{"name": p.name, "typing": p.typing} for p in others],
            "text": _sentence(others),
            "beat_seconds": BEAT_SECONDS,
        }
    )
